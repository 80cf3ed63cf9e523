"""OAI-PMH at /oai through the test client: every verb, every protocol error, deleted records,
from/until, sets, resumption tokens; every answer validated against the official schemas."""
from urllib.parse import urlencode

import pytest
from lxml import etree

from config import load_config

from app.archive import services
from app.archive.importing import import_records
from tests.querycount import count_queries

from .conftest import fill, submitted_case_study
from .factories import published, record
from .oai_schema import NS, oai_schema, valid_oai

PREFIXES = ("oai_dc", "emc_case_study")


def oai(client, method="GET", **args):
    """One request, GET or POST; returns the validated root of the answer."""
    response = client.get("/oai?" + urlencode(args)) if method == "GET" else \
        client.post("/oai", data=args)
    assert response.status_code == 200 and response.mimetype == "text/xml"
    return valid_oai(response.data)


def error_code(root) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//oai:header/oai:identifier", NS)]


def oai_id(slug: str) -> str:
    return f"oai:museum-space.eu:case-study/{slug}"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_verb_answers_valid_oai_pmh_by_get_and_post(app, client, method):
    slug = published(country="PL", language="pl", areas=["ar-vr"], budget_eur=None)
    identify = oai(client, method, verb="Identify")
    assert identify.findtext("oai:Identify/oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:Identify/oai:granularity", namespaces=NS) == \
        "YYYY-MM-DDThh:mm:ssZ"
    formats = oai(client, method, verb="ListMetadataFormats", identifier=oai_id(slug))
    assert [e.text for e in formats.iterfind(".//oai:metadataPrefix", NS)] == list(PREFIXES)
    sets = [e.text for e in oai(client, method, verb="ListSets").iterfind(".//oai:setSpec", NS)]
    assert {"area", "area:ar-vr", "country:IT", "language:pl"} <= set(sets)
    for prefix in PREFIXES:
        record_root = oai(client, method, verb="GetRecord", identifier=oai_id(slug),
                          metadataPrefix=prefix)
        assert identifiers(record_root) == [oai_id(slug)]
        assert record_root.find(".//oai:metadata", NS) is not None
        listed = oai(client, method, verb="ListRecords", metadataPrefix=prefix)
        assert identifiers(listed) == [oai_id(slug)]
    headers = oai(client, method, verb="ListIdentifiers", metadataPrefix="oai_dc",
                  set="language:pl")
    assert [e.text for e in headers.iterfind(".//oai:setSpec", NS)] == \
        ["area:ar-vr", "country:PL", "language:pl"]


def test_metadata_says_what_the_case_study_says(app, client):
    slug = published(title="Audioguida per famiglie", language="it", country="IT",
                     areas=["audience-experience"], technologies=["podcast"], budget_eur=12000,
                     license="CC-BY-SA-4.0")
    dc = oai(client, verb="GetRecord", identifier=oai_id(slug), metadataPrefix="oai_dc")
    assert dc.findtext(".//dc:title", namespaces=NS) == "Audioguida per famiglie"
    assert dc.find(".//dc:title", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "it"
    assert {e.text for e in dc.iterfind(".//dc:subject", NS)} == {"Audience experience",
                                                                   "podcast"}
    assert dc.findtext(".//dc:identifier", namespaces=NS) == f"http://localhost/archive/{slug}"
    assert dc.findtext(".//dc:rights", namespaces=NS) == \
        "https://creativecommons.org/licenses/by-sa/4.0/"
    assert dc.findtext(".//dc:coverage", namespaces=NS) == "Italy"
    rich = oai(client, verb="GetRecord", identifier=oai_id(slug),
               metadataPrefix="emc_case_study")
    assert rich.findtext(".//cs:budget", namespaces=NS) == "12000"
    assert rich.find(".//cs:budget", NS).get("range") == "10k-50k"
    assert rich.find(".//cs:licence", NS).get("code") == "CC-BY-SA-4.0"
    assert rich.find(".//cs:section[@key='challenge']", NS).text == \
        "The stones were **hard to see**."
    assert [p.findtext("cs:name", namespaces=NS) for p in rich.iterfind(".//cs:partner", NS)] \
        == ["Scan Lab Srl"]


def test_the_schema_check_can_fail(app, client):
    slug = published()
    body = client.get(f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={oai_id(slug)}")\
        .get_data(as_text=True)
    for broken in (body.replace("<dc:title", "<dc:headline").replace("</dc:title>",
                                                                       "</dc:headline>"),
                   body.replace("<datestamp>", "<datestamp>yesterday ")):
        assert not oai_schema().validate(etree.fromstring(broken.encode()))


BAD_REQUESTS = [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "colour": "red"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": oai_id("x")}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T10:00:00"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01",
      "until": "2024-02-01T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-01",
      "until": "2024-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "area:"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai dc"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "area:ar-vr\x01"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": "{known}", "metadataPrefix": "mods"},
     "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": oai_id("nothing-here"), "metadataPrefix": "oai_dc"},
     "idDoesNotExist"),
    ({"verb": "GetRecord", "identifier": "oai:elsewhere.org:1", "metadataPrefix": "oai_dc"},
     "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": oai_id("nothing-here")}, "idDoesNotExist"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "area:time-travel"},
     "noRecordsMatch"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1999-12-31"},
     "noRecordsMatch"),
]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("args,code", BAD_REQUESTS, ids=[c + ":" + urlencode(a, doseq=True)[:60]
                                                         for a, c in BAD_REQUESTS])
