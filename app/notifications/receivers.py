"""Turning project events (signals from the projects feature) into notifications.

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


def connect_receivers() -> None:
    # weak=False: the receivers are module-level, but be explicit that they must stay connected
    signals.invitation_created.connect(on_invitation_created, weak=False)
    signals.member_added.connect(on_member_added, weak=False)
    signals.member_role_changed.connect(on_member_role_changed, weak=False)
    signals.project_status_changed.connect(on_project_status_changed, weak=False)
