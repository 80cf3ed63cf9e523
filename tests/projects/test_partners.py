"""Looking for partners: the doors × every person, asking to join once, the lead's answer and
the notifications both ways, the rate limit, and the start page a newcomer lands on."""
import threading

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.notifications.models import Notification
from app.projects import partners
from app.projects.models import JoinRequest, ProjectMember
from tests.conftest import client_for
from tests.factories import make_project, make_user

from .factories import make_cast
from .matrix import MANAGE_GET, MANAGE_POST, Route, check_cell, expect, matrix_cases


def _open(cast):
    partners.set_looking(cast.lead, cast.project,
                         partners.PartnerSearch(True, "A 3D studio", ["3d-digitisation"]))
    return {}


def _request(cast):
    _open(cast)
    join_request = partners.ask_to_join(make_user(), cast.project, "We scan objects.")
    return {"request_id": join_request.id}


ROUTES = [
    Route("GET", "/projects/looking-for-partners", expect(302, 200, 200, 200, 200, 200)),
    # asking is for people outside the project, and only while it looks for partners
    Route("GET", "/projects/{slug}/join", expect(302, 200, 403, 403, 403, 200), setup=_open),
    Route("GET", "/projects/{slug}/join", expect(302, 404, 403, 403, 403, 403),
          name="GET join while not looking"),
    Route("POST", "/projects/{slug}/join", expect(302, 302, 403, 403, 403, 302), setup=_open,
          data=lambda cast: {"message": "Hello, we would like to help."}),
    Route("GET", "/projects/{slug}/partners", MANAGE_GET),
    Route("POST", "/projects/{slug}/partners", MANAGE_POST,
          data=lambda cast: {"looking": "y", "needs": "A sound designer", "areas": ["ar-vr"]}),
    Route("POST", "/projects/{slug}/partners/requests/{request_id}/accept", MANAGE_POST,
          setup=_request),
    Route("POST", "/projects/{slug}/partners/requests/{request_id}/decline", MANAGE_POST,
          setup=_request),
]


@pytest.mark.parametrize("route,who", matrix_cases(ROUTES))
def test_partners_authorization_matrix(app, route, who):
    check_cell(app, route, who)


def _notifications(user):
    return [(n.kind, n.verb) for n in db.session.execute(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.id)).scalars()]


def test_a_project_looking_for_partners_is_listed_with_its_needs(app):
    cast = make_cast()
    hidden = make_project(lead=cast.lead, title="Quiet project")
    _open(cast)
    page = client_for(app, cast.outsider).get("/projects/looking-for-partners").get_data(
        as_text=True)
    assert cast.project.title in page and "A 3D studio" in page
    assert hidden.title not in page
    assert f"/projects/{cast.project.slug}/join" in page
    by_area = client_for(app, cast.outsider).get(
        "/projects/looking-for-partners?area=operations").get_data(as_text=True)
    assert cast.project.title not in by_area


def test_looking_for_partners_needs_a_description(app):
    cast = make_cast()
    with pytest.raises(ValidationError):
        partners.set_looking(cast.lead, cast.project, partners.PartnerSearch(True, "  ", []))
    with pytest.raises(ValidationError):
        partners.set_looking(cast.lead, cast.project,
                             partners.PartnerSearch(True, "x", ["no-such-area"]))
    assert not cast.project.looking_for_partners


def test_asking_twice_is_refused_while_the_first_request_waits(app):
    cast = make_cast()
    _open(cast)
    partners.ask_to_join(cast.outsider, cast.project, "First")
    with pytest.raises(Conflict):
        partners.ask_to_join(cast.outsider, cast.project, "Again")
    client = client_for(app, cast.outsider)
    response = client.post(f"/projects/{cast.project.slug}/join", data={"message": "Third"})
    assert response.status_code == 400
    assert "already asked" in response.get_data(as_text=True)
    assert db.session.execute(select(JoinRequest).where(
        JoinRequest.user_id == cast.outsider.id)).scalars().all().__len__() == 1


