"""The JSON API answers anonymous callers alike: 401 with a JSON error on every endpoint that
needs a session (only the archive's open data and the open calls are public)."""
import re

from tests.factories import make_team

PUBLIC = {"api.case_studies", "api.case_study", "api.calls", "api.call"}


def test_every_private_api_endpoint_answers_401_to_anonymous_callers(app, client):
    project, _people = make_team()
    failures, checked = [], 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in PUBLIC:
            continue
        path = re.sub(r"<(?:(\w+):)?\w+>",
                      lambda m: "1" if m.group(1) in ("id", "int") else project.slug, rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            checked += 1
            response = client.open(path, method=method, json={})
            if response.status_code != 401 or "error" not in (response.get_json() or {}):
                failures.append(f"{method} {rule.rule}: {response.status_code}")
    assert checked >= 10
    assert failures == []


def test_the_open_data_api_stays_public(client):
    assert client.get("/api/v1/case-studies").status_code == 200
    assert client.get("/api/v1/case-studies/nothing-here").status_code == 404
