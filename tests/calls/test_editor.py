"""Managers create and edit calls in the interface: every field refuses bad input with a clear,
translated error next to it, writes nothing, and keeps what was typed."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.calls.models import Call
from app.extensions import db
from tests.conftest import client_for

from .factories import make_call, make_manager
from .test_authorization_matrix import form_body

BAD_INPUT = [
    ("slug", "Not a slug!", "lower-case letters"),
    ("language", "xx", "site&#39;s languages"),
    ("title_en", "", "main language"),
    ("title_en", "T" * 201, "At most 200"),
    ("description_en", "", "main language"),
    ("faq_en", "x" * 20001, "At most 20000"),
    ("timezone", "Mars/Olympus", "time zone"),
    ("opens", "next tuesday", "date and time"),
    ("closes", "2020-01-01T00:00", "close after it opens"),
    ("budget_eur", "lots", "whole number"),
    ("max_grant_eur", "0", "whole number"),
    ("max_grant_eur", "999999999", "whole number"),
    ("countries", "IT ZZ", "Unknown country code: ZZ"),
    ("countries", "", "at least one eligible country"),
    ("lead_kinds", ["castle"], "Unknown choice: castle"),
    ("lead_kinds", [], "Choose at least one"),
    ("museum_sizes", ["huge"], "Unknown choice: huge"),
    ("min_partners", "-1", "whole number"),
    ("partner_kinds", ["bank"], "Unknown choice: bank"),
    ("areas", ["cooking"], "Unknown choice: cooking"),
    ("areas", [], "Choose at least one"),
    ("criteria", "Excellence | 50\nImpact | 40", "add up to 100"),
    ("criteria", "Excellence", "Title | weight"),
    ("threshold", "6", "score from 0 to 5"),
    ("threshold", "high", "score from 0 to 5"),
    ("evaluators_per_application", "0", "whole number"),
    ("results", "r" * 20001, "At most 20000"),
]


@pytest.mark.parametrize("field,value,message", BAD_INPUT,
                         ids=[f"{f}={str(v)[:12]!r}" for f, v, _m in BAD_INPUT])
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(app, field, value,
                                                                       message):
    client = client_for(app, make_manager())
    body = form_body(**{field: value})
    response = client.post("/calls/new", data=body)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'id="{field}-error"' in page or 'class="form-errors"' in page
    assert db.session.execute(select(func.count()).select_from(Call)).scalar_one() == 0
    assert body["slug"] in page or field == "slug"  # what was typed comes back


def test_errors_are_in_italian_for_an_italian_manager(app):
    manager = make_manager()
    manager.locale = "it"
    db.session.commit()
    response = client_for(app, manager).post("/calls/new", data=form_body(threshold="9"))
    assert "punteggio da 0 a 5" in response.get_data(as_text=True)


def test_a_manager_creates_a_draft_with_criteria_and_times_in_the_calls_zone(app):
    client = client_for(app, make_manager())
    body = form_body(slug="pilots-2030", timezone="Europe/Brussels",
                     opens="2030-01-15T09:00", closes="2030-03-31T17:00",
                     criteria="Excellence | 50\nImpact | 30\nImplementation | 20")
    response = client.post("/calls/new", data=body)
    assert response.status_code == 302
    call = db.session.execute(select(Call)).scalar_one()
    assert call.status == "draft" and call.slug == "pilots-2030"
    assert call.opens_at == datetime(2030, 1, 15, 8, 0)   # CET = UTC+1
    assert call.closes_at == datetime(2030, 3, 31, 15, 0)  # CEST = UTC+2
    assert [(c.title, c.weight) for c in call.criteria] == [
        ("Excellence", 50), ("Impact", 30), ("Implementation", 20)]
    edit = client.get("/calls/pilots-2030/edit").get_data(as_text=True)
    assert 'value="2030-03-31T17:00"' in edit


def test_a_call_moves_on_one_status_at_a_time(app):
    call = make_call("draft")
    client = client_for(app, make_manager())
    assert client.post(f"/calls/{call.slug}/status", data={"status": "closed"}).status_code == 409
    for status in ("open", "closed", "evaluated", "decided"):
        assert client.post(f"/calls/{call.slug}/status",
                           data={"status": status}).status_code == 302
        db.session.refresh(call)
        assert call.status == status


def test_editing_keeps_the_slug_unique(app):
    first, second = make_call("draft"), make_call("draft")
    client = client_for(app, make_manager())
    response = client.post(f"/calls/{second.slug}/edit", data=form_body(slug=first.slug))
    assert response.status_code == 400
    assert "Another call already uses this address" in response.get_data(as_text=True)
