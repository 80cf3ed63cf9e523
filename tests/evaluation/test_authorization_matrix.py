"""Every evaluation route × anonymous, applicant, evaluator assigned / not assigned /
conflicted, manager, admin. Managers run the evaluation but never write someone's scores; an
evaluator sees only their own assignments; nobody else learns an assignment exists."""
import pytest

from app.evaluation.models import EvaluationAssignment, EvaluatorConflict
from app.extensions import db
from tests.calls.test_authorization_matrix import Route, ask
from tests.conftest import client_for

from .factories import (
    application, applications_of, make_evaluator, make_manager, make_programme, make_user,
)

PEOPLE = ("anonymous", "applicant", "assigned", "unassigned", "conflicted", "manager", "admin")


def expect(*codes) -> dict[str, int]:
    return dict(zip(PEOPLE, codes, strict=True))


MANAGER_GET = expect(302, 403, 403, 403, 403, 200, 200)
MANAGER_POST = expect(302, 403, 403, 403, 403, 302, 302)
EVALUATOR_PAGE = expect(302, 404, 200, 200, 200, 404, 404)
EVALUATOR_POST = expect(302, 404, 302, 302, 302, 404, 404)
OWN_PAGE = expect(302, 404, 200, 404, 403, 404, 404)
OWN_POST = expect(302, 404, 302, 404, 403, 404, 404)
OWN_REOPEN = expect(302, 404, 409, 404, 403, 404, 404)
PUBLIC = expect(200, 200, 200, 200, 200, 200, 200)
#: `assigned` is A-1's rapporteur; `conflicted` evaluates A-1 too but is not
RAPPORTEUR_POST = expect(302, 404, 302, 404, 403, 404, 404)


def scores(world) -> dict:
    return {f"score_{c.id}": "3" for c in world["call"].criteria} | {"action": "draft"}


ROUTES = [
    Route("GET", "/calls/{slug}/evaluation", MANAGER_GET),
    Route("POST", "/calls/{slug}/evaluation/settings", MANAGER_POST,
          lambda w: {"same_country": "1"}),
    Route("POST", "/calls/{slug}/evaluation/evaluators", MANAGER_POST,
          lambda w: {"email": w["newcomer"].email, "country": "SE"}),
    Route("POST", "/calls/{slug}/evaluation/assign", MANAGER_POST, lambda w: {}),
    Route("POST", "/calls/{slug}/evaluation/assignments/{seat}/move", MANAGER_POST,
          lambda w: {"evaluator": str(w["unassigned_row"].id)}),
    Route("POST", "/calls/{slug}/evaluation/assignments/{seat}/rapporteur", MANAGER_POST,
          lambda w: {}),
    Route("POST", "/calls/{slug}/evaluation/lock", MANAGER_POST, lambda w: {}),
    Route("GET", "/calls/{slug}/evaluation/scores", MANAGER_GET),
    Route("POST", "/calls/{slug}/evaluation/consensus/A-1", MANAGER_POST,
          lambda w: {"score": "4.25", "comment": "Agreed."}),
    Route("GET", "/calls/{slug}/selection", MANAGER_GET),
    Route("POST", "/calls/{slug}/selection/choice", MANAGER_POST,
          lambda w: {"ref": "A-2", "decision": "exclude", "reason": "Withdrawn."}),
    Route("POST", "/calls/{slug}/selection/publish", MANAGER_POST, lambda w: {}),
    Route("GET", "/calls/{slug}/results", PUBLIC),
    Route("GET", "/calls/{slug}/results.json", PUBLIC),
    Route("GET", "/calls/{slug}/results.csv", PUBLIC),
    Route("GET", "/calls/{slug}/evaluate", EVALUATOR_PAGE),
    Route("POST", "/calls/{slug}/evaluate/conflict", EVALUATOR_POST,
          lambda w: {"ref": "A-3", "reason": "I know them."}),
    Route("GET", "/calls/{slug}/evaluate/A-1", OWN_PAGE),
    Route("POST", "/calls/{slug}/evaluate/A-1", OWN_POST, scores),
    Route("POST", "/calls/{slug}/evaluate/A-1/reopen", OWN_REOPEN, lambda w: {}),
    Route("POST", "/calls/{slug}/evaluate/A-1/consensus", RAPPORTEUR_POST,
          lambda w: {"consensus_score": "4.5", "consensus_comment": "Agreed by all."}),
]


def build_world() -> dict:
    """A-1 is evaluated by `assigned` and by `conflicted` (who has since declared a conflict
    with it); `unassigned` evaluates A-2 only; `applicant` started A-1."""
    call = make_programme(application("A-1"), application("A-2", "FR"),
                          application("A-3", "DE"), evaluators_per_application=2)
    apps = applications_of(call)
    people, rows = {}, {}
    for who, country in (("assigned", "PL"), ("unassigned", "ES"), ("conflicted", "NL")):
        rows[who], people[who] = make_evaluator(call, country)
    seats = {"assigned": "A-1", "conflicted": "A-1", "unassigned": "A-2"}
    assignments = {}
    for who, ref in seats.items():
        assignments[who] = EvaluationAssignment(call_id=call.id, application_id=apps[ref].id,
                                                evaluator_id=rows[who].id,
                                                rapporteur=who == "assigned")
        db.session.add(assignments[who])
    db.session.add(EvaluatorConflict(evaluator_id=rows["conflicted"].id,
                                     application_id=apps["A-1"].id, reason="A late conflict."))
    people["applicant"] = make_user()
    apps["A-1"].owner_id = people["applicant"].id
    people["manager"], people["admin"] = make_manager(), make_user(admin=True)
    db.session.commit()
    return {"call": call, "people": people, "seat": assignments["assigned"].id,
            "unassigned_row": rows["unassigned"], "newcomer": make_user()}


def check(app, world, route, who) -> None:
    person = world["people"].get(who)
    client = client_for(app, person) if person else app.test_client()
    ask(client, route, who, route.path.format(slug=world["call"].slug, seat=world["seat"]), world)


# A GET changes nothing, so every person asks the same world; a POST gets one per person.
@pytest.mark.parametrize("route", [
    pytest.param(r, id=f"GET {r.path}") for r in ROUTES if r.method == "GET"])
def test_evaluation_pages_matrix(app, route):
    world = build_world()
    for who in PEOPLE:
        check(app, world, route, who)


@pytest.mark.parametrize("route,who", [
    pytest.param(r, who, id=f"{r.method} {r.path} as {who}")
    for r in ROUTES if r.method == "POST" for who in PEOPLE])
def test_evaluation_actions_matrix(app, route, who):
    check(app, build_world(), route, who)
