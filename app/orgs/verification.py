"""Verifying organisations that people add: the site administrators' queue, verify, decline.

An organisation added by a person waits as "unverified"; its creator's membership waits as a
pending request beside it. Verifying the organisation verifies that membership too (the creator
becomes its first administrator); declining declines both. The queue shows the creator's email
domain beside the organisation's web site domain: when they match (`domains.domains_match`) one
click verifies; otherwise the administrator confirms they checked by other means.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..core import signals
from ..core.errors import ValidationError
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize
from .domains import domains_match, email_domain, website_domain
from .members import ensure_admin
from .models import Organisation, OrganisationMember


@dataclass
class Claim:
    """Who asks for what, with the two domains side by side."""

    organisation: Organisation
    person: User | None
    mail_domain: str
    site_domain: str

    @property
    def domains_match(self) -> bool:
        return domains_match(self.mail_domain, self.site_domain)


def _creator_request(org: Organisation) -> OrganisationMember | None:
    return next((m for m in org.memberships if m.user_id == org.created_by_id), None)


def claim_for(org: Organisation, person: User | None) -> Claim:
    return Claim(org, person, email_domain(person.email) if person else "",
                 website_domain(org.website))


def organisation_queue() -> list[Claim]:
    """Organisations waiting for verification, oldest first."""
    orgs = db.session.execute(
        select(Organisation).where(Organisation.verification == "unverified")
        .options(selectinload(Organisation.memberships))
        .order_by(Organisation.created_at, Organisation.id)
    ).scalars().all()
    creators = {u.id: u for u in db.session.execute(select(User).where(
        User.id.in_({o.created_by_id for o in orgs if o.created_by_id}))).scalars()}
    return [claim_for(org, creators.get(org.created_by_id)) for org in orgs]


def unanswered_requests() -> list[Claim]:
    """Requests to join organisations that have no administrator to answer them."""
    with_admin = select(OrganisationMember.organisation_id).where(
        OrganisationMember.status == "verified", OrganisationMember.is_admin.is_(True))
    rows = db.session.execute(
        select(OrganisationMember, Organisation)
        .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
        .where(OrganisationMember.status == "pending",
               Organisation.verification == "verified",
               OrganisationMember.organisation_id.not_in(with_admin))
        .order_by(OrganisationMember.created_at)
    ).all()
    return [claim_for(org, membership.user) for membership, org in rows]


def queue_size() -> int:
    return db.session.execute(select(func.count()).select_from(Organisation).where(
        Organisation.verification == "unverified")).scalar_one()


def verify_organisation(actor, org: Organisation, *, checked_otherwise: bool = False,
                        as_operator: bool = False) -> bool:
    """Verify `org` (False when it already was). Without matching domains an administrator must
    say they checked by other means (`checked_otherwise`); operators are trusted."""
    if not as_operator:
        authorize(actor, "organisation.verify", org)
    if org.verification == "verified":
        return False
    creator_request = _creator_request(org)
    creator = creator_request.user if creator_request else None
    if not as_operator and not checked_otherwise and not claim_for(org, creator).domains_match:
        raise ValidationError(_("The email domain does not match the web site: confirm that you "
                                "checked this organisation another way."), field="checked")
    now = utcnow()
    org.verification, org.verified_at = "verified", now
    org.verified_by_id = getattr(actor, "id", None)
    if creator_request is not None and creator_request.status == "pending":
        creator_request.status, creator_request.decided_at = "verified", now
        creator_request.decided_by_id = getattr(actor, "id", None)
        db.session.flush()
    ensure_admin(org)
    db.session.commit()
    signals.organisation_verification_decided.send(org, organisation=org, actor=actor,
                                                    user=creator, status="verified")
    return True


def decline_organisation(actor, org: Organisation) -> bool:
    """Decline to verify `org`: it stays listed as not verified; its creator's request too."""
    authorize(actor, "organisation.verify", org)
    if org.verification != "unverified":
        raise ValidationError(_("This organisation is not waiting for verification."))
    org.verification = "declined"
    creator_request = _creator_request(org)
    if creator_request is not None and creator_request.status == "pending":
        creator_request.status, creator_request.decided_at = "declined", utcnow()
        creator_request.decided_by_id = actor.id
    db.session.commit()
    signals.organisation_verification_decided.send(
        org, organisation=org, actor=actor, user=creator_request.user if creator_request else None,
        status="declined")
    return True


def site_admin_ids() -> list[int]:
    return list(db.session.execute(select(User.id).where(
        User.is_admin.is_(True), User.active.is_(True))).scalars())
