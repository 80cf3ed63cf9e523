"""No private byte of one person ever reaches another through a cache (app/core/pagecache.py):
two people of different projects and an anonymous visitor walk the same pages in turns, and
each answer holds only what its reader may see."""
import re

from app.discussion import services as discussion
from app.documents import services as documents
from tests.archive.factories import published
from tests.conftest import client_for
from tests.factories import make_project, make_user

PUBLIC = ("/", "/archive/", "/archive/?q=lapidarium", "/archive/stats", "/archive/feed.atom",
          "/directory/", "/calls", "/projects/", "/auth/login")
WORKSPACE = ("/", "documents/", "discussion/", "chat", "activity")


def person_with_private_project(name: str, email: str, secret: str):
    person = make_user(name, email)
    project = make_project(lead=person, title=f"{secret} workspace", slug=f"{secret.lower()}-ws")
    documents.create_document(person, project, title=f"{secret} budget plan", body=secret * 3)
    discussion.create_thread(person, project, f"{secret} private thread", f"{secret} details")
    return person, project


def csrf_tokens(body: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', body))


def test_no_private_byte_of_one_person_reaches_another_through_any_cache(app):
    published(slug="shared-public-page")
    alice, alpha = person_with_private_project("Alice Zauberberg", "alice@alpha.example", "Alphasecret")
    bruno, beta = person_with_private_project("Bruno Quellwasser", "bruno@beta.example", "Betasecret")
    readers = {"alice": client_for(app, alice), "bruno": client_for(app, bruno),
               "anonymous": app.test_client()}
    private = {"alice": ("Alice Zauberberg", "alice@alpha.example", "Alphasecret"),
               "bruno": ("Bruno Quellwasser", "bruno@beta.example", "Betasecret")}
    urls = list(PUBLIC) + [f"/projects/{project.slug}/{page}".replace("//", "/")
                           for project in (alpha, beta) for page in WORKSPACE]
    seen = {reader: [] for reader in readers}
    for _round in range(2):  # the second round would be served from any cache the first filled
        for url in urls:
            for reader, client in readers.items():
                response = client.get(url)
                assert response.status_code in (200, 302, 404), (reader, url)
                seen[reader].append((url, response.get_data(as_text=True)))
    tokens = {reader: set().union(*(csrf_tokens(body) for _url, body in pages))
              for reader, pages in seen.items()}
    for reader, pages in seen.items():
        others = [other for other in private if other != reader]
        for url, body in pages:
            for other in others:
                for marker in private[other]:
                    assert marker not in body, (reader, url, marker)
                leaked = csrf_tokens(body) & tokens[other] - tokens.get(reader, set())
                assert not leaked, (reader, url)
    alice_pages = dict(seen["alice"])
    assert "Alphasecret budget plan" in alice_pages[f"/projects/{alpha.slug}/documents/"]
    assert "Alphasecret private thread" in alice_pages[f"/projects/{alpha.slug}/discussion/"]
