"""The evaluation workflow through its services and pages: evaluators, conflicts refused
(declared, same organisation, same country when the call says so), automatic assignment and
reassignment, scoring with drafts, submit, reopen and lock, the manager's table and consensus."""
import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict, PermissionDenied, ValidationError
from app.evaluation import queries, scoring, services
from app.evaluation.models import EvaluationAssignment
from app.extensions import db
from app.orgs.models import Organisation
from tests.conftest import client_for

from .factories import (
    application, applications_of, make_evaluator, make_manager, make_programme, make_user,
)


def seats(call) -> dict[str, set[int]]:
    refs = {a.id: a.ref for a in applications_of(call).values()}
    found: dict[str, set[int]] = {}
    for row in queries.assignments_of(call):
        found.setdefault(refs[row.application_id], set()).add(row.evaluator_id)
    return found


def test_assign_automatically_gives_each_application_its_evaluators(app):
    call = make_programme()
    evaluators = [make_evaluator(call, country)[0] for country in ("PL", "ES", "NL")]
    assert services.assign_automatically(call) == {}
    assigned = seats(call)
    assert set(assigned) == {"A-1", "A-2", "A-3"}
    assert all(len(ids) == 2 for ids in assigned.values())
    loads = [sum(e.id in ids for ids in assigned.values()) for e in evaluators]
    assert max(loads) - min(loads) <= 1


def test_a_member_of_the_lead_or_a_partner_organisation_is_never_assigned(app):
    call = make_programme(application("A-1", partner="Studio Uno"), application("A-2"))
    partner_member, lead_member = make_user(), make_user()
    for name, person in (("Studio Uno", partner_member), ("Museum A-2", lead_member)):
        organisation = db.session.execute(select(Organisation).where(
            Organisation.name == name)).scalar_one()
        from app.orgs.models import OrganisationMember
        db.session.add(OrganisationMember(organisation_id=organisation.id, user_id=person.id,
                                          status="verified"))
    db.session.commit()
    first, _ = make_evaluator(call, user=partner_member)
    second, _ = make_evaluator(call, user=lead_member)
    services.assign_automatically(call)
    assigned = seats(call)
    assert first.id not in assigned["A-1"] and second.id not in assigned["A-2"]


def test_same_country_conflicts_only_when_the_call_says_so(app):
    call = make_programme(application("A-1", "IT"), evaluators_per_application=1)
    italian, _ = make_evaluator(call, "IT")
    services.assign_automatically(call)
    assert seats(call) == {"A-1": {italian.id}}
    services.save_settings(call, same_country_conflict=True)
    services.assign_automatically(call)
    assert seats(call) == {}


def test_a_declared_conflict_moves_the_application_and_nothing_else(app):
    call = make_programme(evaluators_per_application=1)
    (first, person), (second, _) = make_evaluator(call, "PL"), make_evaluator(call, "ES")
    services.assign_automatically(call)
    before = seats(call)
    ref = next(r for r, ids in before.items() if first.id in ids)
    target = applications_of(call)[ref]
    services.declare_conflict(first, target, "I advised this museum.", by=person)
    after = seats(call)
    assert after[ref] == {second.id}
    assert {r: ids for r, ids in after.items() if r != ref} == \
        {r: ids for r, ids in before.items() if r != ref}
    with pytest.raises(ValidationError):
        services.declare_conflict(first, target, "  ", by=person)


def test_manual_moves_refuse_conflicts_and_duplicates(app):
    call = make_programme(application("A-1", "IT"), evaluators_per_application=1)
    (first, _), (second, _) = make_evaluator(call, "PL"), make_evaluator(call, "IT")
    services.assign_automatically(call)
    row = queries.assignments_of(call)[0]
    if row.evaluator_id != first.id:
        services.move_assignment(call, row, first.id)
    services.save_settings(call, same_country_conflict=True)
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.move_assignment(call, row, second.id)
    with pytest.raises(ValidationError, match="already evaluates"):
        services.move_assignment(call, row, first.id)
    with pytest.raises(ValidationError, match="one of the call's evaluators"):
        services.move_assignment(call, row, 999_999)


def _criteria(call):
    return {c.title: c.id for c in call.criteria}


