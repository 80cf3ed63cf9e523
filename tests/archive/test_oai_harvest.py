"""A real harvester against a real server: sickle (the OAI-PMH client from PyPI) harvests
`python wsgi.py` page by page with resumption tokens (10 records a page here, so a small
archive spans several pages) and must find each published case study exactly once, the
withdrawn one as deleted, nothing unpublished, in every set; from/until select; the protocol's
bad requests come back as the right errors, by GET and by POST."""
import pytest
from sickle import Sickle, oaiexceptions

from app.archive import services
from app.archive.importing import import_records
from tests.factories import make_org, make_team
from tests.live import LiveServer

from .conftest import fill, submitted_case_study
from .factories import record

COUNTRIES, LANGUAGES = ("IT", "PL", "FR"), ("it", "pl", "fr", "en")
AREAS = (["ar-vr"], ["collections", "ar-vr"], ["operations"], [])


def _archive() -> dict:
    """23 imported case studies over three years, one withdrawn, one draft, one update under
    review; returns what a harvest must find."""
    records = [record(slug=f"harvest-{n}", country=COUNTRIES[n % 3], language=LANGUAGES[n % 4],
                      areas=AREAS[n % 4], published_at=f"{2022 + n % 3}-05-{n + 1:02d}T10:00:00")
               for n in range(23)]
    assert not import_records(records).errors
    project, people = make_team(title="Withdrawn icons", status="completed",
                                organisation=make_org(country="PL"))
    gone = submitted_case_study(project, people["lead"])
    services.publish_case_study(people["admin"], gone)
    services.withdraw_case_study(people["admin"], gone, "Rights not cleared.")
    draft_project, draft_people = make_team(title="Never published", status="completed")
    fill(services.start_case_study(draft_people["lead"], draft_project), draft_people["lead"])
    return {"public": {r["slug"]: r for r in records}, "withdrawn": gone.slug,
            "draft": services.case_study_of(draft_project).slug}


@pytest.fixture(scope="module")
def harvest(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("oai"), extra_env={"OAI_PAGE_SIZE": "10"})
    with server.app().app_context():
        expected = _archive()
    server.start()
    yield server, expected
    server.stop()


def slug_of(identifier: str) -> str:
    return identifier.rsplit("/", 1)[1]


def members(expected: dict, spec: str) -> set[str]:
    group, _, value = spec.partition(":")
    found = set()
    for slug, data in expected["public"].items():
        values = {"area": data["areas"], "country": [data["country"]],
                  "language": [data["language"]]}[group]
        if values and (not value or value in values):
            found.add(slug)
    if (group, value) in (("area", ""), ("area", "3d-digitisation"), ("country", ""),
                          ("country", "PL"), ("language", ""), ("language", "en")):
        found.add(expected["withdrawn"])  # its last public version was in these sets
    return found


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_harvester_finds_every_published_case_study_once(harvest, method):
    server, expected = harvest
    sickle = Sickle(server.url + "/oai", http_method=method)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    ids = [slug_of(r.header.identifier) for r in records]
    assert len(ids) == len(set(ids)) == 24
    assert {slug_of(r.header.identifier) for r in records if not r.deleted} == \
        set(expected["public"])
    assert [slug_of(r.header.identifier) for r in records if r.deleted] == \
        [expected["withdrawn"]]
    assert expected["draft"] not in ids
    titles = {slug_of(r.header.identifier): r.metadata["title"][0]
              for r in records if not r.deleted}
    assert titles == {slug: data["title"] for slug, data in expected["public"].items()}
    rich = list(sickle.ListRecords(metadataPrefix="emc_case_study", ignore_deleted=True))
    assert len(rich) == 23


def test_every_set_holds_exactly_its_case_studies(harvest):
    server, expected = harvest
    sickle = Sickle(server.url + "/oai")
    specs = [s.setSpec for s in sickle.ListSets()]
    assert {"area", "country", "language", "area:ar-vr", "country:IT", "language:pl"} <= \
        set(specs)
    checked = 0
    for spec in specs:
        wanted = members(expected, spec)
        try:
            found = [slug_of(h.identifier) for h in
                     sickle.ListIdentifiers(metadataPrefix="oai_dc", set=spec,
                                            ignore_deleted=False)]
        except oaiexceptions.NoRecordsMatch:
            found = []
        found = [slug for slug in found if slug != "published-meanwhile"]  # another test's
        assert len(found) == len(set(found)) and set(found) == wanted, spec
        checked += bool(found)
    assert checked >= 12


def test_tokens_stay_valid_while_case_studies_are_published(harvest):
    server, expected = harvest
    headers = Sickle(server.url + "/oai").ListIdentifiers(metadataPrefix="oai_dc",
                                                           ignore_deleted=True)
    first_page = [slug_of(next(headers).identifier) for _ in range(10)]
    with server.app().app_context():
        assert not import_records([record(slug="published-meanwhile")]).errors
    rest = [slug_of(h.identifier) for h in headers]
    everything = first_page + rest
    assert len(everything) == len(set(everything))
    assert set(expected["public"]) <= set(everything) <= \
        set(expected["public"]) | {"published-meanwhile"}


def test_from_and_until_select_by_datestamp(harvest):
    server, expected = harvest
    sickle = Sickle(server.url + "/oai")

    def harvested(**bounds):
        return {slug_of(h.identifier) for h in
                sickle.ListIdentifiers(metadataPrefix="oai_dc", **bounds)}

    in_2023 = {slug for slug, data in expected["public"].items()
               if data["published_at"].startswith("2023")}
    assert harvested(**{"from": "2023-01-01", "until": "2023-12-31"}) == in_2023
    assert harvested(**{"from": "2023-05-02T10:00:00Z", "until": "2023-05-02T10:00:00Z"}) == \
        {"harvest-1"}
    assert harvested(until="2022-12-31") == {
        slug for slug, data in expected["public"].items()
        if data["published_at"].startswith("2022")}
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", until="2021-12-31"))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_bad_requests_raise_the_protocol_errors(harvest, method):
    server, expected = harvest
    sickle = Sickle(server.url + "/oai", http_method=method)
    cases = [
        (oaiexceptions.BadArgument, lambda: list(sickle.ListRecords(
            metadataPrefix="oai_dc", **{"from": "last tuesday"}))),
        (oaiexceptions.BadArgument, lambda: list(sickle.ListIdentifiers(set="area:"))),
        (oaiexceptions.CannotDisseminateFormat,
         lambda: list(sickle.ListRecords(metadataPrefix="marc21"))),
        (oaiexceptions.IdDoesNotExist, lambda: sickle.GetRecord(
            identifier=f"oai:museum-space.eu:case-study/{expected['draft']}",
            metadataPrefix="oai_dc")),
        (oaiexceptions.BadResumptionToken,
         lambda: list(sickle.ListRecords(resumptionToken="forged"))),
        (oaiexceptions.NoRecordsMatch,
         lambda: list(sickle.ListRecords(metadataPrefix="oai_dc", set="country:MT"))),
    ]
    for error, call in cases:
        with pytest.raises(error):
            call()
    answer = sickle.harvest(verb="Harvest")  # sickle has no method for a verb that is none
    assert answer.xml.find(".//" + sickle.oai_namespace + "error").get("code") == "badVerb"
    withdrawn = sickle.GetRecord(identifier=f"oai:museum-space.eu:case-study/"
                                            f"{expected['withdrawn']}", metadataPrefix="oai_dc")
    assert withdrawn.deleted
