"""Ids in URLs: one converter (`<id:…>`) for every blueprint; numbers no database column can
hold are a plain 404, never an OverflowError and a 500."""
import re

import pytest
from werkzeug.routing import IntegerConverter

from app.core.urls import MAX_ID, IdConverter
from tests.conftest import client_for
from tests.factories import make_team

HUGE = ["99999999999999999999", str(2**63), str(2**31), "0"]


def _id_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(conv, IntegerConverter) for conv in rule._converters.values())]


def test_every_id_in_a_url_uses_the_one_id_converter(app):
    rules = _id_rules(app)
    assert len(rules) >= 19
    plain = [rule.rule for rule in rules
             if not all(isinstance(conv, IdConverter)
                        for conv in rule._converters.values() if isinstance(conv, IntegerConverter))]
    assert plain == []


def _url(rule, slug: str, number: str) -> str:
    """The rule's path with every number replaced by `number` and every other part by `slug`."""
    return re.sub(r"<(?:([^<>]*?):)?\w+>",
                  lambda match: number if match.group(1) in ("id", "int") else slug, rule.rule)


@pytest.mark.parametrize("number", HUGE)
def test_out_of_range_ids_are_404_on_every_route(app, number):
    project, people = make_team()
    client = client_for(app, people["admin"])
    failures = []
    for rule in _id_rules(app):
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "DELETE"}):
            response = client.open(_url(rule, project.slug, number), method=method, json={}
                                   if rule.rule.startswith("/api/") else None)
            if response.status_code != 404:
                failures.append(f"{method} {rule.rule}: {response.status_code}")
    assert failures == []


def test_the_largest_id_is_an_ordinary_missing_record(app):
    project, people = make_team()
    client = client_for(app, people["lead"])
    response = client.get(f"/projects/{project.slug}/documents/{MAX_ID}")
    assert response.status_code == 404
    assert "could not find" in response.get_data(as_text=True)
