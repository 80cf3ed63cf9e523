"""Translations of published case studies: who may add them (the matrix), what bad input gets,
the "Read in" page with hreflang links, and search and API returning each case study once, in
the reader's language when it has a version in it."""
import pytest

from app.archive import services, translations
from app.archive.models import CaseStudyTranslation
from app.core.errors import PermissionDenied, ValidationError
from app.extensions import db
from tests.conftest import client_for

from .conftest import submitted_case_study

FRENCH = {"language": "fr", "title": "Icônes en 3D", "summary": "Quarante icônes numérisées.",
          "section_challenge": "Des icônes trop fragiles pour voyager.",
          "section_results": "Douze mille visiteurs en ligne."}


@pytest.fixture
def published_case(team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"])
    services.publish_case_study(people["admin"], case_study)
    return case_study, people


PEOPLE = ("anonymous", "outsider", "observer", "member", "lead", "admin")


@pytest.mark.parametrize("who, get_status, post_status", [
    ("anonymous", 302, 302), ("outsider", 403, 403), ("observer", 403, 403),
    ("member", 403, 403), ("lead", 200, 302), ("admin", 200, 302),
])
def test_only_the_lead_and_curators_may_translate(app, published_case, who, get_status,
                                                  post_status):
    case_study, people = published_case
    client = app.test_client() if who == "anonymous" else client_for(app, people[who])
    slug = case_study.slug
    assert client.get(f"/archive/{slug}/translate").status_code == get_status
    response = client.post(f"/archive/{slug}/translate", data=FRENCH)
    assert response.status_code == post_status
    saved = db.session.query(CaseStudyTranslation).filter_by(language="fr").count()
    assert saved == (1 if post_status == 302 and who != "anonymous" else 0)
    if saved:
        assert client.post(f"/archive/{slug}/translations/fr/delete").status_code == 302
    else:
        translations.save_translation(people["lead"], case_study, "fr",
                                      {"title": "Icônes", "summary": ""})
        assert client.post(f"/archive/{slug}/translations/fr/delete").status_code == post_status
    assert db.session.query(CaseStudyTranslation).count() == (0 if post_status == 302 and
                                                                who != "anonymous" else 1)


def test_unpublished_or_unknown_case_studies_cannot_be_translated(app, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"])  # submitted, not published
    client = client_for(app, people["admin"])
    assert client.get(f"/archive/{case_study.slug}/translate").status_code == 404
    assert client.get("/archive/no-such-case/translate").status_code == 404
    assert client.post("/archive/no-such-case/translations/fr/delete").status_code == 404


@pytest.mark.parametrize("changes, message", [
    ({"language": "en"}, "written in this language already"),
    ({"language": "xx"}, "Choose the language"),
    ({"title": "  "}, "A title is required"),
    ({"title": "T" * 201}, "title is too long"),
    ({"summary": "S" * 601}, "summary is too long"),
    ({"section_results": "bad \x01 text"}, "control characters"),
])
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(app, published_case,
                                                                      changes, message):
    case_study, people = published_case
    client = client_for(app, people["lead"])
    response = client.post(f"/archive/{case_study.slug}/translate", data=FRENCH | changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(CaseStudyTranslation).count() == 0


def test_service_refuses_bad_shapes_and_strangers(published_case):
    case_study, people = published_case
    with pytest.raises(ValidationError):
        translations.save_translation(people["lead"], case_study, "fr",
                                      {"title": "T", "sections": ["not", "a", "dict"]})
    with pytest.raises(ValidationError):
        translations.save_translation(people["lead"], case_study, "fr",
                                      {"title": "T", "sections": {"nope": "x"}})
    with pytest.raises(ValidationError):
        translations.save_translation(people["lead"], case_study, "fr", {"title": ["T"]})
    with pytest.raises(PermissionDenied):
        translations.save_translation(people["member"], case_study, "fr", {"title": "T"})


def test_the_page_offers_every_version_with_hreflang(app, published_case, client):
    case_study, people = published_case
    client_for(app, people["lead"]).post(f"/archive/{case_study.slug}/translate", data=FRENCH)
    original = client.get(f"/archive/{case_study.slug}").get_data(as_text=True)
    assert 'hreflang="fr"' in original and f"/archive/{case_study.slug}/in/fr" in original
    assert "Read in:" in original and "Français" in original
    page = client.get(f"/archive/{case_study.slug}/in/fr").get_data(as_text=True)
    assert "Icônes en 3D" in page and "Des icônes trop fragiles pour voyager." in page
    assert '<h1 lang="fr">' in page and 'hreflang="en"' in page
    assert "Photogrammetry in the conservation lab." not in page  # untranslated section
    assert client.get(f"/archive/{case_study.slug}/in/de").status_code == 404
    assert client.get(f"/archive/{case_study.slug}/in/{'x' * 300}").status_code == 404


def test_search_finds_every_version_once_in_the_readers_language(app, published_case, client):
    case_study, people = published_case
    translations.save_translation(people["lead"], case_study, "it", {
        "title": "Icone in 3D", "summary": "Quaranta icone digitalizzate.",
        "sections": {"results": "Dodicimila visitatori online."}})
    for query in ("visitatori", "visitors", "icone"):
        found = client.get(f"/api/v1/case-studies?q={query}&lang=it").get_json()
        assert [item["slug"] for item in found["results"]] == [case_study.slug], query
        assert found["results"][0]["title"] == "Icone in 3D"
        assert found["results"][0]["language"] == "it"
        assert found["results"][0]["url"].endswith(f"/archive/{case_study.slug}/in/it")
    found = client.get("/api/v1/case-studies?q=visitatori&lang=en").get_json()
    assert found["results"][0]["title"] == case_study.title
    assert found["results"][0]["original_language"] == "en"
    page = client.get("/archive/?q=dodicimila&lang=it").get_data(as_text=True)
    assert "Icone in 3D" in page and f"/archive/{case_study.slug}/in/it" in page
    detail = client.get(f"/api/v1/case-studies/{case_study.slug}?language=it").get_json()
    assert detail["title"] == "Icone in 3D" and set(detail["versions"]) == {"en", "it"}
    assert client.get(f"/api/v1/case-studies/{case_study.slug}?language=de").status_code == 404


def test_removing_a_translation_removes_it_from_search(app, published_case, client):
    case_study, people = published_case
    translations.save_translation(people["admin"], case_study, "it",
                                  {"title": "Icone", "summary": "Parola unica: zafferano."})
    assert client.get("/api/v1/case-studies?q=zafferano").get_json()["total"] == 1
    translations.delete_translation(people["admin"], case_study, "it")
    assert client.get("/api/v1/case-studies?q=zafferano").get_json()["total"] == 0
