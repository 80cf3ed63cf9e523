"""`flask archive import`: valid records imported and published, invalid ones refused whole."""
import json

from sqlalchemy import func, select

from app.archive.importing import import_records
from app.archive.models import CaseStudy, CaseStudyPartner
from app.extensions import db
from app.orgs.models import Organisation
from app.search.services import index_lag

from .factories import record


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def write(tmp_path, records) -> str:
    path = tmp_path / "import.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_import_publishes_indexes_and_matches_organisations(app, runner, tmp_path, client):
    records = [
        record(slug="krakow-one", title="Wirtualny spacer po Małopolsce", language="pl",
               country="PL", lead={"name": "Muzeum Żup Krakowskich", "city": "Wieliczka",
                                   "size": "medium"}),
        record(slug="krakow-two", country="PL",
               lead={"name": "MUZEUM ŻUP KRAKOWSKICH", "city": "Wieliczka", "size": "medium"}),
    ]
    result = runner.invoke(args=["archive", "import", write(tmp_path, records)])
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    museums = db.session.execute(select(Organisation).where(
        Organisation.kind == "museum")).scalars().all()
    assert len(museums) == 1  # matched by name (case-insensitively) and country
    assert index_lag() == 0  # applied to the index
    found = client.get("/api/v1/case-studies?q=malopolsce").get_json()
    assert [r["slug"] for r in found["results"]] == ["krakow-one"]


def test_invalid_records_are_refused_whole_and_the_exit_code_says_so(app, runner, tmp_path):
    records = [
        record(slug="good-one"),
        record(slug="bad-area", areas=["time-travel"],
               lead={"name": "Brand New Museum", "city": "X", "size": "small"}),
        record(slug="bad-partner", partners=[{"name": "Ghost Ltd", "kind": "spaceship"}],
               lead={"name": "Another New Museum", "city": "Y", "size": "small"}),
        {"title": "No country", "summary": "x"},
        "not even an object",
        record(slug="good-two"),
    ]
    result = runner.invoke(args=["archive", "import", write(tmp_path, records)])
    assert result.exit_code == 1
    assert "2 created" in result.output and "4 refused" in result.output
    assert "record 2 (bad-area)" in result.output and "record 5" in result.output
    assert sorted(db.session.execute(select(CaseStudy.slug)).scalars()) == [
        "good-one", "good-two"]
    names = set(db.session.execute(select(Organisation.name)).scalars())
    assert "Brand New Museum" not in names and "Ghost Ltd" not in names  # nothing half-written


def test_import_is_idempotent_by_slug_and_updates_changed_records(app, tmp_path):
    records = [record(slug="same"), record(slug="other")]
    first = import_records(records)
    assert len(first.created) == 2
    again = import_records(records)
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 2
    assert count(CaseStudy) == 2 and count(CaseStudyPartner) == 2
    changed = [dict(records[0], title="A better title"), records[1]]
    third = import_records(changed)
    assert third.updated == ["same"]
    case_study = db.session.execute(select(CaseStudy).where(CaseStudy.slug == "same")).scalar_one()
    assert case_study.published_revision.snapshot["title"] == "A better title"


def test_unreadable_files_are_refused_with_a_message(app, runner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("[{", encoding="utf-8")
    result = runner.invoke(args=["archive", "import", str(path)])
    assert result.exit_code != 0 and "Could not read" in result.output
    result = runner.invoke(args=["archive", "import", write(tmp_path, {"not": "a list"})])
    assert result.exit_code != 0 and "JSON list" in result.output


def test_the_demo_archive_is_valid_and_covers_the_programme(app):
    from app.archive.demo import DEMO_FILE

    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    report = import_records(records)
    assert report.errors == []
    assert len(report.created) >= 40
    assert len({r["country"] for r in records}) >= 20
    assert {"en", "it", "fr", "de"} <= {r["language"] for r in records}
    from app.projects.areas import APPLICATION_AREAS

    assert {a for r in records for a in r["areas"]} == set(APPLICATION_AREAS)
