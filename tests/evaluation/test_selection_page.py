"""The manager's selection page: the proposal with a reason per application, inclusions and
exclusions by hand that change the current choice and its balance at once, and publishing
the decisions in one step, recorded in the call's log."""
from sqlalchemy import select

from app.calls.application_models import CallLogEntry
from app.evaluation.models import SelectionDecision
from app.extensions import db
from tests.conftest import client_for

from .factories import application, applications_of, make_manager, make_programme


def programme():
    return make_programme(
        application("IT-1", "IT", 4.8), application("IT-2", "IT", 4.5),
        application("FR-1", "FR", 4.0, areas=("ar-vr",)), application("DE-1", "DE", 2.0),
        max_per_country=2, budget_eur=50_000)


def test_the_page_shows_the_proposal_reasons_and_balance(app):
    call = programme()
    page = client_for(app, make_manager()).get(f"/calls/{call.slug}/selection")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "not selected: below the minimum score (2.0, minimum 3.0)" in text
    assert "not selected: budget exhausted (EUR 10,000 left, asks 20,000)" in text
    assert 'class="tile-map"' in text and "Selected per country" in text


def test_an_exclusion_by_hand_changes_the_choice_at_once(app):
    call = programme()
    client = client_for(app, make_manager())
    refused = client.post(f"/calls/{call.slug}/selection/choice",
                          data={"ref": "IT-1", "decision": "exclude", "reason": ""})
    assert refused.status_code == 400 and "Write the reason" in refused.get_data(as_text=True)
    done = client.post(f"/calls/{call.slug}/selection/choice",
                       data={"ref": "IT-1", "decision": "exclude", "reason": "Withdrew."})
    assert done.status_code == 302
    text = client.get(f"/calls/{call.slug}/selection").get_data(as_text=True)
    assert "not selected: excluded by hand: Withdrew." in text
    below = client.post(f"/calls/{call.slug}/selection/choice",
                        data={"ref": "DE-1", "decision": "include", "reason": "Strategic."})
    assert below.status_code == 400 and "at or above the threshold" in below.get_data(
        as_text=True)


def test_publishing_records_every_decision_and_the_log(app):
    call = programme()
    manager = make_manager()
    response = client_for(app, manager).post(f"/calls/{call.slug}/selection/publish")
    assert response.status_code == 302
    decisions = db.session.execute(select(SelectionDecision).where(
        SelectionDecision.call_id == call.id)).scalars().all()
    assert len(decisions) == 4 and sum(d.selected for d in decisions) == 2
    assert {d.reason["code"] for d in decisions} >= {"selected", "below_threshold"}
    entry = db.session.execute(select(CallLogEntry).where(
        CallLogEntry.action == "selection.published")).scalar_one()
    assert entry.actor_id == manager.id and entry.message.startswith("2 selected of 4: IT-1, FR-1")


def test_the_public_results_list_the_funded_pilots_as_page_json_and_csv(app, client):
    call = programme()
    assert "No results have been published" in client.get(
        f"/calls/{call.slug}/results").get_data(as_text=True)
    client_for(app, make_manager()).post(f"/calls/{call.slug}/selection/publish")
    data = client.get(f"/calls/{call.slug}/results.json").get_json()
    assert data["count"] == 2 and data["total_eur"] == 40_000
    assert [p["ref"] for p in data["pilots"]] == ["FR-1", "IT-1"]
    assert data["pilots"][0] == {"ref": "FR-1", "title": "Pilot FR-1",
                                 "lead_organisation": "Museum FR-1", "country": "FR",
                                 "areas": ["ar-vr"], "grant_eur": 20_000,
                                 "case_study_url": None}
    csv_text = client.get(f"/calls/{call.slug}/results.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == ("ref,title,lead_organisation,country,areas,grant_eur,"
                                        "case_study_url")
    assert "Pilot IT-1" in client.get(f"/calls/{call.slug}/results").get_data(as_text=True)


def test_the_public_results_csv_writes_a_formula_looking_title_as_text(app, client):
    call = make_programme(application("IT-1", "IT", 4.8), application("FR-1", "FR", 4.5,
                                                                      lead="=HYPERLINK(1)"))
    applications_of(call)["IT-1"].title = "+SUM(A1:A9)"
    db.session.commit()
    client_for(app, make_manager()).post(f"/calls/{call.slug}/selection/publish")
    text = client.get(f"/calls/{call.slug}/results.csv").get_data(as_text=True)
    assert "'+SUM(A1:A9)" in text and "'=HYPERLINK(1)" in text
    assert ",+SUM" not in text and ",=HYPERLINK" not in text
