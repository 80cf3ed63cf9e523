"""OAI-PMH answers as XML: the response envelope, headers, `oai_dc` (Dublin Core) and the
archive's own case-study format (schema: static/schemas/case-study-1.0.xsd).

Plain text building with escaping, so the XML carries exactly the namespaces the schemas
expect (a default namespace for the envelope, prefixes for the metadata).
"""
from xml.sax.saxutils import escape, quoteattr

from flask import url_for
from flask_babel import force_locale

from ..core.countries import country_name
from ..core.time import utcnow
from ..projects.areas import area_label
from .oai import CASE_STUDY_NAMESPACE, CASE_STUDY_PREFIX, FORMATS, Answer, Entry
from .oai import format_datestamp
from .queries import PublicCaseStudy
from .vocabulary import LANGUAGES, LICENSE_URLS, LICENSES, SECTION_KEYS, label_of

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DC = "http://purl.org/dc/elements/1.1/"
PUBLISHER = "European Museum Collaboration and Innovation Space"


class _Xml:
    """A small writer: `with xml.element("tag", attr=...):` nests, `xml.leaf` writes text."""

    def __init__(self):
        self.parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']

    def _start(self, tag: str, attrs: dict) -> str:
        items = "".join(f" {key}={quoteattr(str(value))}" for key, value in attrs.items()
                        if value is not None)
        return f"<{tag}{items}"

    def leaf(self, tag: str, text=None, **attrs) -> None:
        start = self._start(tag, _names(attrs))
        self.parts.append(f"{start}/>" if text is None else f"{start}>{escape(str(text))}</{tag}>")

    def element(self, tag: str, **attrs):
        writer = self

        class _Open:
            def __enter__(self):
                writer.parts.append(writer._start(tag, _names(attrs)) + ">")

            def __exit__(self, *exc):
                writer.parts.append(f"</{tag}>")

        return _Open()

    def text(self) -> str:
        return "".join(self.parts)


def _names(attrs: dict) -> dict:
    """Python keywords to XML names: xmlns_dc -> xmlns:dc, xsi_schemaLocation -> xsi:…"""
    return {key.replace("_", ":", 1) if key.startswith(("xmlns_", "xsi_", "xml_")) else key:
            value for key, value in attrs.items()}


