"""Templates' `url_for` with static and argument-free URLs built once (app/core/template_urls.py)
gives what Flask's gives, for every page's links, under another script root too, and keeps
nothing of one request for another; TEMPLATE_URL_CACHE=0 is Flask's own."""
import pytest
from flask import render_template_string

from app import create_app
from app.core import template_urls

TEMPLATE = ("{{ url_for('static', filename='css/app.css') }}|{{ url_for('main.home') }}|"
            "{{ url_for('calls.index') }}|{{ url_for('auth.profile', user_id=7) }}|"
            "{{ url_for('main.site_page', key='privacy') }}|"
            "{{ url_for('static', filename='js/app.js', _external=True) }}|"
            "{{ url_for('archive.index', _anchor='top') }}")


@pytest.fixture
def stock_app(_schema, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    return create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": _schema,
                                            "TEMPLATE_URL_CACHE": False})


def _render(application, script_root: str = "", host: str = "localhost") -> str:
    with application.test_request_context("/", base_url=f"http://{host}{script_root}"):
        return render_template_string(TEMPLATE)


def test_the_cached_url_for_is_installed_and_the_setting_turns_it_off(app, stock_app):
    assert template_urls.usable(app)
    assert app.jinja_env.globals["url_for"].stock == app.url_for
    assert stock_app.jinja_env.globals["url_for"] == stock_app.url_for


@pytest.mark.parametrize("script_root", ["", "/museum"])
def test_templates_get_the_same_urls_both_ways(app, stock_app, script_root):
    for _ in range(2):  # the second time from what the first remembered
        fast = _render(app, script_root)
        assert fast == _render(stock_app, script_root)
    assert fast.startswith(f"{script_root}/static/")
    assert f"|{script_root}/users/7|" in fast


def test_another_script_root_or_host_is_not_served_what_one_remembered(app):
    plain = _render(app)
    prefixed = _render(app, "/museum")
    assert plain.split("|")[:3] != prefixed.split("|")[:3]
    assert all(url.startswith("/museum/") for url in prefixed.split("|")[:3])
    other_host = _render(app, host="example.org")
    assert "http://example.org/static/" in other_host  # _external is never remembered


def test_a_flask_without_the_request_contextvar_keeps_flasks_url_for(app, monkeypatch):
    monkeypatch.setattr(template_urls, "_request_contextvar", lambda: None)
    assert not template_urls.usable(app)


def test_url_default_functions_keep_flasks_url_for(stock_app):
    stock_app.url_defaults(lambda endpoint, values: None)
    assert not template_urls.usable(stock_app)


def test_pages_render_the_same_links_both_ways(app, stock_app, client):
    fast = client.get("/").get_data(as_text=True)
    stock = stock_app.test_client().get("/").get_data(as_text=True)
    assert fast == stock
