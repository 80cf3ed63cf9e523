"""Every door of the pilots × anonymous, applicant (who leads the pilot's workspace),
evaluator assigned / not assigned / conflicted, mentor, manager, admin. Managers keep the
grants and name mentors but do not enter a pilot's workspace; the mentoring log lives in the
workspace (outsiders get its 404); the decision shows on the application to its applicants
and managers only."""
import pytest
from sqlalchemy import select

from app.calls.application_models import Application
from app.evaluation.models import EvaluationAssignment, EvaluatorConflict
from app.extensions import db
from app.pilots import mentoring
from app.pilots.models import Pilot
from tests.calls.test_authorization_matrix import Route, ask
from tests.conftest import client_for
from tests.evaluation.factories import applications_of, make_evaluator, make_user

from .factories import published_programme

PEOPLE = ("anonymous", "applicant", "assigned", "unassigned", "conflicted", "mentor",
          "manager", "admin")


def expect(*codes) -> dict[str, int]:
    return dict(zip(PEOPLE, codes, strict=True))


MANAGER_GET = expect(302, 403, 403, 403, 403, 403, 200, 200)
MANAGER_POST = expect(302, 403, 403, 403, 403, 403, 302, 302)
WORKSPACE_GET = expect(302, 200, 404, 404, 404, 200, 404, 200)
LOG_POST = expect(302, 302, 404, 404, 404, 302, 404, 302)
APPLICATION_GET = expect(302, 200, 404, 404, 404, 404, 200, 200)

ROUTES = [
    Route("GET", "/calls/{slug}/grants", MANAGER_GET),
    Route("POST", "/calls/{slug}/grants/instalments/{instalment}", MANAGER_POST,
          lambda w: {"status": "paid", "paid_on": "2026-03-01"}),
    Route("GET", "/calls/{slug}/grants.csv", MANAGER_GET),
    Route("GET", "/calls/{slug}/grants.xlsx", MANAGER_GET),
    Route("POST", "/calls/{slug}/grants/pilots/{pilot}/mentor", MANAGER_POST,
          lambda w: {"email": w["newcomer"].email}),
    Route("GET", "/projects/{project}/", WORKSPACE_GET),
    Route("GET", "/projects/{project}/mentoring", WORKSPACE_GET),
    Route("POST", "/projects/{project}/mentoring", LOG_POST,
          lambda w: {"met_on": "2026-03-02", "notes": "Scope.", "next_steps": ""}),
    Route("GET", "/applications/{application}", APPLICATION_GET),
]


def build_world() -> dict:
    call, people = published_programme()
    apps = applications_of(call)
    rows = {}
    for who, country in (("assigned", "PL"), ("unassigned", "ES"), ("conflicted", "NL")):
        rows[who], people[who] = make_evaluator(call, country)
    for who, ref in (("assigned", "IT-1"), ("conflicted", "IT-1"), ("unassigned", "FR-1")):
        db.session.add(EvaluationAssignment(call_id=call.id, application_id=apps[ref].id,
                                            evaluator_id=rows[who].id))
    db.session.add(EvaluatorConflict(evaluator_id=rows["conflicted"].id,
                                     application_id=apps["IT-1"].id, reason="A friend."))
    db.session.commit()
    pilot = db.session.execute(select(Pilot).join(Application).where(
        Pilot.call_id == call.id, Application.ref == "IT-1")).scalar_one()
    people["mentor"], people["admin"] = make_user(), make_user(admin=True)
    mentoring.assign_mentor(call, pilot, people["mentor"].email, by=people["manager"])
    return {"call": call, "people": people, "pilot": pilot, "newcomer": make_user()}


def check(app, world, route, who) -> None:
    pilot = world["pilot"]
    person = world["people"].get(who)
    client = client_for(app, person) if person else app.test_client()
    path = route.path.format(slug=world["call"].slug, instalment=pilot.instalments[0].id,
                             pilot=pilot.id, project=pilot.project.slug,
                             application=pilot.application_id)
    ask(client, route, who, path, world)


# A GET changes nothing, so every person asks the same world (building one publishes a whole
# programme: the slow part); a POST gets a world of its own per person.
@pytest.mark.parametrize("route", [
    pytest.param(r, id=f"GET {r.path}") for r in ROUTES if r.method == "GET"])
def test_pilots_pages_matrix(app, route):
    world = build_world()
    for who in PEOPLE:
        check(app, world, route, who)


@pytest.mark.parametrize("route,who", [
    pytest.param(r, who, id=f"{r.method} {r.path} as {who}")
    for r in ROUTES if r.method == "POST" for who in PEOPLE])
def test_pilots_actions_matrix(app, route, who):
    check(app, build_world(), route, who)