def test_bad_requests_get_the_specified_error(app, client, args, code, method):
    if "{known}" in args.values():
        slug = published()
        args = {k: oai_id(slug) if v == "{known}" else v for k, v in args.items()}
    response = client.get("/oai?" + urlencode(args, doseq=True)) if method == "GET" else \
        client.post("/oai", data=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    root = valid_oai(response.data)
    assert error_code(root) == code
    request = root.find("oai:request", NS)
    assert request.text == "http://localhost/oai"
    if code in ("badVerb", "badArgument"):  # the specification: echo the base URL only
        assert dict(request.attrib) == {}


def test_a_page_holds_a_hundred_records_unless_configured(monkeypatch):
    monkeypatch.delenv("OAI_PAGE_SIZE", raising=False)
    assert load_config("testing").OAI_PAGE_SIZE == 100


def test_tokens_are_bound_to_their_verb_and_signed(app, client):
    app.config["OAI_PAGE_SIZE"] = 2
    import_records([record() for _ in range(3)])
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.findtext(".//oai:resumptionToken", namespaces=NS)
    assert token
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == \
        "badResumptionToken"
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")) \
        == "badResumptionToken"


def _harvest(client, verb="ListIdentifiers", **args) -> tuple[list[str], list[int]]:
    """Follow the tokens to the end; the identifiers and, per page, the statement count."""
    found, statements = [], []
    with count_queries() as queries:
        root = oai(client, verb=verb, **args)
    statements.append(queries.count)
    while True:
        found += identifiers(root)
        token = root.find(f"oai:{verb}/oai:resumptionToken", NS)
        if token is None or not token.text:
            return found, statements
        with count_queries() as queries:
            root = oai(client, verb=verb, resumptionToken=token.text)
        statements.append(queries.count)


def test_pages_with_bounded_sql_that_survive_new_publications(app, client):
    app.config["OAI_PAGE_SIZE"] = 10
    batch = [record() for _ in range(23)]
    import_records(batch)
    root = oai(client, verb="ListRecords", metadataPrefix="emc_case_study")
    token = root.find("oai:ListRecords/oai:resumptionToken", NS)
    assert len(root.findall(".//oai:record", NS)) == 10
    assert token.get("completeListSize") == "23" and token.get("cursor") == "0"
    published()  # a publication in the middle of a harvest
    pages, seen = [root], identifiers(root)
    while token is not None and token.text:
        with count_queries() as queries:
            root = oai(client, verb="ListRecords", resumptionToken=token.text)
        assert queries.count <= 5, str(queries)  # size, page, sets, snapshots, translations
        pages.append(root)
        seen += identifiers(root)
        token = root.find("oai:ListRecords/oai:resumptionToken", NS)
    # the new one may join the harvest when it falls in the same second as the first page
    assert [len(p.findall(".//oai:record", NS)) for p in pages] in ([10, 10, 3], [10, 10, 4])
    assert token is not None and token.text is None and token.get("cursor") == "20"
    assert len(seen) == len(set(seen)) and set(oai_id(r["slug"]) for r in batch) <= set(seen)
    ids, statements = _harvest(client, metadataPrefix="oai_dc", set="country:IT")
    assert len(ids) == 24 and max(statements) <= 3 and len(statements) == 3


def test_withdrawn_case_studies_stay_as_deleted_records_and_drafts_never_show(app, client, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"])
    draft_identifier = oai_id(case_study.slug)
    assert error_code(oai(client, verb="GetRecord", identifier=draft_identifier,
                          metadataPrefix="oai_dc")) == "idDoesNotExist"
    services.publish_case_study(people["admin"], case_study)
    fill(case_study, people["lead"], title="Icon workshop, second edition")  # private update
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="country:PL")
    assert root.findtext(".//dc:title", namespaces=NS) == "Icon workshop in 3D"
    assert "second edition" not in etree.tostring(root, encoding="unicode")
    services.withdraw_case_study(people["lead"], case_study, "Rights were not cleared.")
    for prefix in PREFIXES:
        gone = oai(client, verb="GetRecord", identifier=draft_identifier, metadataPrefix=prefix)
        header = gone.find(".//oai:header", NS)
        assert header.get("status") == "deleted" and gone.find(".//oai:metadata", NS) is None
    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="area")
    assert listed.find(".//oai:header", NS).get("status") == "deleted"
    assert [e.text for e in listed.iterfind(".//oai:setSpec", NS)] == \
        ["area:3d-digitisation", "country:PL", "language:en"]
    fill(case_study, people["lead"], title="Icon workshop, second edition")
    services.submit_case_study(people["lead"], case_study)
    services.publish_case_study(people["admin"], case_study)
    back = oai(client, verb="GetRecord", identifier=draft_identifier, metadataPrefix="oai_dc")
    assert back.find(".//oai:header", NS).get("status") is None
    assert back.findtext(".//dc:title", namespaces=NS) == "Icon workshop, second edition"


