"""Organisations (museums and their partners), their expertise tags, and who belongs to them.

Belonging is a `OrganisationMember` row with a status: a request to join is "pending" until one
of the organisation's administrators (or a site administrator) makes it "verified" or
"declined". Only verified rows count as members (`Organisation.members`, `User.organisations`).
An organisation added by a person is "unverified" until a site administrator verifies it.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Text, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

ORG_KINDS = {
    "museum": _l("Museum"),
    "technology": _l("Technology partner"),
    "creative": _l("Creative partner"),
    "research": _l("Research / university"),
    "network": _l("Network / other"),
}
MUSEUM_SIZES = {"small": _l("Small"), "medium": _l("Medium"), "large": _l("Large")}
#: an organisation's standing with the site
VERIFICATIONS = {"unverified": _l("Awaiting verification"), "verified": _l("Verified"),
                 "declined": _l("Not verified")}
#: a person's standing with an organisation
MEMBERSHIP_STATUSES = {"pending": _l("Request pending"), "verified": _l("Member"),
                       "declined": _l("Request declined")}


class OrganisationMember(db.Model):
    """A person's membership of an organisation, or their request for one."""

    __tablename__ = "organisation_members"
    __table_args__ = (Index("ix_organisation_members_status", "status"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    #: may answer requests to join and name other administrators (verified members only)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    organisation = relationship("Organisation", back_populates="memberships")

    @property
    def status_label(self) -> str:
        return str(MEMBERSHIP_STATUSES.get(self.status, self.status))


#: the table, for queries that join it (projects: a person's museums)
organisation_members = OrganisationMember.__table__


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[str | None] = mapped_column(String(10), nullable=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    verification: Mapped[str] = mapped_column(String(12), default="unverified", index=True)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    expertise = relationship(
        "OrganisationExpertise", cascade="all, delete-orphan", order_by="OrganisationExpertise.tag",
        lazy="selectin",
    )
    memberships = relationship(
        "OrganisationMember", back_populates="organisation", cascade="all, delete-orphan",
        order_by="OrganisationMember.created_at")
    #: verified members only
    members = relationship(
        "User", secondary="organisation_members", viewonly=True, order_by="User.name",
        primaryjoin=lambda: and_(Organisation.id == OrganisationMember.organisation_id,
                                 OrganisationMember.status == "verified"),
        secondaryjoin="User.id == OrganisationMember.user_id",
    )

    @property
    def is_verified(self) -> bool:
        return self.verification == "verified"

    @property
    def verification_label(self) -> str:
        return str(VERIFICATIONS.get(self.verification, self.verification))

    @property
    def kind_label(self) -> str:
        return str(ORG_KINDS.get(self.kind, self.kind))

    @property
    def size_label(self) -> str:
        return str(MUSEUM_SIZES.get(self.size, "")) if self.size else ""

    @property
    def expertise_tags(self) -> list[str]:
        return [item.tag for item in self.expertise]

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class OrganisationExpertise(db.Model):
    __tablename__ = "organisation_expertise"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
