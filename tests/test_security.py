"""The security baseline: CSRF refusal, cookie flags, security headers, and the error pages
(HTML for pages, JSON under /api/) for 400/403/404/405/413/429/500."""
import re

import pytest

from app import create_app
from app.auth.models import User
from app.core.errors import PermissionDenied, ValidationError
from app.extensions import db, limiter
from tests.conftest import IsolatedClient
from tests.factories import DEFAULT_PASSWORD, make_user

REGISTRATION = {"name": "Giulia Rossi", "email": "giulia@museo.it", "password": "a-long-password",
                "confirm": "a-long-password"}


@pytest.fixture
def make_app(app):
    """Another app on the test database with some settings changed (the `app` fixture cleans up)."""
    built = []

    def build(config_name: str = "testing", **overrides):
        other = create_app(config_name, socketio_async_mode="threading", overrides={
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **overrides})
        other.test_client_class = IsolatedClient
        built.append(other)
        return other
    yield build
    for other in built:  # close their connection pools (PostgreSQL counts connections)
        with other.app_context():
            db.engine.dispose()


def _user_count() -> int:
    return db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one()


# --- CSRF -----------------------------------------------------------------------------------

def test_post_without_csrf_token_is_a_readable_400_and_writes_nothing(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/auth/register", data=REGISTRATION)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "security token" in response.get_data(as_text=True)
    assert _user_count() == 0


def test_post_with_a_forged_csrf_token_is_refused(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    client.get("/auth/register")
    response = client.post("/auth/register", data={**REGISTRATION, "csrf_token": "forged"})
    assert response.status_code == 400
    assert _user_count() == 0


def test_post_with_the_page_token_is_accepted(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/auth/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/register", data={**REGISTRATION, "csrf_token": token})
    assert response.status_code == 302
    assert _user_count() == 1


def test_sign_out_and_language_switch_need_the_token_too(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    assert client.post("/auth/logout").status_code == 400
    page = client.get("/auth/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/auth/register", data={**REGISTRATION, "csrf_token": token}).status_code == 302
    assert client.post("/language", data={"lang": "it"}).status_code == 400  # signed in: the profile


def test_an_anonymous_language_switch_only_sets_the_cookie_without_a_token(make_app):
    """What `?lang=` does too; so the public pages carry no token and can be cached."""
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/language", data={"lang": "it"})
    assert response.status_code == 302
    assert any(v.startswith("lang=it") for v in response.headers.getlist("Set-Cookie"))
    assert 'name="csrf_token"' not in client.get("/").get_data(as_text=True)


# --- Cookies --------------------------------------------------------------------------------

def _session_cookie(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    cookie = _session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_production_cookies_are_secure(make_app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    production = make_app("production", RATELIMIT_STORAGE_URI="memory://")
    assert production.config["SESSION_COOKIE_SECURE"] is True
    user = make_user()
    response = production.test_client().post(
        "/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD},
        base_url="https://localhost")
    assert response.status_code in (302, 400)  # CSRF is on in production: no token, no sign-in
    response = production.test_client().get("/auth/login", base_url="https://localhost")
    cookie = _session_cookie(response)  # the CSRF token lives in the session
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_development_keeps_a_generated_secret_key_in_the_data_dir(monkeypatch, tmp_path):
    from config import load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    first, second = load_config("development"), load_config("development")
    assert first.SECRET_KEY == second.SECRET_KEY and len(first.SECRET_KEY) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


# --- Headers --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/auth/login", "/directory/", "/api/v1/nothing-here", "/healthz",
                                  "/healthz/live", "/healthz/ready", "/metrics",
                                  "/readyz", "/no-such-page", "/oai?verb=Identify",
                                  "/sitemap.xml", "/robots.txt"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def _assert_no_inline_code_or_outside_origins(page: str, path: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", page), path
    assert " style=" not in page, path
    assert '="None"' not in page, path  # an attribute without a value is left out
    own_links = re.sub(r'href="https://[^"]*" rel="[^"]*nofollow', "", page)  # user websites
    assert not re.search(r'(src|href)="(https?:)?//', own_links), path


def test_pages_contain_no_inline_scripts_styles_or_outside_origins(client):
    for path in ("/", "/auth/login", "/auth/register", "/directory/"):
        _assert_no_inline_code_or_outside_origins(client.get(path).get_data(as_text=True), path)


def test_signed_in_forms_contain_no_inline_scripts_or_styles(signed_in):
    for path in ("/orgs/new", "/auth/profile", "/auth/password"):
        response = signed_in.get(path)
        assert response.status_code == 200, path
        _assert_no_inline_code_or_outside_origins(response.get_data(as_text=True), path)


# --- Error pages ----------------------------------------------------------------------------

@pytest.fixture
def error_app(make_app):
    """An app with routes that fail on purpose, under a page path and under /api/."""
    failing = make_app(MAX_CONTENT_LENGTH=1024, LOGIN_RATE_LIMIT="1/minute")

    def boom():
        raise RuntimeError("kaboom")

    def forbidden():
        raise PermissionDenied()

    def invalid():
        raise ValidationError("The colour must be blue.")

    def upload():
        from flask import request

        return str(len(request.get_data()))

    for prefix in ("/test", "/api/v1/test"):
        failing.add_url_rule(f"{prefix}/limited", f"{prefix}-limited",
                             limiter.limit("1/minute")(lambda: "ok"))
        failing.add_url_rule(f"{prefix}/boom", f"{prefix}-boom", boom)
        failing.add_url_rule(f"{prefix}/forbidden", f"{prefix}-forbidden", forbidden)
        failing.add_url_rule(f"{prefix}/invalid", f"{prefix}-invalid", invalid)
        failing.add_url_rule(f"{prefix}/upload", f"{prefix}-upload", upload, methods=["POST"])
    return failing


def _request(client, status: int, prefix: str):
    if status == 400:
        return client.get(f"{prefix}/invalid")
    if status == 403:
        return client.get(f"{prefix}/forbidden")
    if status == 404:
        return client.get(f"{prefix}/missing")
    if status == 405:
        return client.delete(f"{prefix}/upload")
    if status == 413:
        return client.post(f"{prefix}/upload", data=b"x" * 5000)
    if status == 500:
        return client.get(f"{prefix}/boom")
    if status == 429:
        client.get(f"{prefix}/limited")
        return client.get(f"{prefix}/limited")
    raise AssertionError(status)


@pytest.mark.parametrize("status, words", [
    (400, "The colour must be blue."), (403, "permission"), (404, "could not find"),
    (405, "not available"), (413, "larger than the allowed maximum"), (500, "unexpected error"),
    (429, "Too many attempts"),
])
def test_error_pages_are_html_for_pages(error_app, status, words):
    response = _request(error_app.test_client(), status, "/test")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"({status})</span></h1>" in page and words in page
    assert "kaboom" not in page and "Traceback" not in page


@pytest.mark.parametrize("status", [400, 403, 404, 405, 413, 429, 500])
def test_error_responses_are_json_under_api(error_app, status):
    response = _request(error_app.test_client(), status, "/api/v1/test")
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert isinstance(response.get_json()["error"], str) and response.get_json()["error"]
    assert "kaboom" not in response.get_data(as_text=True)


def test_too_many_requests_is_a_readable_page(error_app):
    client = error_app.test_client()
    client.post("/auth/login", data={"email": "a@b.eu", "password": "whatever-long"})
    response = client.post("/auth/login", data={"email": "a@b.eu", "password": "whatever-long"})
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    assert "Too many attempts" in response.get_data(as_text=True)
