"""The footer's pages: who may read and edit them, per-language texts with English as the
fallback, sanitised Markdown, and the footer's language links."""
import pytest

from app.main import site_pages
from tests.conftest import client_for
from tests.factories import make_user

PAGES = ("privacy", "imprint", "accessibility")


@pytest.mark.parametrize("key", PAGES)
def test_everyone_reads_the_pages_only_administrators_edit_them(app, key):
    admin, person = make_user(admin=True), make_user()
    assert app.test_client().get(f"/about/{key}").status_code == 200
    assert app.test_client().get(f"/about/{key}/edit").status_code == 302
    assert app.test_client().post(f"/about/{key}/edit", data={"body": "x"}).status_code == 302
    assert client_for(app, person).get(f"/about/{key}/edit").status_code == 403
    assert client_for(app, person).post(f"/about/{key}/edit", data={"body": "x"}).status_code \
        == 403
    assert client_for(app, admin).get(f"/about/{key}/edit").status_code == 200
    response = client_for(app, admin).post(f"/about/{key}/edit?language=en",
                                           data={"body": "# Who we are\n\nWritten."})
    assert response.status_code == 302
    assert "Written." in app.test_client().get(f"/about/{key}").get_data(as_text=True)


def test_unknown_pages_and_languages_are_refused(app):
    admin = make_user(admin=True)
    assert app.test_client().get("/about/cookies").status_code == 404
    response = client_for(app, admin).post("/about/privacy/edit?language=xx",
                                           data={"body": "x"})
    assert response.status_code == 400


def test_a_reader_gets_their_language_else_english(app):
    admin = make_user(admin=True)
    site_pages.save_page(admin, "privacy", "en", "We keep your **email**.")
    site_pages.save_page(admin, "privacy", "it", "Conserviamo la tua **email**.")
    italian = app.test_client().get("/about/privacy?lang=it").get_data(as_text=True)
    assert "Conserviamo" in italian
    german = app.test_client().get("/about/privacy?lang=de").get_data(as_text=True)
    assert "We keep your <strong>email</strong>" in german and 'lang="en"' in german


def test_page_texts_go_through_the_one_sanitiser(app):
    admin = make_user(admin=True)
    site_pages.save_page(admin, "imprint", "en",
                         "<script>alert(1)</script>[x](javascript:alert(1)) **ok**")
    page = app.test_client().get("/about/imprint").get_data(as_text=True)
    assert "<script>alert" not in page and "href=\"javascript:" not in page
    assert "<strong>ok</strong>" in page


def test_the_footer_links_the_pages_and_languages_without_a_form_token(app):
    page = app.test_client().get("/about/privacy").get_data(as_text=True)
    footer = page[page.index('<footer'):page.index('</footer>')]
    for key in PAGES:
        assert f'href="/about/{key}"' in footer
    assert 'hreflang="it"' in footer and "csrf" not in footer


def test_a_language_link_sets_the_cookie_and_goes_back(app):
    client = app.test_client()
    response = client.get("/language/fr?next=/archive/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/archive/")
    assert "lang=fr" in response.headers["Set-Cookie"]
    assert client.get("/language/fr?next=https://evil.example/").headers["Location"] \
        .startswith("/")
    person = make_user()
    client_for(app, person).get("/language/nl")
    assert person.locale is None  # a profile changes only through the form and its token


def test_signed_in_people_get_the_footer_form_with_its_token(app):
    page = client_for(app, make_user()).get("/about/privacy").get_data(as_text=True)
    footer = page[page.index('<footer'):page.index('</footer>')]
    assert 'action="/language"' in footer and 'value="nl"' in footer
