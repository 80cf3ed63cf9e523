"""`flask calls import FILE.json`: the exact contract of docs/calls.md. Idempotent, a savepoint
per application, refused records named on stderr with exit status 1 while the others stay,
organisations matched by name and country or added unverified, consensus scores kept."""
import copy
import json
from pathlib import Path

from sqlalchemy import func, select

from app.calls.application_models import Application, ApplicationVersion
from app.calls.models import Call
from app.extensions import db
from app.orgs.models import Organisation
from tests.factories import make_org

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "calls-import.json"


def _example() -> dict:
    return json.loads(EXAMPLE.read_text())


def _run(runner, tmp_path, data, name="import.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return runner.invoke(args=["calls", "import", str(path)])


def _count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_the_documented_example_imports_and_reimporting_changes_nothing(app, runner, tmp_path):
    result = _run(runner, tmp_path, _example())
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    call = db.session.execute(select(Call).where(
        Call.slug == "museum-innovation-pilots-2025")).scalar_one()
    assert call.status == "closed"
    assert (call.max_per_country, call.min_small_share, call.threshold) == (3, 0.5, 3.5)
    assert [(c.key, c.weight) for c in call.criteria] == [
        ("excellence", 40), ("impact", 35), ("implementation", 25)]
    assert call.evaluators_per_application == 3
    first = db.session.execute(select(Application).where(Application.ref == "MIP25-001")
                               ).scalar_one()
    assert first.consensus_score == 4.2 and first.status == "submitted" and first.eligible
    assert first.lead_organisation.verification == "unverified"
    assert [p.organisation.name for p in first.partners] == ["Fotogramma Studio"]
    again = _run(runner, tmp_path, _example())
    assert again.exit_code == 0 and "2 unchanged" in again.output
    assert _count(ApplicationVersion) == 2
    assert _count(Organisation) == 5


def test_refused_records_are_named_and_the_others_kept(app, runner, tmp_path):
    data = _example()
    good = copy.deepcopy(data["applications"][0])
    data["applications"] += [
        good | {"ref": "MIP25-003", "requested_eur": "lots"},
        good | {"ref": "MIP25-004", "lead": good["lead"] | {"country": "XX"}},
        good | {"ref": "MIP25-005", "submitted_at": "2025-03-30T22:14:05"},
        good | {"ref": "MIP25-006", "consensus_score": 7},
        good | {"ref": "MIP25-001"},
        "not an application",
    ]
    result = _run(runner, tmp_path, data)
    assert result.exit_code == 1
    for ref in ("MIP25-003", "MIP25-004", "MIP25-005", "MIP25-006", "MIP25-001", "#8"):
        assert f"refused {ref}:" in result.stderr, result.stderr
    assert "requested_eur" in result.stderr and "lead.country" in result.stderr
    assert _count(Application) == 2
    # nothing of a refused record was written, not even its new organisations
    assert _count(Organisation) == 5


def test_an_update_adds_a_version_and_the_last_counts(app, runner, tmp_path):
    assert _run(runner, tmp_path, _example()).exit_code == 0
    data = _example()
    data["applications"][1]["requested_eur"] = 45000
    data["applications"][1]["consensus_score"] = 2.5
    result = _run(runner, tmp_path, data)
    assert result.exit_code == 0 and "1 updated" in result.output
    second = db.session.execute(select(Application).where(Application.ref == "MIP25-002")
                                ).scalar_one()
    db.session.refresh(second)
    assert second.submitted_version == 2 and second.consensus_score == 2.5
    assert second.eligible is False  # over the maximum grant
    assert any(item["key"] == "budget" and not item["ok"] for item in second.eligibility)


def test_organisations_are_matched_by_name_and_country(app, runner, tmp_path):
    known = make_org("Museo del Tessile di Carpi", country="IT")
    make_org("Fotogramma Studio", kind="technology", country="ES")  # same name, other country
    assert _run(runner, tmp_path, _example()).exit_code == 0
    first = db.session.execute(select(Application).where(Application.ref == "MIP25-001")
                               ).scalar_one()
    assert first.lead_organisation_id == known.id
    assert first.partners[0].organisation.country == "IT"


def test_an_ineligible_country_is_flagged_not_refused(app, runner, tmp_path):
    data = _example()
    data["applications"][0]["lead"]["country"] = "CH"
    assert _run(runner, tmp_path, data).exit_code == 0
    first = db.session.execute(select(Application).where(Application.ref == "MIP25-001")
                               ).scalar_one()
    assert first.eligible is False
    assert [i["key"] for i in first.eligibility if not i["ok"]] == ["country"]


def test_bad_files_fail_clearly_and_write_nothing(app, runner, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    result = runner.invoke(args=["calls", "import", str(path)])
    assert result.exit_code != 0 and "Not a JSON file" in result.output
    data = _example()
    data["call"]["max_grant_eur"] = "many"
    result = _run(runner, tmp_path, data)
    assert result.exit_code != 0 and "max_grant_eur" in result.output
    assert _run(runner, tmp_path, {"call": data["call"], "applications": 3}).exit_code != 0
    assert _count(Call) == 0 and _count(Application) == 0
