"""Members and roles: invite by email, invitation links, role changes, removal, leaving,
handing the lead over — and a project always keeps at least one lead."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core import signals
from app.extensions import db
from app.projects import members as member_services
from app.projects.models import Activity, ProjectInvitation, ProjectMember
from tests.conftest import AuthActions, client_for
from tests.factories import DEFAULT_PASSWORD, make_project, make_user

from .factories import make_cast


@pytest.fixture
def received():
    """Signals sent during the test, as (signal name, user id, extra)."""
    log = []
    handlers = {
        "added": lambda s, **kw: log.append(("added", kw["user"].id, kw["role"])),
        "changed": lambda s, **kw: log.append(("changed", kw["user"].id, kw["new_role"])),
        "removed": lambda s, **kw: log.append(("removed", kw["user"].id, None)),
        "invited": lambda s, **kw: log.append(("invited", kw["invitee"].id, None)),
    }
    signals.member_added.connect(handlers["added"])
    signals.member_role_changed.connect(handlers["changed"])
    signals.member_removed.connect(handlers["removed"])
    signals.invitation_created.connect(handlers["invited"])
    yield log
    signals.member_added.disconnect(handlers["added"])
    signals.member_role_changed.disconnect(handlers["changed"])
    signals.member_removed.disconnect(handlers["removed"])
    signals.invitation_created.disconnect(handlers["invited"])


def _role(project, user):
    return db.session.execute(select(ProjectMember.role).where(
        ProjectMember.project_id == project.id, ProjectMember.user_id == user.id)
    ).scalar_one_or_none()


def _new_link(client, slug, role="member") -> str:
    response = client.post(f"/projects/{slug}/members/links", data={"link_role": role},
                           follow_redirects=True)
    match = re.search(r'value="(http[^"]+/invitations/[^"]+)"', response.get_data(as_text=True))
    assert match, "the new link is shown on the members page"
    return match.group(1).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_lead_adds_a_registered_user_by_email(app, received):
    cast = make_cast()
    newcomer = make_user("Nora Newcomer", email="nora@example.org")
    client = client_for(app, cast.lead)
    response = client.post(f"/projects/{cast.project.slug}/members/invite",
                           data={"email": " NORA@example.org ", "role": "observer"})
    assert response.status_code == 302
    assert _role(cast.project, newcomer) == "observer"
    assert ("added", newcomer.id, "observer") in received
    assert ("invited", newcomer.id, None) in received
    assert "Nora Newcomer" in client.get(f"/projects/{cast.project.slug}/activity").get_data(
        as_text=True)
    again = client.post(f"/projects/{cast.project.slug}/members/invite",
                        data={"email": "nora@example.org", "role": "member"})
    assert again.status_code == 400 and "already a member" in again.get_data(as_text=True)
    unknown = client.post(f"/projects/{cast.project.slug}/members/invite",
                          data={"email": "nobody@example.org", "role": "member"})
    assert unknown.status_code == 400 and "invitation link" in unknown.get_data(as_text=True)


def test_newcomer_registers_through_an_invitation_link_and_joins(app, received):
    cast = make_cast()
    path = _new_link(client_for(app, cast.lead), cast.project.slug, "observer")
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert cast.project.title in page.get_data(as_text=True)
    assert visitor.post(path).headers["Location"].startswith("/auth/login")
    registered = visitor.post(f"/auth/register?next={path}", data={
        "name": "Rita Registrant", "email": "rita@example.org", "password": DEFAULT_PASSWORD,
        "confirm": DEFAULT_PASSWORD})
    assert registered.headers["Location"] == path
    accepted = visitor.post(path)
    assert accepted.headers["Location"].endswith(f"/projects/{cast.project.slug}/")
    rita = member_services.find_user_by_email("rita@example.org")
    assert _role(cast.project, rita) == "observer"
    assert ("added", rita.id, "observer") in received
    assert visitor.get(f"/projects/{cast.project.slug}/").status_code == 200
    invitation = db.session.execute(select(ProjectInvitation)).scalar_one()
    assert invitation.accepted_by_id == rita.id


def test_an_invitation_link_works_only_once(app):
    cast = make_cast()
    path = _new_link(client_for(app, cast.lead), cast.project.slug)
    assert client_for(app, cast.outsider).post(path).status_code == 302
    late = client_for(app, make_user())
    response = late.get(path)
    assert response.status_code == 410
    assert "already been used" in response.get_data(as_text=True)
    assert late.post(path).status_code == 410


def test_an_invitation_link_expires_after_seven_days(app):
    cast = make_cast()
    path = _new_link(client_for(app, cast.lead), cast.project.slug)
    invitation = db.session.execute(select(ProjectInvitation)).scalar_one()
    assert timedelta(days=6, hours=23) < invitation.expires_at - invitation.created_at <= \
        timedelta(days=7)
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    db.session.commit()
    response = client_for(app, cast.outsider).post(path)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert _role(cast.project, cast.outsider) is None


def test_a_revoked_link_no_longer_works_and_leaves_the_list(app):
    cast = make_cast()
    lead = client_for(app, cast.lead)
    path = _new_link(lead, cast.project.slug)
    invitation = db.session.execute(select(ProjectInvitation)).scalar_one()
    members_page = lead.get(f"/projects/{cast.project.slug}/members").get_data(as_text=True)
    assert f'data-invitation="{invitation.id}"' in members_page
    assert "/invitations/" not in members_page  # the link itself is shown only once
    lead.post(f"/projects/{cast.project.slug}/members/links/{invitation.id}/revoke")
    response = client_for(app, cast.outsider).post(path)
    assert response.status_code == 410 and "withdrawn" in response.get_data(as_text=True)
    assert f'data-invitation="{invitation.id}"' not in lead.get(
        f"/projects/{cast.project.slug}/members").get_data(as_text=True)


def test_a_wrong_token_is_404(app):
    client = client_for(app, make_user())
    for token in ("x" * 43, "short", "a" * 500):
        assert client.get(f"/invitations/{token}").status_code == 404
        assert client.post(f"/invitations/{token}").status_code == 404


def test_a_member_who_opens_a_link_stays_a_member_and_the_link_stays_usable(app):
    cast = make_cast()
    path = _new_link(client_for(app, cast.lead), cast.project.slug, "lead")
    assert client_for(app, cast.observer).post(path).status_code == 302
    assert _role(cast.project, cast.observer) == "observer"
    assert db.session.execute(select(ProjectInvitation.accepted_at)).scalar_one() is None


def test_only_tokens_hashes_are_stored(app):
    cast = make_cast()
    path = _new_link(client_for(app, cast.lead), cast.project.slug)
    token = path.rsplit("/", 1)[1]
    stored = db.session.execute(select(ProjectInvitation.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64


def test_lead_changes_roles_and_removes_members(app, received):
    cast = make_cast()
    client = client_for(app, cast.lead)
    slug = cast.project.slug
    assert client.post(f"/projects/{slug}/members/{cast.member.id}/role",
                       data={"role": "observer"}).status_code == 302
    assert _role(cast.project, cast.member) == "observer"
    assert client.post(f"/projects/{slug}/members/{cast.member.id}/role",
                       data={"role": "emperor"}).status_code == 400
    assert client.post(f"/projects/{slug}/members/{cast.observer.id}/remove").status_code == 302
    assert _role(cast.project, cast.observer) is None
    assert ("changed", cast.member.id, "observer") in received
    assert ("removed", cast.observer.id, None) in received
    assert client_for(app, cast.observer).get(f"/projects/{slug}/").status_code == 404
    verbs = db.session.execute(select(Activity.verb)).scalars().all()
    assert "member.role" in verbs and "member.removed" in verbs


def test_the_last_lead_cannot_leave_demote_or_remove_themselves(app):
    cast = make_cast()
    client = client_for(app, cast.lead)
    slug = cast.project.slug
    left = client.post(f"/projects/{slug}/leave")
    assert left.status_code == 400 and "only lead" in left.get_data(as_text=True)
    demoted = client.post(f"/projects/{slug}/members/{cast.lead.id}/role", data={"role": "member"})
    assert demoted.status_code == 400 and "at least one lead" in demoted.get_data(as_text=True)
    admin = client_for(app, cast.admin)
    assert admin.post(f"/projects/{slug}/members/{cast.lead.id}/remove").status_code == 400
    assert _role(cast.project, cast.lead) == "lead"


def test_with_two_leads_one_may_step_down_or_leave(app):
    cast = make_cast()
    slug = cast.project.slug
    lead = client_for(app, cast.lead)
    lead.post(f"/projects/{slug}/members/{cast.member.id}/role", data={"role": "lead"})
    assert lead.post(f"/projects/{slug}/leave").status_code == 302
    assert _role(cast.project, cast.lead) is None
    second = client_for(app, cast.member)
    assert second.post(f"/projects/{slug}/leave").status_code == 400


def test_handing_the_lead_over_makes_the_old_lead_a_member(app, received):
    cast = make_cast()
    client = client_for(app, cast.lead)
    assert client.post(f"/projects/{cast.project.slug}/members/{cast.observer.id}/make-lead"
                       ).status_code == 302
    assert _role(cast.project, cast.observer) == "lead"
    assert _role(cast.project, cast.lead) == "member"
    assert ("changed", cast.observer.id, "lead") in received
    assert ("changed", cast.lead.id, "member") in received
    # the former lead has lost the right to manage, in the very next request
    assert client.get(f"/projects/{cast.project.slug}/settings").status_code == 403


def test_nobody_changes_a_pilots_mentors_role_in_the_workspace(app, received):
    """The programme names and replaces mentors (pilots.mentoring): a lead (or an admin) who
    tries to change the mentor's role, hand them the lead or remove them is told why, and
    nothing is written."""
    cast = make_cast()
    slug = cast.project.slug
    lead = client_for(app, cast.lead)
    for path, data in ((f"/projects/{slug}/members/{cast.mentor.id}/role", {"role": "member"}),
                       (f"/projects/{slug}/members/{cast.mentor.id}/make-lead", {}),
                       (f"/projects/{slug}/members/{cast.mentor.id}/remove", {})):
        refused = lead.post(path, data=data)
        assert refused.status_code == 403
        assert "Mentors are named by the programme" in refused.get_data(as_text=True)
    german = lead.post(f"/projects/{slug}/members/{cast.mentor.id}/role", data={"role": "lead"},
                       headers={"Accept-Language": "de"})
    assert "Mentoren werden vom Programm benannt" in german.get_data(as_text=True)
    assert client_for(app, cast.admin).post(f"/projects/{slug}/members/{cast.mentor.id}/role",
                                            data={"role": "observer"}).status_code == 403
    db.session.expire_all()
    assert _role(cast.project, cast.mentor) == "mentor" and _role(cast.project, cast.lead) == "lead"
    assert received == []
    assert not {"member.role", "member.lead", "member.removed"} & set(db.session.execute(
        select(Activity.verb)).scalars())
    page = lead.get(f"/projects/{slug}/members").get_data(as_text=True)
    assert f"/members/{cast.mentor.id}/role" not in page
    assert f"/members/{cast.mentor.id}/make-lead" not in page
    assert f"/members/{cast.mentor.id}/remove" not in page
    assert f"/members/{cast.member.id}/remove" in page
    assert f"/members/{cast.member.id}/role" in page


def test_a_member_leaves_and_the_project_disappears_from_their_dashboard(app, received):
    cast = make_cast(title="Weaving the AR tapestry")
    client = client_for(app, cast.member)
    assert "Weaving the AR tapestry" in client.get("/projects/").get_data(as_text=True)
    assert client.post(f"/projects/{cast.project.slug}/leave").headers["Location"].endswith(
        "/projects/")
    dashboard = client.get("/projects/").get_data(as_text=True)
    assert "You have left Weaving the AR tapestry" in dashboard
    assert f'data-project-slug="{cast.project.slug}"' not in dashboard
    assert ("removed", cast.member.id, None) in received


def test_sign_in_with_next_returns_to_the_invitation(app):
    cast = make_cast()
    path = _new_link(client_for(app, cast.lead), cast.project.slug)
    visitor = app.test_client()
    response = visitor.post(f"/auth/login?next={path}",
                            data={"email": cast.outsider.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == path
    assert visitor.post(path).status_code == 302
    assert _role(cast.project, cast.outsider) == "member"
    AuthActions(visitor).logout()


def test_members_page_lists_everyone_for_members_but_only_leads_get_controls(app):
    cast = make_cast()
    page = client_for(app, cast.member).get(f"/projects/{cast.project.slug}/members")
    text = page.get_data(as_text=True)
    assert all(name in text for name in ("Lena Lead", "Max Member", "Olga Observer"))
    assert "Create invitation link" not in text and "/remove" not in text
    lead_text = client_for(app, cast.lead).get(f"/projects/{cast.project.slug}/members").get_data(
        as_text=True)
    assert "Create invitation link" in lead_text and "/remove" in lead_text


def test_service_refuses_unknown_roles_and_non_managers(app):
    lead, member = make_user(), make_user()
    project = make_project(lead=lead, members={"member": [member]})
    from app.core.errors import NotFound, PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        member_services.create_invitation(lead, project, "owner")
    with pytest.raises(PermissionDenied):
        member_services.create_invitation(member, project, "member")
    with pytest.raises(NotFound):
        member_services.create_invitation(make_user(), project, "member")
