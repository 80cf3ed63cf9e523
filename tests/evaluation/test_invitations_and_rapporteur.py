"""Evaluators invited by e-mail before they have an account (they evaluate once they sign up
with that address), and the rapporteur: the one evaluator the manager names to write an
application's consensus, besides the manager."""
from sqlalchemy import select

from app.evaluation import scoring
from app.evaluation.models import CallEvaluator, Consensus, EvaluationAssignment
from app.extensions import db
from tests.conftest import client_for
from tests.factories import make_user as make_account
from tests.notifications.test_digest import smtp_inbox  # noqa: F401 - a fixture

from .factories import applications_of, make_evaluator, make_manager, make_programme


def test_a_person_without_an_account_is_invited_and_evaluates_after_signing_up(
        app, smtp_inbox):  # noqa: F811
    call = make_programme()
    manager = client_for(app, make_manager())
    response = manager.post(f"/calls/{call.slug}/evaluation/evaluators",
                            data={"email": "New.Expert@Example.org", "country": "SE"})
    assert response.status_code == 302
    row = db.session.execute(select(CallEvaluator).where(
        CallEvaluator.email == "new.expert@example.org")).scalar_one()
    assert row.user_id is None
    (recipients, mail), = smtp_inbox.messages
    assert recipients == ["new.expert@example.org"]
    assert f"/calls/{call.slug}/evaluate" in mail.get_payload(decode=True).decode()
    assert manager.post(f"/calls/{call.slug}/evaluation/evaluators", data={
        "email": "new.expert@example.org", "country": "SE"}).status_code == 400
    someone_else = client_for(app, make_account())
    assert someone_else.get(f"/calls/{call.slug}/evaluate").status_code == 404
    expert = make_account(email="new.expert@example.org")
    assert client_for(app, expert).get(f"/calls/{call.slug}/evaluate").status_code == 200
    db.session.expire_all()
    assert db.session.get(CallEvaluator, row.id).user_id == expert.id


def test_the_rapporteur_writes_the_consensus_and_other_evaluators_do_not(app):
    call = make_programme()
    apps = applications_of(call)
    rows = [make_evaluator(call, country) for country in ("PL", "SE")]
    seats = [EvaluationAssignment(call_id=call.id, application_id=apps["A-1"].id,
                                  evaluator_id=row.id) for row, _user in rows]
    db.session.add_all(seats)
    db.session.commit()
    manager = client_for(app, make_manager())
    assert manager.post(f"/calls/{call.slug}/evaluation/assignments/{seats[0].id}/rapporteur"
                        ).status_code == 302
    rapporteur, other = (client_for(app, user) for _row, user in rows)
    url = f"/calls/{call.slug}/evaluate/A-1/consensus"
    body = {"consensus_score": "4.25", "consensus_comment": "Strong, clear plan."}
    assert other.post(url, data=body).status_code == 403
    assert "you are the lead evaluator" in rapporteur.get(
        f"/calls/{call.slug}/evaluate/A-1").get_data(as_text=True)
    refused = rapporteur.post(url, data={"consensus_score": "9", "consensus_comment": "x"})
    assert refused.status_code == 400
    assert rapporteur.post(url, data=body).status_code == 302
    consensus = db.session.get(Consensus, apps["A-1"].id)
    assert (consensus.score, consensus.comment) == (4.25, "Strong, clear plan.")
    scoring.name_rapporteur(call, seats[1])
    db.session.expire_all()
    assert [s.rapporteur for s in (db.session.get(EvaluationAssignment, s.id)
                                   for s in seats)] == [False, True]

