"""A pilot's grant: 40 % due at the start, 60 % once its case study is published in the
archive (the archive's publish signal), kept by managers (paid on a date, withheld with a
reason), totalled against the programme's budget and exported for the funder."""
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from app.archive import services as archive
from app.calls.application_models import Application
from app.extensions import db
from app.pilots.models import Pilot
from tests.archive.conftest import submitted_case_study
from tests.conftest import client_for
from tests.evaluation.factories import make_user

from .factories import published_programme


def it_pilot(call) -> Pilot:
    return db.session.execute(select(Pilot).join(Application).where(
        Pilot.call_id == call.id, Application.ref == "IT-1")).scalar_one()


def test_the_grant_is_paid_forty_then_sixty_percent(app):
    call, _people = published_programme()
    first, second = it_pilot(call).instalments
    assert (first.amount_eur, first.status, first.trigger) == (10_000, "due", "start")
    assert first.due_on is not None
    assert (second.amount_eur, second.status, second.due_on) == (15_000, "scheduled", None)


def test_the_last_instalment_falls_due_when_the_case_study_is_published(app):
    call, people = published_programme()
    pilot = it_pilot(call)
    pilot.project.status = "completed"
    db.session.commit()
    case_study = submitted_case_study(pilot.project, people["applicant"])
    assert pilot.instalments[1].status == "scheduled"
    archive.publish_case_study(make_user(admin=True), case_study)
    db.session.expire_all()
    second = it_pilot(call).instalments[1]
    assert second.status == "due" and second.due_on > date(2026, 1, 1)
    results = client_for(app, people["outsider"]).get(f"/calls/{call.slug}/results.json")
    linked = {p["ref"]: p.get("case_study_url") for p in results.get_json()["pilots"]}
    assert linked["IT-1"].endswith(f"/archive/{case_study.slug}")
    assert linked["FR-1"] is None


def test_managers_record_payments_and_withholdings(app):
    call, people = published_programme()
    manager = client_for(app, people["manager"])
    first, second = it_pilot(call).instalments
    url = f"/calls/{call.slug}/grants/instalments/{first.id}"
    assert manager.post(url, data={"status": "paid", "paid_on": "2026-03-01"}).status_code == 302
    refused = manager.post(f"/calls/{call.slug}/grants/instalments/{second.id}",
                           data={"status": "withheld", "reason": ""})
    assert refused.status_code == 400 and "Write why" in refused.get_data(as_text=True)
    assert manager.post(f"/calls/{call.slug}/grants/instalments/{second.id}",
                        data={"status": "withheld", "reason": "No report yet."}
                        ).status_code == 302
    db.session.expire_all()
    first, second = it_pilot(call).instalments
    assert str(first.paid_on) == "2026-03-01" and second.withheld_reason == "No report yet."
    page = manager.get(f"/calls/{call.slug}/grants").get_data(as_text=True)
    assert "Granted to third parties" in page and "100,000" in page
    csv_text = manager.get(f"/calls/{call.slug}/grants.csv").get_data(as_text=True)
    assert "IT-1" in csv_text and "No report yet." in csv_text
    book = load_workbook(io.BytesIO(manager.get(f"/calls/{call.slug}/grants.xlsx").data))
    rows = list(book.active.values)
    assert rows[0][0] == "ref" and len(rows) == 1 + 4
