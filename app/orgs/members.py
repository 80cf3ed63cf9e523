"""Belonging to an organisation: asking to join, answering requests, naming administrators,
leaving. Plain functions that ask `app.policy`, commit once, then send a signal (the
notifications feature tells the people concerned).

A request is "pending" until one of the organisation's administrators or a site administrator
answers it; the person can do nothing on the organisation's behalf until then. The first
verified member becomes an administrator, and whenever the last administrator leaves, the
longest-standing verified member takes over, so an organisation with members always has one.
The CLI is a trusted door: `as_operator=True` skips the policy.
"""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..auth.models import User
from ..core import signals
from ..core.errors import NotFound, ValidationError
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize
from .models import Organisation, OrganisationMember


def membership_of(user, org: Organisation) -> OrganisationMember | None:
    """`user`'s membership or request (any status), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return next((m for m in org.memberships if m.user_id == user.id), None)


def is_member(user, org: Organisation) -> bool:
    membership = membership_of(user, org)
    return membership is not None and membership.status == "verified"


def pending_requests(org: Organisation) -> list[OrganisationMember]:
    return [m for m in org.memberships if m.status == "pending"]


def admin_ids(org: Organisation) -> list[int]:
    """The organisation's administrators (verified members with the flag)."""
    return [m.user_id for m in org.memberships if m.status == "verified" and m.is_admin]


def memberships_of_user(user) -> list[OrganisationMember]:
    """Every membership and request of `user`, organisations by name (for their profile)."""
    return list(db.session.execute(
        select(OrganisationMember).join(Organisation)
        .options(contains_eager(OrganisationMember.organisation))
        .where(OrganisationMember.user_id == user.id).order_by(Organisation.name)
    ).scalars())


def ensure_admin(org: Organisation) -> OrganisationMember | None:
    """Make the longest-standing verified member an administrator if there is none (no commit)."""
    verified = [m for m in org.memberships if m.status == "verified"]
    if not verified or any(m.is_admin for m in verified):
        return None
    # earliest member first; rows not yet flushed (demo data) in the order they were added
    first = min(enumerate(verified), key=lambda pair: (
        pair[1].decided_at or pair[1].created_at or datetime.max, pair[0]))[1]
    first.is_admin = True
    return first


def request_membership(user, org: Organisation) -> OrganisationMember | None:
    """Ask to join `org`; None when already a member or already waiting (asking twice is
    harmless). A declined request may be made again."""
    if not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Please sign in first."))
    membership = membership_of(user, org)
    if membership is not None and membership.status in ("verified", "pending"):
        return None
    if membership is None:
        membership = OrganisationMember(user_id=user.id, status="pending", created_at=utcnow())
        org.memberships.append(membership)
    else:
        membership.status, membership.created_at = "pending", utcnow()
        membership.decided_at = membership.decided_by_id = None
    db.session.commit()
    signals.membership_requested.send(org, organisation=org, actor=user)
    return membership


def leave_organisation(user, org: Organisation) -> str | None:
    """Leave `org`, or withdraw a request; returns the status left behind, None if there was
    nothing to leave."""
    membership = membership_of(user, org)
    if membership is None:
        return None
    status = membership.status
    org.memberships.remove(membership)
    db.session.flush()
    ensure_admin(org)
    db.session.commit()
    return status


def _member_row(org: Organisation, user_id) -> OrganisationMember:
    row = next((m for m in org.memberships if m.user_id == user_id), None)
    if row is None:
        raise NotFound(_("There is no such request or member."))
    return row


def decide_request(actor, org: Organisation, user_id: int, approve: bool, *,
                   as_operator: bool = False) -> OrganisationMember:
    """Approve or decline a request to join. A declined request may still be approved later."""
    if not as_operator:
        authorize(actor, "organisation.manage_members", org)
    row = _member_row(org, user_id)
    allowed = ("pending", "declined") if approve else ("pending",)
    if row.status not in allowed:
        raise ValidationError(_("%(name)s is already a member.", name=row.user.name)
                              if row.status == "verified"
                              else _("This request has already been answered."))
    row.status = "verified" if approve else "declined"
    row.decided_at, row.decided_by_id = utcnow(), getattr(actor, "id", None)
    if approve:
        db.session.flush()
        ensure_admin(org)
    db.session.commit()
    signals.membership_decided.send(org, organisation=org, actor=actor, user=row.user,
                                    status=row.status)
    return row


def set_admin(actor, org: Organisation, user_id: int, make_admin: bool) -> OrganisationMember:
    """Name a verified member an administrator, or take the role back (never from the last)."""
    authorize(actor, "organisation.manage_members", org)
    row = _member_row(org, user_id)
    if row.status != "verified":
        raise ValidationError(_("Only members can be administrators; answer their request first."))
    if row.is_admin == make_admin:
        return row
    if not make_admin and admin_ids(org) == [row.user_id]:
        raise ValidationError(_("An organisation needs at least one administrator; name another "
                                "one first."))
    row.is_admin = make_admin
    db.session.commit()
    if make_admin:
        signals.organisation_admin_named.send(org, organisation=org, actor=actor, user=row.user)
    return row


def find_member_request(org: Organisation, email: str) -> OrganisationMember | None:
    """The membership or request of the person with `email` (for the operators' CLI)."""
    from ..auth.services import find_user_by_email

    user: User | None = find_user_by_email(email)
    if user is None:
        return None
    return next((m for m in org.memberships if m.user_id == user.id), None)
