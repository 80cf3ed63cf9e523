"""After signing in (or switching language) we only ever redirect to a path on this site."""
from urllib.parse import quote, urlsplit

import pytest

from app.core.urls import same_site_path
from tests.factories import DEFAULT_PASSWORD

#: `next` values known to slip past naive "starts with one slash" checks, as sent (decoded)
BYPASSES = [
    "//evil.com", "///evil.com", "////evil.com", "/\t/evil.com", "/\n/evil.com", "/\r/evil.com",
    "\t//evil.com", " //evil.com", "/\x00/evil.com", "/\x0b/evil.com", "/\x7f/evil.com",
    "/\\evil.com", "\\/evil.com", "\\\\evil.com", "/\t\\evil.com", "https://evil.com",
    "http:evil.com", "https:/evil.com", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "\x01javascript:alert(1)", "evil.com", "@evil.com", "/\u0085/evil.com", "/\u200b/evil.com",
    "\uff0f\uff0fevil.com", "/\uff0fevil.com", "//evil.com/%2F..", "/\udc80/evil.com",
    "data:text/html,<script>alert(1)</script>", "", "   ",
]

SAFE = ["/", "/projects/", "/projects/herbarium/documents/3?tab=history#top", "/archive/?q=a+b"]


def _location_is_same_site(location: str) -> bool:
    """What a browser does with the Location: drop tab/newline, treat backslash as slash."""
    cleaned = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    parts = urlsplit(cleaned.strip())
    return not parts.scheme and not parts.netloc and cleaned.startswith("/") \
        and not cleaned.startswith("//")


@pytest.mark.parametrize("target", BYPASSES)
def test_known_bypasses_are_not_same_site_paths(target):
    assert same_site_path(target) is None


@pytest.mark.parametrize("target", SAFE)
def test_ordinary_paths_are_kept(target):
    assert same_site_path(target) == target


@pytest.mark.parametrize("target", BYPASSES)
def test_signing_in_never_redirects_off_site(client, user, target):
    response = client.post("/auth/login?next=" + quote(target, safe="", errors="surrogatepass"),
                           data={"email": user.email, "password": DEFAULT_PASSWORD})
    if response.status_code == 400:  # control characters in the URL are refused outright
        assert "control characters" in response.get_data(as_text=True)
        return
    assert response.status_code == 302
    assert _location_is_same_site(response.headers["Location"]), response.headers["Location"]


def test_the_tab_trick_from_the_review_lands_on_the_dashboard(client, user):
    response = client.post("/auth/login?next=/%09/evil.com",
                           data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/projects/"


def test_a_same_site_next_is_followed(client, user):
    response = client.post("/auth/login?next=/directory/%3Fq%3Dx",
                           data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/directory/?q=x"


@pytest.mark.parametrize("target", [t for t in BYPASSES if "\udc80" not in t])
def test_the_language_switch_never_redirects_off_site(client, target):
    response = client.post("/language", data={"lang": "it", "next": target})
    assert response.status_code == 302
    assert _location_is_same_site(response.headers["Location"]), response.headers["Location"]


def test_the_language_switch_returns_to_the_page(client):
    response = client.post("/language", data={"lang": "it", "next": "/archive/?page=2"})
    assert response.headers["Location"] == "/archive/?page=2"
