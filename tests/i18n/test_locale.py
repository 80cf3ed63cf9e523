"""Choosing the reader's language and formatting numbers, money and dates in it."""
from datetime import datetime

import pytest
from flask_babel import force_locale

from app.core.i18n import LANGUAGE_NAMES, best_language, language_choices
from app.core.templating import euros

SHIPPED = ["en", "it", "fr", "de", "es", "pt", "pl", "nl"]


@pytest.mark.parametrize("header, expected", [
    ("de-AT", "de"),
    ("de-AT,de;q=0.9", "de"),
    ("pt-BR,en;q=0.3", "pt"),                     # a region falls back before a worse language
    ("en;q=0.3, fr-CH;q=0.8", "fr"),              # quality decides, not the order
    ("nl-BE;q=0.5, pl;q=0.5", "nl"),              # equal quality: the header's order
    ("fr;q=0, it", "it"),                         # q=0 means "not this one"
    ("EN-gb", "en"),
    ("sv, xx-YY", None),
    ("*", None),
    ("", None),
    ("de;q=nonsense, it", "it"),
])
def test_accept_language_picks_the_best_shipped_language(header, expected):
    assert best_language(header, SHIPPED) == expected


def test_accept_language_header_chooses_the_page_language(client):
    text = client.get("/", headers={"Accept-Language": "it-CH, en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="it">' in text


def test_language_switch_names_each_language_in_itself(client, app):
    assert LANGUAGE_NAMES["de"] == "Deutsch" and LANGUAGE_NAMES["pl"] == "Polski"
    assert list(language_choices(["fr", "en", "de", "it"]).values()) == [
        "Deutsch", "English", "Français", "Italiano"]
    page = client.get("/?lang=it").get_data(as_text=True)
    for code in app.config["LANGUAGES"]:
        assert f'<option value="{code}" lang="{code}"' in page
        assert f">{LANGUAGE_NAMES[code]}</option>" in page


@pytest.mark.parametrize("locale, whole, cents", [
    ("en", "€30,000", "€1,234.50"),
    ("it", "30.000\xa0€", "1.234,50\xa0€"),
    ("de", "30.000\xa0€", "1.234,50\xa0€"),
    ("fr", "30\u202f000\xa0€", "1\u202f234,50\xa0€"),
])
def test_euro_amounts_follow_the_locale(app, locale, whole, cents):
    with app.test_request_context(), force_locale(locale):
        assert euros(30000) == whole
        assert euros(1234.5) == cents
        assert euros(None) == ""


def test_dates_follow_the_locale(app):
    moment = datetime(2026, 3, 5, 14, 30)
    template = app.jinja_env.from_string("{{ m|date }} · {{ m|wall_clock }}")
    with app.test_request_context(), force_locale("de"):
        assert template.render(m=moment) == "05.03.2026 · 05.03.26, 14:30"
    with app.test_request_context(), force_locale("en"):
        assert template.render(m=moment) == "Mar 5, 2026 · 3/5/26, 2:30\u202fPM"


def test_file_sizes_use_the_readers_units(app):
    from app.files import human_size

    with app.test_request_context():
        with force_locale("fr"):
            assert human_size(30_000) == "29,3 Ko"
        with force_locale("de"):
            assert human_size(3 * 1024 * 1024) == "3 MB"
