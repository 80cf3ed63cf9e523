"""Validate OAI-PMH answers with lxml against the official schemas shipped in tests/schemas/
(OAI-PMH 2.0, oai_dc, simple Dublin Core, xml:) and our own static/schemas/case-study-1.0.xsd.
The schemas' remote imports are resolved to the local copies: the tests never go online."""
from functools import cache
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "tests" / "schemas"
LOCAL_COPIES = {
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": SCHEMAS / "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": SCHEMAS / "xml.xsd",
}
OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {"oai": OAI, "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
      "dc": "http://purl.org/dc/elements/1.1/", "cs": "https://museum-space.eu/ns/case-study/1.0/"}


class _LocalCopies(etree.Resolver):
    def resolve(self, url, public_id, context):
        path = LOCAL_COPIES.get(url)
        return self.resolve_filename(str(path), context) if path else None


@cache
def oai_schema() -> etree.XMLSchema:
    imports = [(OAI, SCHEMAS / "OAI-PMH.xsd"), (NS["oai_dc"], SCHEMAS / "oai_dc.xsd"),
               (NS["cs"], ROOT / "static" / "schemas" / "case-study-1.0.xsd")]
    wrapper = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>'
        for ns, path in imports) + "</xs:schema>"
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalCopies())
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser,
                                            base_url=(SCHEMAS / "wrapper.xsd").as_uri()))


def valid_oai(body: bytes) -> etree._Element:
    """Parse an answer, assert it is valid OAI-PMH (metadata included), return its root."""
    root = etree.fromstring(body)
    schema = oai_schema()
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)[:3000]
    return root