def test_scoring_drafts_submit_reopen_and_lock(app):
    call = make_programme(application("A-1"), evaluators_per_application=1)
    evaluator, person = make_evaluator(call)
    services.assign_automatically(call)
    row = queries.assignments_of(call)[0]
    ids = _criteria(call)
    scoring.save_evaluation(row, {ids["Excellence"]: {"score": "4", "comment": "Good."}},
                            by=person)
    assert row.status == "draft"
    with pytest.raises(ValidationError):
        scoring.save_evaluation(row, {}, by=person, submit=True)
    with pytest.raises(ValidationError):
        scoring.save_evaluation(row, {ids["Impact"]: {"score": "6"}}, by=person)
    full = {ids["Excellence"]: {"score": "4", "comment": "Good."},
            ids["Impact"]: {"score": "2", "comment": "Small reach."}}
    scoring.save_evaluation(row, full, by=person, submit=True)
    assert row.status == "submitted"
    with pytest.raises(Conflict):
        scoring.save_evaluation(row, full, by=person)
    scoring.reopen_evaluation(row, by=person)
    scoring.save_evaluation(row, full, by=person, submit=True)
    services.lock_evaluation(call)
    with pytest.raises(Conflict):
        scoring.reopen_evaluation(row, by=person)
    table = queries.score_table(call)
    assert table[0].evaluations[0].total == 3.2 and table[0].mean == 3.2


def test_nobody_else_may_score_and_a_conflicted_evaluator_may_not_either(app):
    call = make_programme(application("A-1"), evaluators_per_application=1)
    evaluator, person = make_evaluator(call, "PL")
    services.assign_automatically(call)
    row = queries.assignments_of(call)[0]
    from app.core.errors import NotFound
    for stranger in (make_user(), make_manager(), make_user(admin=True)):
        with pytest.raises(NotFound):
            scoring.save_evaluation(row, {}, by=stranger)
    services.save_settings(call, same_country_conflict=True)
    evaluator.country = "IT"
    db.session.commit()
    with pytest.raises(PermissionDenied):
        scoring.save_evaluation(row, {}, by=person)


def test_the_manager_table_flags_disagreement_and_the_threshold(app, client):
    call = make_programme(application("A-1"), evaluators_per_application=2)
    (_, first), (_, second) = make_evaluator(call, "PL"), make_evaluator(call, "ES")
    services.assign_automatically(call)
    ids = _criteria(call)
    rows = {r.evaluator.user_id: r for r in queries.assignments_of(call)}
    for person, excellence in ((first, "5"), (second, "1")):
        scoring.save_evaluation(rows[person.id], {
            ids["Excellence"]: {"score": excellence, "comment": ""},
            ids["Impact"]: {"score": "3", "comment": ""}}, by=person, submit=True)
    line = queries.score_table(call)[0]
    assert line.disagreements == ["Excellence"] and line.spread == 2.4 and line.mean == 3.0
    manager = make_manager()
    page = client_for(app, manager).get(f"/calls/{call.slug}/evaluation/scores")
    assert page.status_code == 200 and "Disagreement: Excellence" in page.get_data(as_text=True)
    answer = client_for(app, manager).post(
        f"/calls/{call.slug}/evaluation/consensus/A-1", data={"score": "2.5",
                                                              "comment": "Agreed after a call."})
    assert answer.status_code == 302
    assert "Below the minimum score" in client_for(app, manager).get(
        f"/calls/{call.slug}/evaluation/scores").get_data(as_text=True)
    bad = client_for(app, manager).post(f"/calls/{call.slug}/evaluation/consensus/A-1",
                                        data={"score": "nine", "comment": "x"})
    assert bad.status_code == 400 and "Give a score from 0 to 5" in bad.get_data(as_text=True)


def test_the_evaluator_pages_show_only_their_applications(app):
    call = make_programme(application("A-1"), application("A-2", "FR"),
                          evaluators_per_application=1)
    (_, first), (_, second) = make_evaluator(call, "PL"), make_evaluator(call, "ES")
    services.assign_automatically(call)
    mine = {r.evaluator.user_id: r for r in queries.assignments_of(call)}
    refs = {a.id: a.ref for a in applications_of(call).values()}
    own, other = refs[mine[first.id].application_id], refs[mine[second.id].application_id]
    client = client_for(app, first)
    assert client.get(f"/calls/{call.slug}/evaluate/{own}").status_code == 200
    assert client.get(f"/calls/{call.slug}/evaluate/{other}").status_code == 404
    listing = client.get(f"/calls/{call.slug}/evaluate").get_data(as_text=True)
    assert f"Pilot {own}" in listing
    saved = client.post(f"/calls/{call.slug}/evaluate/{own}",
                        data={f"score_{c.id}": "7" for c in call.criteria} | {"action": "draft"})
    assert saved.status_code == 400 and "whole number from 0 to 5" in saved.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(EvaluationAssignment).where(
        EvaluationAssignment.status == "assigned")).scalar_one() == 2