def render(answer: Answer, base_url: str) -> str:
    xml = _Xml()
    with xml.element("OAI-PMH", xmlns=OAI, xmlns_xsi=XSI, xsi_schemaLocation=(
            f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")):
        xml.leaf("responseDate", format_datestamp(utcnow()))
        echo = {} if any(e.code in ("badVerb", "badArgument") for e in answer.errors) \
            else answer.echo
        xml.leaf("request", base_url, **echo)
        if answer.errors:
            for error in answer.errors:
                xml.leaf("error", error.message, code=error.code)
        else:
            with xml.element(answer.verb):
                VERB_WRITERS[answer.verb](xml, answer, base_url)
    return xml.text()


def _identify(xml: _Xml, answer: Answer, base_url: str) -> None:
    info = answer.payload
    xml.leaf("repositoryName", f"{PUBLISHER}: case study archive")
    xml.leaf("baseURL", base_url)
    xml.leaf("protocolVersion", "2.0")
    xml.leaf("adminEmail", info["admin_email"])
    xml.leaf("earliestDatestamp", info["earliest"])
    xml.leaf("deletedRecord", "persistent")
    xml.leaf("granularity", "YYYY-MM-DDThh:mm:ssZ")


def _formats(xml: _Xml, answer: Answer, base_url: str) -> None:
    for prefix, schema, namespace in answer.payload:
        with xml.element("metadataFormat"):
            xml.leaf("metadataPrefix", prefix)
            xml.leaf("schema", _schema_url(schema))
            xml.leaf("metadataNamespace", namespace)


def _schema_url(schema: str) -> str:
    return schema if schema.startswith("http") else url_for("static", filename=schema,
                                                            _external=True)


def _sets(xml: _Xml, answer: Answer, base_url: str) -> None:
    for spec, name in answer.payload:
        with xml.element("set"):
            xml.leaf("setSpec", spec)
            xml.leaf("setName", name)


def _header(xml: _Xml, entry: Entry) -> None:
    with xml.element("header", status="deleted" if entry.deleted else None):
        xml.leaf("identifier", entry.identifier)
        xml.leaf("datestamp", format_datestamp(entry.datestamp))
        for spec in entry.specs:
            xml.leaf("setSpec", spec)


def _record(xml: _Xml, entry: Entry, prefix: str) -> None:
    with xml.element("record"):
        _header(xml, entry)
        if entry.item is not None:
            with xml.element("metadata"), force_locale("en"):
                (_oai_dc if prefix == "oai_dc" else _case_study)(xml, entry.item)


def _get_record(xml: _Xml, answer: Answer, base_url: str) -> None:
    _record(xml, answer.payload, answer.prefix)


def _list(xml: _Xml, answer: Answer, base_url: str) -> None:
    for entry in answer.payload:
        if answer.verb == "ListIdentifiers":
            _header(xml, entry)
        else:
            _record(xml, entry, answer.prefix)
    if answer.token is not None:
        xml.leaf("resumptionToken", answer.token["value"],
                 completeListSize=answer.token["size"], cursor=answer.token["cursor"])


VERB_WRITERS = {"Identify": _identify, "ListMetadataFormats": _formats, "ListSets": _sets,
                "GetRecord": _get_record, "ListIdentifiers": _list, "ListRecords": _list}


# ---------------------------------------------------------------- metadata formats

def _url(item: PublicCaseStudy) -> str:
    return url_for("archive.case_study", slug=item.slug, _external=True)


def _oai_dc(xml: _Xml, item: PublicCaseStudy) -> None:
    snap, oai_dc = item.snapshot, FORMATS["oai_dc"][1]
    with xml.element("oai_dc:dc", xmlns_oai_dc=oai_dc, xmlns_dc=DC, xsi_schemaLocation=(
            f"{oai_dc} {FORMATS['oai_dc'][0]}")):
        xml.leaf("dc:title", snap.get("title"), xml_lang=snap.get("language"))
        if item.lead.get("name"):
            xml.leaf("dc:creator", item.lead["name"])
        for area in snap.get("areas") or []:
            xml.leaf("dc:subject", area_label(area))
        for technology in snap.get("technologies") or []:
            xml.leaf("dc:subject", technology)
        if snap.get("summary"):
            xml.leaf("dc:description", snap["summary"], xml_lang=snap.get("language"))
        xml.leaf("dc:publisher", PUBLISHER)
        for partner in snap.get("partners") or []:
            xml.leaf("dc:contributor", partner.get("name"))
        if item.first_published_at:
            xml.leaf("dc:date", item.first_published_at.strftime("%Y-%m-%d"))
        xml.leaf("dc:type", "Text")
        xml.leaf("dc:format", "text/html")
        xml.leaf("dc:identifier", _url(item))
        xml.leaf("dc:language", snap.get("language"))
        if item.country:
            xml.leaf("dc:coverage", country_name(item.country))
        license_key = snap.get("license")
        xml.leaf("dc:rights", LICENSE_URLS.get(license_key) or license_key)


def _case_study(xml: _Xml, item: PublicCaseStudy) -> None:
    snap = item.snapshot
    schema = _schema_url(FORMATS[CASE_STUDY_PREFIX][0])
    with xml.element("cs:caseStudy", xmlns_cs=CASE_STUDY_NAMESPACE,
                     xsi_schemaLocation=f"{CASE_STUDY_NAMESPACE} {schema}"):
        xml.leaf("cs:url", _url(item))
        xml.leaf("cs:title", snap.get("title"))
        xml.leaf("cs:summary", snap.get("summary") or "")
        xml.leaf("cs:language", snap.get("language"), name=label_of(LANGUAGES,
                                                                      snap.get("language")))
        if snap.get("year"):
            xml.leaf("cs:year", snap["year"])
        _organisation(xml, "cs:lead", item.lead, None)
        with xml.element("cs:partners"):
            for partner in snap.get("partners") or []:
                _organisation(xml, "cs:partner", partner, partner.get("role"))
        with xml.element("cs:areas"):
            for area in snap.get("areas") or []:
                xml.leaf("cs:area", area_label(area), key=area)
        with xml.element("cs:technologies"):
            for technology in snap.get("technologies") or []:
                xml.leaf("cs:technology", technology)
        xml.leaf("cs:budget", snap.get("budget_eur"), currency="EUR",
                 range=snap.get("budget_range") or "unknown")
        with xml.element("cs:impact"):
            for key, value in sorted((snap.get("impact") or {}).items()):
                xml.leaf("cs:figure", value, key=key)
        with xml.element("cs:sections"):
            sections = snap.get("sections") or {}
            for key in SECTION_KEYS:
                if sections.get(key):
                    xml.leaf("cs:section", sections[key], key=key, format="text/markdown")
        license_key = snap.get("license") or ""
        xml.leaf("cs:licence", LICENSES.get(license_key, license_key), code=license_key,
                 uri=LICENSE_URLS.get(license_key))
        for moment, tag in ((item.first_published_at, "cs:firstPublished"),
                            (item.published_at, "cs:lastPublished")):
            if moment:
                xml.leaf(tag, format_datestamp(moment))
        with xml.element("cs:translations"):
            for language in item.versions:
                if language != item.original_language:
                    xml.leaf("cs:translation", None, language=language, url=url_for(
                        "archive.case_study_in", slug=item.slug, language=language,
                        _external=True))


def _organisation(xml: _Xml, tag: str, org: dict, role: str | None) -> None:
    with xml.element(tag, country=(org.get("country") or "").upper() or None):
        xml.leaf("cs:name", org.get("name") or "")
        if org.get("kind"):
            xml.leaf("cs:kind", org["kind"])
        if org.get("city"):
            xml.leaf("cs:city", org["city"])
        if role:
            xml.leaf("cs:role", role)
