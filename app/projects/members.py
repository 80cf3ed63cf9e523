"""Members and roles, and invitation links: add, change role, remove, leave, hand the lead over.

Every change asks `app.policy`, keeps at least one lead, records activity, commits once and
then sends its signal (other features react: the chat drops removed members from its rooms).
`as_operator=True` is the trusted door of the operators' CLI, which has no signed-in user: it
still asks the policy about the member concerned (as `OPERATOR`), so it cannot touch a mentor.
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import DateTime, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..auth.services import find_user_by_email
from ..core import signals
from ..core.errors import DomainError, NotFound, ValidationError
from ..core.time import utcnow
from ..extensions import db
from ..policy import OPERATOR, authorize, forget_roles
from .activity import record_activity
from .models import (
    ASSIGNABLE_ROLES, ROLE_LEAD, ROLE_MEMBER, ROLE_MENTOR, ROLES, Project, ProjectInvitation, ProjectMember,
)

INVITATION_DAYS = 7
ROLE_ORDER = {ROLE_LEAD: 0, ROLE_MEMBER: 1, "observer": 2}


class InvitationUnusable(DomainError):
    """The link was real but has expired, been used, or been revoked."""

    status = 410


def _check_role(role: str) -> str:
    if role not in ASSIGNABLE_ROLES:
        raise ValidationError(_("Unknown role %(role)s: choose lead, member or observer.",
                                role=role), field="role")
    return role


def _manage(actor, project: Project, as_operator: bool) -> None:
    if not as_operator:
        authorize(actor, "project.manage", project)


# Built once (every workspace page runs them): a prebuilt statement's cache key is computed once.
_ROLE = select(ProjectMember.role).where(ProjectMember.project_id == bindparam("project_id"),
                                         ProjectMember.user_id == bindparam("user_id"))
_VISITED = (ProjectMember.__table__.update()
            .where(ProjectMember.project_id == bindparam("of_project"),
                   ProjectMember.user_id == bindparam("of_user"))
            .values(last_visited_at=bindparam("now", type_=DateTime)))


def role_of(user_id: int, project_id: int) -> str | None:
    """The person's role in the project, or None: the policy's role resolver (it caches)."""
    return db.session.execute(_ROLE, {"project_id": project_id, "user_id": user_id}
                              ).scalar_one_or_none()


def mark_visited(user, project: Project, when: datetime | None = None) -> None:
    """Remember that the member has seen the workspace (activity until now is read)."""
    if not getattr(user, "is_authenticated", False):
        return
    db.session.execute(_VISITED, {"of_project": project.id, "of_user": user.id,
                                  "now": when or utcnow()})
    db.session.commit()


def note_overview_visit(user, project: Project, memberships: list[ProjectMember],
                        newest_activity_at: datetime | None) -> None:
    """`mark_visited` from the overview, skipped when it would change nothing anyone sees.

    The stored visit only decides which activity counts as new (created after it); when no
    activity of the project is newer than it, writing "now" leaves every count as it is, so
    the overview writes (and commits) only when something happened since. `memberships` is
    the page's members list (it holds the stored visit), `newest_activity_at` its feed's top."""
    mine = next((m for m in memberships if m.user_id == getattr(user, "id", None)), None)
    if mine is None:
        return  # not a member (an administrator looking in): there is no visit to note
    if mine.last_visited_at is not None and (
            newest_activity_at is None or newest_activity_at <= mine.last_visited_at):
        return
    mark_visited(user, project)


_MEMBERS = (select(ProjectMember).join(ProjectMember.user)
            .where(ProjectMember.project_id == bindparam("project_id")).order_by(User.name))


def list_members(project: Project) -> list[ProjectMember]:
    """Members with their users (one statement), leads first, then by name."""
    rows = db.session.execute(_MEMBERS, {"project_id": project.id}).scalars().all()
    return sorted(rows, key=lambda m: ROLE_ORDER.get(m.role, 9))


def get_membership(project: Project, user_id: int) -> ProjectMember:
    membership = db.session.execute(
        select(ProjectMember).where(ProjectMember.project_id == project.id,
                                    ProjectMember.user_id == user_id)
    ).scalar_one_or_none()
    if membership is None:
        raise NotFound(_("This person is not a member of the project."))
    return membership


def _lead_count(project: Project) -> int:
    return db.session.execute(
        select(func.count()).select_from(ProjectMember)
        .where(ProjectMember.project_id == project.id, ProjectMember.role == ROLE_LEAD)
    ).scalar_one()


def _refuse_last_lead(project: Project, membership: ProjectMember, message: str) -> None:
    if membership.role == ROLE_LEAD and _lead_count(project) <= 1:
        raise ValidationError(message, field="role")


def _join(project: Project, user: User, role: str, actor, verb: str) -> ProjectMember:
    """Add the membership and its activity line, commit, then tell other features."""
    membership = ProjectMember(project_id=project.id, user_id=user.id, role=role)
    db.session.add(membership)
    record_activity(project, actor or user, verb, target_type="user", target_id=user.id,
                    summary=user.name)
    try:
        db.session.commit()
    except IntegrityError:  # joined concurrently: the unique constraint kept one membership
        db.session.rollback()
        raise ValidationError(_("%(name)s is already a member.", name=user.name),
                              field="email") from None
    forget_roles()
    signals.member_added.send(project, project=project, actor=actor or user, user=user, role=role)
    return membership


def add_member(actor, project: Project, user: User, role: str = ROLE_MEMBER, *,
               as_operator: bool = False) -> ProjectMember:
    _manage(actor, project, as_operator)
    _check_role(role)
    if db.session.execute(
        select(ProjectMember.id).where(ProjectMember.project_id == project.id,
                                       ProjectMember.user_id == user.id)
    ).first():
        raise ValidationError(_("%(name)s is already a member.", name=user.name), field="email")
    return _join(project, user, role, actor, "member.added")


def invite_by_email(actor, project: Project, email: str, role: str = ROLE_MEMBER) -> ProjectMember:
    """Add a registered user at once (they see the project on their dashboard)."""
    authorize(actor, "project.manage", project)
    _check_role(role)
    user = find_user_by_email(email or "")
    if user is None or not user.active:
        raise ValidationError(_("No registered user has this email address. Create an "
                                "invitation link and send it to them instead."), field="email")
    membership = add_member(actor, project, user, role)
    signals.invitation_created.send(project, project=project, actor=actor, invitee=user)
    return membership


def set_mentor(project: Project, user: User, actor) -> bool:
    """Make `user` the workspace's mentor (a previous mentor leaves); True when they joined.
    No policy call: the programme's managers name mentors (`pilots.mentoring`), authorized
    there. A member of the workspace cannot also be its mentor. Flushes; the caller commits."""
    memberships = {m.user_id: m for m in db.session.execute(
        select(ProjectMember).where(ProjectMember.project_id == project.id)).scalars()}
    current = memberships.get(user.id)
    if current is not None and current.role != ROLE_MENTOR:
        raise ValidationError(_("%(name)s is already a member of this workspace.",
                                name=user.name), field="email")
    for membership in memberships.values():
        if membership.role == ROLE_MENTOR and membership.user_id != user.id:
            db.session.delete(membership)
    if current is None:
        db.session.add(ProjectMember(project_id=project.id, user_id=user.id, role=ROLE_MENTOR))
        record_activity(project, actor, "member.added", target_type="user", target_id=user.id,
                        summary=user.name)
    db.session.flush()
    forget_roles()
    return current is None


def change_role(actor, project: Project, user_id: int, new_role: str, *,
                as_operator: bool = False) -> ProjectMember:
    _manage(actor, project, as_operator)
    _check_role(new_role)
    membership = get_membership(project, user_id)
    authorize(OPERATOR if as_operator else actor, "member.manage", membership)
    old_role = membership.role
    if old_role == new_role:
        return membership
    _refuse_last_lead(project, membership, _("A project needs at least one lead: make someone "
                                             "else lead before changing this role."))
    membership.role = new_role
    record_activity(project, actor, "member.role", target_type="user", target_id=user_id,
                    summary=f"{membership.user.name}: {ROLES[new_role]}")
    db.session.commit()
    forget_roles()
    signals.member_role_changed.send(project, project=project, actor=actor, user=membership.user,
                                     old_role=old_role, new_role=new_role)
    return membership


def _drop(actor, project: Project, membership: ProjectMember, verb: str) -> None:
    user = membership.user
    db.session.delete(membership)
    record_activity(project, actor, verb, target_type="user", target_id=user.id,
                    summary=user.name)
    db.session.commit()
    forget_roles()
    signals.member_removed.send(project, project=project, actor=actor, user=user)


def remove_member(actor, project: Project, user_id: int, *, as_operator: bool = False) -> None:
    _manage(actor, project, as_operator)
    membership = get_membership(project, user_id)
    authorize(OPERATOR if as_operator else actor, "member.manage", membership)
    _refuse_last_lead(project, membership, _("This is the project's only lead: hand the lead "
                                             "over to someone else first."))
    _drop(actor, project, membership, "member.removed")


def leave_project(user, project: Project) -> None:
    authorize(user, "project.view", project)
    membership = get_membership(project, user.id)
    _refuse_last_lead(project, membership, _("You are the project's only lead: hand the lead "
                                             "over to someone else before leaving."))
    _drop(user, project, membership, "member.left")


def transfer_lead(actor, project: Project, user_id: int) -> ProjectMember:
    """Make `user_id` a lead; the actor (if a lead) steps down to member."""
    authorize(actor, "project.manage", project)
    target = get_membership(project, user_id)
    if target.user_id == actor.id:
        raise ValidationError(_("You are already a lead."), field="role")
    authorize(actor, "member.manage", target)
    old_target_role = target.role
    target.role = ROLE_LEAD
    own = db.session.execute(
        select(ProjectMember).where(ProjectMember.project_id == project.id,
                                    ProjectMember.user_id == actor.id)
    ).scalar_one_or_none()
    stepped_down = own is not None and own.role == ROLE_LEAD
    if stepped_down:
        own.role = ROLE_MEMBER
    record_activity(project, actor, "member.lead", target_type="user", target_id=user_id,
                    summary=target.user.name)
    db.session.commit()
    forget_roles()
    signals.member_role_changed.send(project, project=project, actor=actor, user=target.user,
                                     old_role=old_target_role, new_role=ROLE_LEAD)
    if stepped_down:
        signals.member_role_changed.send(project, project=project, actor=actor, user=actor,
                                         old_role=ROLE_LEAD, new_role=ROLE_MEMBER)
    return target


# --- invitation links -----------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_invitation(actor, project: Project, role: str = ROLE_MEMBER
                      ) -> tuple[ProjectInvitation, str]:
    """A new single-use link; returns the invitation and its token (shown once, never stored)."""
    authorize(actor, "project.manage", project)
    _check_role(role)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = ProjectInvitation(
        project_id=project.id, token_hash=_hash(token), role=role, created_by_id=actor.id,
        created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def pending_invitations(project: Project) -> list[ProjectInvitation]:
    now = utcnow()
    return list(db.session.execute(
        select(ProjectInvitation).where(
            ProjectInvitation.project_id == project.id, ProjectInvitation.accepted_at.is_(None),
            ProjectInvitation.revoked_at.is_(None), ProjectInvitation.expires_at > now)
        .order_by(ProjectInvitation.created_at.desc())
    ).scalars().unique())


def revoke_invitation(actor, project: Project, invitation_id: int) -> None:
    authorize(actor, "project.manage", project)
    invitation = db.session.get(ProjectInvitation, invitation_id)
    if invitation is None or invitation.project_id != project.id:
        raise NotFound()
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.commit()


def find_invitation(token: str) -> ProjectInvitation:
    """The invitation for `token` (even if unusable), or NotFound for an unknown token."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise NotFound()
    invitation = db.session.execute(
        select(ProjectInvitation).where(ProjectInvitation.token_hash == _hash(token))
    ).scalar_one_or_none()
    if invitation is None:
        raise NotFound()
    return invitation


