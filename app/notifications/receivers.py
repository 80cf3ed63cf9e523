"""Turning project and organisation events (signals from those features) into notifications.

Senders emit these signals after committing their change; each receiver adds notifications,
commits, then delivers them live. Receivers never raise: a failed notification must not undo
or break the membership or status change that caused it.
"""
from flask import current_app
from sqlalchemy import select

from ..core import signals
from ..extensions import db
from .services import deliver, notify


def _project_url(project) -> str:
    return f"/projects/{project.slug}/"


def _safely(build):
    def receiver(sender=None, **kwargs):
        try:
            created = build(**kwargs)
            if created:
                db.session.commit()
                deliver(created)
        except Exception:  # noqa: BLE001 - receivers must not raise (see core/signals.py)
            current_app.logger.exception("Could not create notifications for %s", build.__name__)
    receiver.__name__ = build.__name__
    return receiver


@_safely
def on_invitation_created(project=None, actor=None, invitee=None, **_):
    if project is None or invitee is None:
        return []
    from ..projects.models import ProjectMember

    # Inviting a registered user adds them at once, and `member_added` already told them.
    if db.session.execute(select(ProjectMember.id).where(
            ProjectMember.project_id == project.id, ProjectMember.user_id == invitee.id)).first():
        return []
    return notify([invitee.id], "invitation", project=project, actor=actor,
                  subject=project.title, url="/projects/", verb="invited")


@_safely
def on_member_added(project=None, actor=None, user=None, role=None, **_):
    if project is None or user is None:
        return []
    return notify([user.id], "invitation", project=project, actor=actor, subject=project.title,
                  detail=role or "", url=_project_url(project), verb="added")


@_safely
def on_member_role_changed(project=None, actor=None, user=None, new_role=None, **_):
    if project is None or user is None:
        return []
    return notify([user.id], "role_change", project=project, actor=actor, subject=project.title,
                  detail=new_role or "", url=_project_url(project))


@_safely
def on_project_status_changed(project=None, actor=None, new_status=None, **_):
    if project is None:
        return []
    from ..projects.models import ProjectMember

    member_ids = db.session.execute(
        select(ProjectMember.user_id).where(ProjectMember.project_id == project.id)
    ).scalars().all()
    return notify(member_ids, "status_change", project=project, actor=actor,
                  subject=project.title, detail=new_status or project.status,
                  url=_project_url(project))


@_safely
def on_join_requested(project=None, actor=None, join_request=None, **_):
    """The project's leads answer on its partners page."""
    if project is None:
        return []
    from ..projects.partners import lead_ids

    return notify(lead_ids(project), "partners", project=project, actor=actor,
                  subject=project.title, url=f"/projects/{project.slug}/partners",
                  verb="requested")


@_safely
def on_join_request_decided(project=None, actor=None, user=None, status=None, **_):
    # an accepted person hears it from `member_added` ("… added you to the project")
    if project is None or user is None or status == "accepted":
        return []
    return notify([user.id], "partners", project=project, actor=actor, subject=project.title,
                  url="/projects/looking-for-partners", verb="declined")


def _org_url(org) -> str:
    return f"/orgs/{org.slug}"


def _org_notify(user_ids, org, actor, verb: str):
    return notify(user_ids, "organisation", actor=actor, subject=org.name, url=_org_url(org),
                  verb=verb)


@_safely
def on_membership_requested(organisation=None, actor=None, **_):
    """The organisation's administrators answer; without any, the site administrators."""
    if organisation is None:
        return []
    from ..orgs.members import admin_ids
    from ..orgs.verification import site_admin_ids

    recipients = admin_ids(organisation) if organisation.is_verified else []
    return _org_notify(recipients or site_admin_ids(), organisation, actor, "requested")


@_safely
def on_membership_decided(organisation=None, actor=None, user=None, status=None, **_):
    if organisation is None or user is None:
        return []
    verb = "approved" if status == "verified" else "declined"
    return _org_notify([user.id], organisation, actor, verb)


@_safely
def on_organisation_admin_named(organisation=None, actor=None, user=None, **_):
    if organisation is None or user is None:
        return []
    return _org_notify([user.id], organisation, actor, "admin_named")


@_safely
def on_organisation_added(organisation=None, actor=None, **_):
    if organisation is None:
        return []
    from ..orgs.verification import site_admin_ids

    return notify(site_admin_ids(), "organisation", actor=actor, subject=organisation.name,
                  url="/orgs/verification", verb="added")


@_safely
def on_organisation_verification_decided(organisation=None, actor=None, user=None, status=None,
                                         **_):
    if organisation is None or user is None:
        return []
    verb = "verified" if status == "verified" else "verification_declined"
    return _org_notify([user.id], organisation, actor, verb)


def connect_receivers() -> None:
    # weak=False: the receivers are module-level, but be explicit that they must stay connected
    signals.invitation_created.connect(on_invitation_created, weak=False)
    signals.member_added.connect(on_member_added, weak=False)
    signals.member_role_changed.connect(on_member_role_changed, weak=False)
    signals.project_status_changed.connect(on_project_status_changed, weak=False)
    signals.join_requested.connect(on_join_requested, weak=False)
    signals.join_request_decided.connect(on_join_request_decided, weak=False)
    signals.membership_requested.connect(on_membership_requested, weak=False)
    signals.membership_decided.connect(on_membership_decided, weak=False)
    signals.organisation_admin_named.connect(on_organisation_admin_named, weak=False)
    signals.organisation_added.connect(on_organisation_added, weak=False)
    signals.organisation_verification_decided.connect(on_organisation_verification_decided,
                                                      weak=False)