def test_from_and_until_select_on_the_datestamp_inclusively(app, client):
    moments = {"early": "2024-03-01T09:00:00", "noon": "2024-03-02T12:00:00",
               "late": "2024-03-02T23:59:59", "next": "2024-03-03T00:00:00"}
    import_records([record(slug=name, published_at=moment) for name, moment in moments.items()])

    def listed(**bounds):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **bounds)
        return [i.rsplit("/", 1)[1] for i in identifiers(root)] or error_code(root)

    assert listed(**{"from": "2024-03-02"}) == ["noon", "late", "next"]
    assert listed(until="2024-03-02") == ["early", "noon", "late"]
    assert listed(**{"from": "2024-03-02", "until": "2024-03-02"}) == ["noon", "late"]
    assert listed(**{"from": "2024-03-02T12:00:00Z", "until": "2024-03-02T23:59:59Z"}) == \
        ["noon", "late"]
    assert listed(**{"from": "2024-03-02T12:00:01Z", "until": "2024-03-02T23:59:58Z"}) == \
        "noRecordsMatch"
    earliest = oai(client, verb="Identify").findtext(".//oai:earliestDatestamp", namespaces=NS)
    assert earliest == "2024-03-01T09:00:00Z"


def test_the_parent_set_holds_its_children(app, client):
    published(areas=["ar-vr"], country="FR", language="fr")
    published(areas=[], country="DE", language="de")
    for spec, expected in (("area", 1), ("country", 2), ("language", 2), ("country:FR", 1),
                           ("area:ar-vr", 1), ("language:de", 1)):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        assert len(identifiers(root)) == expected, spec
