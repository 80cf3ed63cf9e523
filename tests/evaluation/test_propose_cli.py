"""`flask calls propose SLUG --json`: the issue's exact shape, from imported applications with
their consensus scores; only eligible applications at or above the threshold count; the
country is the lead's; a consensus from the evaluation overrides the imported one."""
import json

from sqlalchemy import select

from app.calls.application_models import Application
from app.evaluation.models import Consensus
from app.extensions import db

CALL = {
    "slug": "pilots-test", "title": "Pilots", "opens": "2025-01-15T09:00:00+01:00",
    "closes": "2025-03-31T17:00:00+02:00", "budget_eur": 60_000, "max_grant_eur": 30_000,
    "areas": ["ar-vr", "collections"], "max_per_country": 1, "min_small_share": 0.5,
    "threshold": 3.0, "criteria": [{"key": "excellence", "name": "Excellence", "weight": 100}],
}


def application(ref, country, score, requested=20_000, areas=("collections",), size="small",
                kind="museum"):
    return {"ref": ref, "title": f"Pilot {ref}", "summary": "A pilot.",
            "lead": {"name": f"Museum {ref}", "country": country, "kind": kind, "size": size},
            "partners": [{"name": f"Studio {ref}", "kind": "technology", "country": country}],
            "areas": list(areas), "requested_eur": requested,
            "submitted_at": "2025-03-30T12:00:00+02:00", "consensus_score": score}


def programme(*applications) -> dict:
    return {"call": CALL, "applications": list(applications)}


def run(runner, tmp_path, data, *args):
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(data))
    imported = runner.invoke(args=["calls", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    return runner.invoke(args=["calls", "propose", "pilots-test", *args])


def test_propose_prints_the_issues_json_shape(app, runner, tmp_path):
    result = run(runner, tmp_path, programme(
        application("IT-1", "IT", 4.5), application("IT-2", "IT", 4.0),
        application("FR-1", "FR", 3.5, areas=("ar-vr",), size="medium"),
        application("DE-1", "DE", 2.9), application("PL-1", "PL", None),
        application("ES-1", "ES", 4.9, requested=45_000)), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "feasible": True, "selected": ["IT-1", "FR-1"], "total_score": 8.0,
        "budget_used": 40_000, "per_country": {"FR": 1, "IT": 1},
        "reasons": {
            "DE-1": "not selected: below the minimum score (2.9, minimum 3.0)",
            "ES-1": "not selected: not eligible",
            "FR-1": "selected",
            "IT-1": "selected",
            "IT-2": "not selected: a higher score in the same country (Italy 1 of 1)",
            "PL-1": "not selected: no consensus score yet"},
        "relax": None}


def test_an_impossible_call_says_what_to_relax(app, runner, tmp_path):
    result = run(runner, tmp_path, programme(
        application("IT-1", "IT", 4.5), application("IT-2", "IT", 4.0, areas=("ar-vr",))),
        "--json")
    answer = json.loads(result.output)
    assert result.exit_code == 0 and not answer["feasible"] and answer["selected"] == []
    assert answer["relax"] == (
        "No selection meets every rule. Relax one of them: allow 2 projects per country "
        "instead of 1; leave 1 area uncovered (AR / VR).") or answer["relax"] == (
        "No selection meets every rule. Relax one of them: allow 2 projects per country "
        "instead of 1; leave 1 area uncovered (Collections management).")


def test_the_evaluations_consensus_overrides_the_imported_score(app, runner, tmp_path):
    data = programme(application("IT-1", "IT", 4.5), application("IT-2", "IT", 4.0))
    run(runner, tmp_path, data)
    second = db.session.execute(select(Application).where(Application.ref == "IT-2")
                                ).scalar_one()
    db.session.add(Consensus(application_id=second.id, score=4.8, comment="Agreed."))
    db.session.commit()
    answer = json.loads(runner.invoke(args=["calls", "propose", "pilots-test", "--json"]).output)
    assert answer["selected"] == ["IT-2"] and answer["total_score"] == 4.8


def test_propose_without_json_summarises_and_an_unknown_call_fails_clearly(app, runner,
                                                                           tmp_path):
    result = run(runner, tmp_path, programme(application("IT-1", "IT", 4.5)))
    assert result.exit_code == 0
    assert "Feasible: 1 selected, total score 4.5, EUR 20,000 used." in result.output
    missing = runner.invoke(args=["calls", "propose", "no-such-call", "--json"])
    assert missing.exit_code == 1
    assert "Error: There is no call at the address no-such-call." in missing.output
    assert "Traceback" not in missing.output
