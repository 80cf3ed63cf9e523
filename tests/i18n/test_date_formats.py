"""Templates' `|datetime` and `|date` through compiled patterns (app/core/date_formats.py) print
exactly what Babel and Flask-Babel print, in every language, style and a year of moments, in
UTC and in zones with summer time; FAST_DATE_FORMAT=0, or a Babel the start-up check does not
recognise, keeps the stock filters."""
from datetime import date, datetime, timedelta

import pytest
from babel import dates as babel_dates
from flask import render_template_string
from flask_babel import force_locale

from app.core import date_formats

SHIPPED = ["en", "it", "fr", "de", "es", "pt", "pl", "nl"]
TEMPLATE = ("{{ m|datetime('short') }}|{{ m|datetime }}|{{ m|datetime('long') }}|"
            "{{ m|datetime('full') }}|{{ m|date }}|{{ m|date('short') }}|{{ d|date('long') }}|"
            "{{ none|datetime }}|{{ none|date }}|{{ m|datetime('yyyy-MM-dd HH:mm') }}")


def _a_year_of_moments() -> list[datetime]:
    start = datetime(2025, 12, 31, 22, 59, 58)
    return [start + timedelta(hours=7 * n, minutes=11 * n, seconds=n) for n in range(1300)]


@pytest.fixture
def restore_filters(app):
    yield
    app.config["FAST_DATE_FORMAT"] = True
    date_formats.register(app)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Rome", "America/New_York"])
def test_compiled_formats_are_babels_in_every_language(zone):
    assert date_formats.differences(SHIPPED, zone, _a_year_of_moments()) == []


def test_the_compiled_filters_are_installed(app):
    assert app.extensions["fast_date_format"] is True
    assert app.jinja_env.filters["datetime"] is date_formats.local_datetime
    assert app.jinja_env.filters["date"] is date_formats.local_date


@pytest.mark.parametrize("language", SHIPPED)
def test_templates_print_the_same_dates_both_ways(app, restore_filters, language):
    def render():
        printed = []
        for moment in _a_year_of_moments()[::97]:
            with app.test_request_context("/"), force_locale(language):
                printed.append(render_template_string(TEMPLATE, m=moment, d=moment.date(),
                                                      none=None))
        return printed

    fast = render()
    app.config["FAST_DATE_FORMAT"] = False
    date_formats.register(app)
    assert app.jinja_env.filters["datetime"] is date_formats.stock_datetime
    assert render() == fast
    assert "|" * 2 in fast[0]  # no date prints nothing, both ways


def test_a_babel_that_prints_otherwise_keeps_the_stock_filters(app, restore_filters, monkeypatch):
    monkeypatch.setattr(date_formats, "differences", lambda *args: ["en short: 'x' != 'y'"])
    date_formats.register(app)
    assert app.extensions["fast_date_format"] is False
    assert app.jinja_env.filters["date"] is date_formats.stock_date


def test_a_babel_without_the_internals_keeps_the_stock_filters(app, restore_filters, monkeypatch):
    monkeypatch.delattr(babel_dates, "_ensure_datetime_tzinfo")
    assert date_formats.missing_internals() == ["babel.dates._ensure_datetime_tzinfo"]
    date_formats.register(app)
    assert app.jinja_env.filters["datetime"] is date_formats.stock_datetime


def test_a_style_mapped_to_a_pattern_of_its_own_keeps_the_stock_filters(app, restore_filters,
                                                                      monkeypatch):
    formats = app.extensions["babel"].instance.date_formats
    monkeypatch.setitem(formats, "datetime.short", "yyyy-MM-dd HH:mm")
    date_formats.register(app)
    assert app.jinja_env.filters["datetime"] is date_formats.stock_datetime
    with app.test_request_context("/"):
        assert render_template_string("{{ m|datetime('short') }}",
                                      m=datetime(2026, 1, 2, 3, 4)) == "2026-01-02 03:04"


def test_a_date_and_a_datetime_print_their_own_day(app):
    with app.test_request_context("/"), force_locale("de"):
        assert date_formats.local_date(date(2026, 3, 1)) == "01.03.2026"
        assert date_formats.local_date(datetime(2026, 3, 1, 23, 59)) == "01.03.2026"