def invitation_problem(invitation: ProjectInvitation) -> str | None:
    """Why the link cannot be used any more, or None if it can."""
    if invitation.revoked_at is not None:
        return _("This invitation link has been withdrawn by the project lead.")
    if invitation.accepted_at is not None:
        return _("This invitation link has already been used. Ask the project lead for a new one.")
    if invitation.expires_at <= utcnow():
        return _("This invitation link has expired. Ask the project lead for a new one.")
    return None


def accept_invitation(user, token: str) -> tuple[Project, bool]:
    """Join the project through the link; returns (project, joined). A member keeps the link."""
    invitation = find_invitation(token)
    problem = invitation_problem(invitation)
    if problem:
        raise InvitationUnusable(problem)
    project = invitation.project
    if db.session.execute(
        select(ProjectMember.id).where(ProjectMember.project_id == project.id,
                                       ProjectMember.user_id == user.id)
    ).first():
        return project, False
    # claim the link with a conditional update so two people cannot use it at once
    claimed = db.session.execute(
        ProjectInvitation.__table__.update()
        .where(ProjectInvitation.id == invitation.id, ProjectInvitation.accepted_at.is_(None),
               ProjectInvitation.revoked_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise InvitationUnusable(_("This invitation link has already been used."))
    _join(project, user, invitation.role, user, "member.joined")
    return project, True