def test_the_database_keeps_one_pending_request_per_person_and_project(app):
    cast = make_cast()
    _open(cast)

    def request(status):
        return JoinRequest(project_id=cast.project.id, user_id=cast.outsider.id, message="Hi",
                           status=status)

    db.session.add_all([request("declined"), request("accepted"), request("pending")])
    db.session.commit()  # answered requests do not count
    db.session.add(request("pending"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_request_that_loses_the_race_gets_the_already_asked_answer(app):
    """Another request for the same person and project is committed by a second connection
    between this one's check and its insert: the index refuses it, the person reads the same
    translated answer as for a second request, and nothing of it is kept or announced."""
    cast = make_cast()
    _open(cast)
    cast.outsider.locale = "de"
    db.session.commit()
    rival = JoinRequest.__table__.insert().values(
        project_id=cast.project.id, user_id=cast.outsider.id, message="The other tab",
        status="pending", created_at=cast.project.created_at)

    def other_request_wins(session, _context, _instances):
        if any(isinstance(obj, JoinRequest) for obj in session.new):
            with db.engine.begin() as other_connection:
                other_connection.execute(rival)

    client = client_for(app, cast.outsider)
    event.listen(db.session, "before_flush", other_request_wins)
    try:
        response = client.post(f"/projects/{cast.project.slug}/join", data={"message": "Hi"})
    finally:
        event.remove(db.session, "before_flush", other_request_wins)
    assert response.status_code == 400
    assert "Sie haben bereits angefragt" in response.get_data(as_text=True)
    db.session.expire_all()
    kept = db.session.execute(select(JoinRequest.message).where(
        JoinRequest.user_id == cast.outsider.id)).scalars().all()
    assert kept == ["The other tab"]
    assert ("partners", "requested") not in _notifications(cast.lead)


def test_two_requests_sent_at_the_same_moment_leave_one_waiting(app):
    cast = make_cast()
    _open(cast)
    clients = [client_for(app, cast.outsider), client_for(app, cast.outsider)]
    barrier, answers = threading.Barrier(2), [None, None]

    def ask(n):
        with app.app_context():
            barrier.wait()
            answers[n] = clients[n].post(f"/projects/{cast.project.slug}/join",
                                         data={"message": f"Tab {n}"})

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [302, 400]
    refused = next(answer for answer in answers if answer.status_code == 400)
    assert "already asked" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.execute(select(JoinRequest).where(
        JoinRequest.user_id == cast.outsider.id)).scalars().all()) == 1
    assert _notifications(cast.lead).count(("partners", "requested")) == 1


def test_an_empty_message_is_refused_beside_its_field(app):
    cast = make_cast()
    _open(cast)
    response = client_for(app, cast.outsider).post(f"/projects/{cast.project.slug}/join",
                                                   data={"message": "   "})
    assert response.status_code == 400
    assert partners.pending_request_ids(cast.outsider, [cast.project.id]) == set()


def test_the_lead_hears_of_a_request_and_accepting_makes_a_member(app):
    cast = make_cast()
    _open(cast)
    join_request = partners.ask_to_join(cast.outsider, cast.project, "We bring sound design.")
    assert ("partners", "requested") in _notifications(cast.lead)
    page = client_for(app, cast.lead).get(f"/projects/{cast.project.slug}/partners")
    assert "We bring sound design." in page.get_data(as_text=True)
    response = client_for(app, cast.lead).post(
        f"/projects/{cast.project.slug}/partners/requests/{join_request.id}/accept")
    assert response.status_code == 302
    membership = db.session.execute(select(ProjectMember).where(
        ProjectMember.project_id == cast.project.id,
        ProjectMember.user_id == cast.outsider.id)).scalar_one()
    assert membership.role == "member"
    assert ("invitation", "added") in _notifications(cast.outsider)
    with pytest.raises(Conflict):  # answered once only
        partners.decide(cast.lead, cast.project, join_request.id, False)


def test_a_declined_person_is_told_and_may_ask_again(app):
    cast = make_cast()
    _open(cast)
    join_request = partners.ask_to_join(cast.outsider, cast.project, "Hello")
    partners.decide(cast.lead, cast.project, join_request.id, False)
    assert _notifications(cast.outsider) == [("partners", "declined")]
    assert not db.session.execute(select(ProjectMember.id).where(
        ProjectMember.user_id == cast.outsider.id)).first()
    partners.ask_to_join(cast.outsider, cast.project, "Hello again")  # no longer pending


def test_only_the_lead_answers_and_only_requests_of_its_project(app):
    cast = make_cast()
    other = make_cast()
    _open(cast)
    join_request = partners.ask_to_join(make_user(), cast.project, "Hello")
    with pytest.raises(PermissionDenied):
        partners.decide(cast.member, cast.project, join_request.id, True)
    with pytest.raises(NotFound):
        partners.decide(other.lead, other.project, join_request.id, True)


def test_requests_to_join_are_rate_limited_per_person(app):
    app.config["JOIN_REQUEST_RATE_LIMIT"] = "2/hour"
    person = make_user()
    client = client_for(app, person)
    statuses = []
    for _ in range(3):
        cast = make_cast()
        _open(cast)
        statuses.append(client.post(f"/projects/{cast.project.slug}/join",
                                    data={"message": "Hello"}).status_code)
    assert statuses == [302, 302, 429]


def test_registering_leads_to_the_start_page(app, client):
    response = client.post("/auth/register", data={
        "email": "new@example.org", "name": "Nora New", "password": "a long pass phrase 42",
        "confirm": "a long pass phrase 42"})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert response.headers["Location"].endswith("/start")
    page = client.get("/start").get_data(as_text=True)
    for link in ("/directory/", "/projects/looking-for-partners", "/projects/new", "/archive/",
                 "/calls\""):
        assert link in page


def test_the_start_page_stays_in_the_menu_until_put_away(app):
    cast = make_cast()
    _open(cast)
    client = client_for(app, cast.outsider)
    page = client.get("/start").get_data(as_text=True)
    assert cast.project.title in page
    assert 'href="/start"' in client.get("/projects/").get_data(as_text=True)
    assert client.post("/start/dismiss").status_code == 302
    assert 'href="/start"' not in client.get("/projects/").get_data(as_text=True)
    assert client.get("/start").status_code == 200  # still reachable from the profile
    assert app.test_client().get("/start").status_code == 302
