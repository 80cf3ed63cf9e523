"""/healthz for load balancers, the home page, and choosing the interface language."""
import pytest

from app import create_app
from app.extensions import db
from tests.conftest import IsolatedClient
from tests.factories import make_org
from tests.main.catalogues import compile_catalogues


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    compile_catalogues()


def test_healthz_reports_ok(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    limit = app.config["MAX_CONNECTIONS"]
    assert limit > 16  # sized from the fd limit and memory when unset
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}, "fanout": {
        "direct_sends": 0, "direct_frames": 0, "partial_sends": 0, "queued_frames": 0},
        "listening": True, "connections": {"open": 0, "limit": limit, "refused": 0}}


def test_readyz_is_ready_with_room_for_connections(client):
    from app.search.services import apply_pending_changes

    apply_pending_changes()  # builds this machine's search index, as a server's follower does
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ready"


def test_healthz_with_the_database_down_is_503_naming_it(tmp_path):
    broken = create_app("testing", socketio_async_mode="threading", overrides={
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing-dir' / 'nope.db'}"})
    broken.test_client_class = IsolatedClient
    with broken.app_context():
        response = broken.test_client().get("/healthz")
        db.engine.dispose()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["failed"]["database"].startswith("error: OperationalError")


def test_healthz_checks_redis_when_configured(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "redis" in response.get_json()["failed"]


def test_home_page_explains_the_space_and_points_to_the_archive(client):
    page = client.get("/").get_data(as_text=True)
    assert "case study" in page and 'href="/archive/"' in page
    assert page.count("<h1") == 1


def test_accept_language_italian_gives_an_italian_page(client):
    page = client.get("/directory/", headers={"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"})
    text = page.get_data(as_text=True)
    assert '<html lang="it">' in text
    assert "Elenco dei partner" in text


def test_unknown_languages_fall_back_to_english(client):
    text = client.get("/", headers={"Accept-Language": "xx, zz;q=0.5"}).get_data(as_text=True)
    assert '<html lang="en">' in text


def test_lang_query_parameter_chooses_the_language_for_that_page(client):
    assert '<html lang="it">' in client.get("/?lang=it").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/?lang=klingon").get_data(as_text=True)


def test_anonymous_language_switch_is_remembered_in_a_cookie(client):
    response = client.post("/language", data={"lang": "it", "next": "/directory/"})
    assert response.status_code == 302 and response.headers["Location"] == "/directory/"
    assert '<html lang="it">' in client.get("/directory/").get_data(as_text=True)


def test_language_switch_is_remembered_on_the_profile(signed_in, user, app):
    signed_in.post("/language", data={"lang": "it", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "it"
    other_device = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(other_device).login(user)
    page = other_device.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="it">' in page


def test_language_switch_refuses_open_redirects_and_unknown_languages(client):
    response = client.post("/language", data={"lang": "xx", "next": "//evil.example"})
    assert response.headers["Location"] == "/"
    assert "lang=" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_italian_country_and_kind_names_in_the_directory(client):
    make_org("Museo", country="DE")
    text = client.get("/directory/", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "Germania" in text and "Museo (1)" in text


def test_the_italian_catalogue_compiles_cleanly():
    """A translation whose placeholders differ from its msgid would crash a page at runtime."""
    from babel.messages.pofile import read_po

    from tests.main.catalogues import TRANSLATIONS

    with (TRANSLATIONS / "it" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source)
    problems = [(message.id, errors) for message, errors in catalogue.check()]
    assert problems == []
