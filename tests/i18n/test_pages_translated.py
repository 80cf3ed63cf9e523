"""Every page, in every shipped language, has no English left in what a reader sees.

The pages are found, not listed: every GET route of the app that answers with HTML, filled with
the ids of a small world (tests/i18n/world.py), read signed out and signed in (the project's
lead; a member for their own post; the site administrator for the curators' and managers'
pages), plus the error pages
and a few pages that only a refused form shows. A route this test cannot fill fails it, so a
new page joins by naming its URL arguments in `argument_values`. A new language joins by
landing its catalogue and its code in LANGUAGES. See leaks.py for what counts as English.
"""
import pytest

from config import Config

from tests.conftest import AuthActions
from tests.main.catalogues import compile_catalogues

from .leaks import ENGLISH, catalogue_words, find_english, mark_expressions
from .world import build_world

pytestmark = pytest.mark.one_database

#: routes that answer with something else than a page (data, files, feeds, redirects)
NOT_PAGES = ("/api/", "/static/", "/healthz", "/readyz", "/metrics", "/export.", "/feed.atom",
             "/download", "/thumbnail", "/chat/unread", "/open", "/archive/<slug>/files/",
             "/robots.txt", "/sitemap", "/language/", "/cover", "/grants.", "/results.")

SHIPPED = Config.LANGUAGES


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    compile_catalogues()


def argument_values(rule: str, world) -> dict:
    """Values for a route's arguments, chosen by the part of the site it belongs to."""
    slugs, ids = world.slugs, world.ids
    slug = {"/projects/": slugs["project"], "/archive/": slugs["case_study"],
            "/calls/": slugs["call"], "/orgs/": slugs["org"]}
    values = {"doc_id": ids["doc"], "number": ids["revision"], "thread_id": ids["thread"],
              "post_id": ids["post"], "file_id": ids["file"], "case_study_id": ids["case_study"],
              "user_id": world.people["member"].id, "token": world.token,
              "application_id": ids["application"], "attachment_id": ids["attachment"],
              "language": slugs["translation"], "ref": slugs["ref"], "key": "privacy"}
    for prefix, value in slug.items():
        if rule.startswith(prefix):
            values["slug"] = value
    if rule.startswith("/projects/<slug>/case-study"):
        values["slug"] = slugs["completed"]
    if rule.startswith("/applications/"):
        values["number"] = ids["version"]
    return values


def page_routes(app, world) -> list[tuple[str, str]]:
    """(rule, url) for every GET route that renders a page."""
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or any(part in rule.rule for part in NOT_PAGES):
            continue
        values = argument_values(rule.rule, world)
        missing = set(rule.arguments) - set(values)
        assert not missing, f"{rule.rule}: give {sorted(missing)} a value in argument_values"
        with app.test_request_context():
            routes.append((rule.rule, app.url_for(rule.endpoint, **{
                name: values[name] for name in rule.arguments})))
    return routes


def extra_pages(world) -> list[tuple[str, str, dict]]:
    """Pages only a refused form or an error shows: (what, method, request arguments)."""
    project = world.slugs["project"]
    return [
        ("404", "GET", {"path": "/no-such-page"}),
        ("405", "POST", {"path": "/directory/"}),
        ("403", "GET", {"path": f"/projects/{world.slugs['completed']}/settings"}),
        ("refused sign-in", "POST", {"path": "/auth/login",
                                     "data": {"email": "nobody@muzeo.test", "password": "x"}}),
        ("refused registration", "POST", {"path": "/auth/register", "data": {"email": "zz"}}),
        ("refused document", "POST", {"path": f"/projects/{project}/documents/new",
                                      "data": {"title": ""}}),
        ("refused call", "POST", {"path": "/calls/new", "data": {"slug": "Zz Zz"}}),
    ]


def reader(app, user, language):
    """A client that chose `language` before signing in (so the welcome is in it too)."""
    client = app.test_client()
    client.set_cookie("lang", language)
    AuthActions(client).login(user)
    return client


def _render(client, url, language, method="GET", **arguments):
    client.set_cookie("lang", language)
    return client.open(url, method=method, **arguments)


@pytest.mark.parametrize("language", [code for code in SHIPPED if code != "en"])
def test_every_page_is_free_of_english(app, uploads_dir, language):
    app.jinja_env.finalize = mark_expressions
    app.config["WTF_CSRF_ENABLED"] = False
    world = build_world(language)
    english = catalogue_words("", source=True) | ENGLISH
    native = catalogue_words(language, source=False)
    lead, admin = world.people["lead"], world.people["admin"]
    readers = {"signed out": app.test_client(), "lead": reader(app, lead, language),
               "member": reader(app, world.people["member"], language),
               "administrator": reader(app, admin, language)}
    leaks, unrendered, rendered = [], [], 0
    for rule, url in page_routes(app, world):
        shown = False
        for who, client in readers.items():
            response = _render(client, url, language)
            if response.status_code == 200 and "text/html" not in response.content_type:
                shown = True        # data (XML, JSON, a file): not a page
                break
            if response.status_code != 200:
                # a route that redirects even the administrator is a redirect, not a page
                shown = shown or (who == "administrator" and response.status_code in (301, 302))
                continue
            shown, rendered = True, rendered + 1
            html = response.get_data(as_text=True)
            assert f'<html lang="\ue000{language}\ue001">' in html, f"{url} as {who}"
            leaks += [f"{url} ({who}) {leak}" for leak in find_english(html, language, english,
                                                                       native)]
            if who != "signed out":
                break
        if not shown:
            unrendered.append(rule)
    for what, method, arguments in extra_pages(world):
        for client in (readers["lead"], readers["signed out"]):
            response = _render(client, arguments["path"], language, method,
                               data=arguments.get("data"))
            html = response.get_data(as_text=True)
            rendered += 1
            leaks += [f"{what} {arguments['path']} {leak}"
                      for leak in find_english(html, language, english, native)]
    assert not unrendered, f"routes no reader could open: {unrendered}"
    assert rendered > 60
    unique = list(dict.fromkeys(leak.split(" ", 2)[-1] for leak in leaks))
    assert not leaks, f"{len(leaks)} English leftovers in {language}, e.g.:\n" + "\n".join(
        next(leak for leak in leaks if leak.endswith(text)) for text in unique[:80])


def test_the_leak_finder_catches_a_forgotten_string(app):
    english = catalogue_words("", source=True) | ENGLISH
    native = catalogue_words("it", source=False)
    page = ("<html lang='it'><body><h1>\ue000Progetti\ue001</h1><p>Save changes</p>"
            "<p>\ue000Velkor: the file was deleted\ue001</p><button title='Close'>x</button>"
            "<select><option lang='de'>\ue000Deutsch\ue001</option></select>"
            "<code>\ue00086a09e7e6f2b1590e540fe277859c66581e2b64be9d04\ue001</code>"
            "<script>var english = 'not visible';</script></body></html>")
    found = " ".join(find_english(page, "it", english, native))
    for word in ("'save'", "'changes'", "'the'", "'was'", "'deleted'", "'close'"):
        assert word in found
    for word in ("'velkor'", "'deutsch'", "'english'", "'progetti'", "'be'"):
        assert word not in found
