"""Every application route and export × anonymous, applicant, co-applicant, another applicant,
manager, admin. Nobody but its applicants and the managers learns an application exists (the
same 404 as for none); managers read but do not write an applicant's draft."""
import io
from dataclasses import dataclass

import pytest

from app.calls import applications as services
from tests.conftest import client_for
from tests.factories import make_user

from .application_factories import form_of, make_applicant, make_application
from .factories import make_call, make_manager

PEOPLE = ("anonymous", "applicant", "coapplicant", "other", "manager", "admin")


def expect(anonymous, applicant, coapplicant, other, manager, admin) -> dict[str, int]:
    return dict(zip(PEOPLE, (anonymous, applicant, coapplicant, other, manager, admin),
                    strict=True))


READ = expect(302, 200, 200, 404, 200, 200)
WRITE = expect(302, 200, 200, 404, 403, 403)
SUBMIT = expect(302, 302, 302, 404, 403, 403)
ACT = SUBMIT  # done: back to the application page
MANAGE = expect(302, 403, 403, 403, 200, 200)
OVERRIDE = expect(302, 403, 403, 404, 302, 302)
SIGNED_IN = expect(302, 200, 200, 200, 200, 200)
START = expect(302, 400, 400, 302, 400, 400)  # only "other" leads a museum with no draft yet


@dataclass
class Route:
    method: str
    path: str
    expected: dict
    data: object = None


def _draft_form(ctx):
    application = ctx["application"]
    return form_of(application.content | {"summary": "Changed."}, application.revision)


ROUTES = [
    Route("GET", "/applications", SIGNED_IN),
    Route("GET", "/calls/{call}/apply", SIGNED_IN),
    Route("POST", "/calls/{call}/apply", START, data=lambda c: {"lead": c["lead_of"]}),
    Route("GET", "/applications/{id}", READ),
    Route("POST", "/applications/{id}", WRITE, data=_draft_form),
    Route("POST", "/applications/{id}/invite", ACT,
          data=lambda c: {"email": f"new{c['id']}@example.org"}),
    Route("POST", "/applications/{id}/attachments", ACT, data=lambda c: {
        "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "plan.pdf")}),
    Route("GET", "/applications/{id}/attachments/{attachment}", READ),
    Route("POST", "/applications/{id}/attachments/{attachment}/delete", ACT),
    Route("POST", "/applications/{id}/submit", SUBMIT),
    Route("POST", "/applications/{id}/withdraw", ACT),
    Route("GET", "/applications/{id}/versions/1", READ),
    Route("GET", "/applications/{id}/versions/1.json", READ),
    Route("POST", "/applications/{id}/eligibility", OVERRIDE,
          data=lambda c: {"verdict": "ineligible", "reason": "Checked by hand."}),
    Route("GET", "/calls/{call}/applications", MANAGE),
    Route("GET", "/calls/{call}/applications.csv", MANAGE),
    Route("GET", "/calls/{call}/applications.xlsx", MANAGE),
]


def _world(who):
    call = make_call("open")
    owner, museum = make_applicant()
    coapplicant = make_user()
    application = make_application(call, owner, museum, coapplicants=[coapplicant])
    services.submit(owner, application)
    attachment = services.add_attachment(owner, application, io.BytesIO(
        b"%PDF-1.4\n%%EOF\n"), "budget.pdf")
    other, other_museum = make_applicant()
    people = {"anonymous": None, "applicant": owner, "coapplicant": coapplicant,
              "other": other, "manager": make_manager(), "admin": make_user(admin=True)}
    lead_of = {"applicant": museum.id, "coapplicant": museum.id, "other": other_museum.id}
    return people[who], {"call": call.slug, "id": application.id, "attachment": attachment.id,
                         "application": application, "lead_of": lead_of.get(who, museum.id)}


@pytest.mark.parametrize("route,who", [
    pytest.param(r, who, id=f"{r.method} {r.path} as {who}") for r in ROUTES for who in PEOPLE])
def test_applications_authorization_matrix(app, route, who):
    person, ctx = _world(who)
    client = client_for(app, person) if person else app.test_client()
    path = route.path.format(**ctx)
    if route.method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data=route.data(ctx) if route.data else {},
                               content_type="multipart/form-data" if "attachments" in path
                               and path.endswith("attachments") else None)
    expected = route.expected[who]
    assert response.status_code == expected, (
        f"{route.method} {path} as {who}: expected {expected}, got {response.status_code}\n"
        + response.get_data(as_text=True)[:400])
    if expected == 302 and who == "anonymous":
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("who,sees", [("applicant", True), ("coapplicant", True),
                                      ("other", False), ("manager", True)])
def test_only_applicants_and_managers_see_a_draft_anywhere(app, who, sees):
    person, ctx = _world(who)
    title = ctx["application"].title
    client = client_for(app, person)
    listed = title in client.get("/applications").get_data(as_text=True) or title in client.get(
        f"/calls/{ctx['call']}/applications").get_data(as_text=True)
    assert listed is sees
