"""Applications to a call: the draft, its revisions, co-applicants, partners, attachments, the
frozen submitted versions, and the call's log.

An `Application` holds the current draft as one JSON document (`content`, see
`application_content.py`) plus the columns the managers' pages count and filter by (lead
organisation, areas, requested amount, status). Every save adds an `ApplicationRevision`;
every submission adds an `ApplicationVersion`, which nothing may change afterwards (an ORM
guard refuses updates and deletes of a version). The last submitted version counts.

Imported applications (`flask calls import`) have no owner and are "submitted" with one
version; `consensus_score` (0-5) carries a score given outside the space, which selection uses.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db
from .models import Call

APPLICATION_STATUSES = {"draft": _l("Draft"), "submitted": _l("Submitted"),
                        "withdrawn": _l("Withdrawn")}


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("call_id", "ref", name="uq_applications_call_ref"),
                      Index("ix_applications_call_status", "call_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    #: unique within the call: given by an import, or made when the draft is started
    ref: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    #: who started it (None for imported applications)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    lead_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    areas: Mapped[list] = mapped_column(JSON, default=list)
    requested_eur: Mapped[int] = mapped_column(Integer, default=0)
    #: the current draft (application_content.empty_content() shape)
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    #: the moment of the submission that counts (the last one), naive UTC
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    submitted_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: automatic verdict and its items [{"key", "ok", "detail"}]; a manager may override it
    eligible: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    eligibility: Mapped[list] = mapped_column(JSON, default=list)
    eligibility_override: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    #: a weighted score (0-5) agreed outside the space (imports), used by selection
    consensus_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    call: Mapped[Call] = relationship()
    lead_organisation = relationship("Organisation", lazy="joined")
    owner = relationship("User", foreign_keys=[owner_id])
    partners: Mapped[list["ApplicationPartner"]] = relationship(
        back_populates="application", order_by="ApplicationPartner.position",
        cascade="all, delete-orphan")
    members: Mapped[list["ApplicationMember"]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationMember.created_at")
    attachments: Mapped[list["ApplicationAttachment"]] = relationship(
        back_populates="application", order_by="ApplicationAttachment.id",
        cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return str(APPLICATION_STATUSES.get(self.status, self.status))

    @property
    def verdict(self) -> bool | None:
        """Eligible or not: the manager's override if there is one, else the automatic check."""
        return self.eligible if self.eligibility_override is None else self.eligibility_override

    @property
    def member_ids(self) -> set[int]:
        """Who may edit the draft: its owner and the co-applicants who have an account."""
        return {self.owner_id} | {m.user_id for m in self.members if m.user_id}

    def __repr__(self) -> str:
        return f"<Application {self.ref} {self.status}>"


class ApplicationPartner(db.Model):
    """A partner organisation of an application, in the order the applicant gave."""
    __tablename__ = "application_partners"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    application: Mapped[Application] = relationship(back_populates="partners")
    organisation = relationship("Organisation", lazy="joined")


class ApplicationMember(db.Model):
    """A co-applicant, invited by e-mail address; `user_id` once the address has an account."""
    __tablename__ = "application_members"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="members")
    user = relationship("User", foreign_keys=[user_id])


class ApplicationRevision(db.Model):
    """One saved state of a draft; the unique number makes two simultaneous saves merge."""
    __tablename__ = "application_revisions"
    __table_args__ = (UniqueConstraint("application_id", "number",
                                       name="uq_application_revisions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApplicationVersion(db.Model):
    """A submitted version, frozen: its canonical JSON and that JSON's SHA-256 (the receipt)."""
    __tablename__ = "application_versions"
    __table_args__ = (UniqueConstraint("application_id", "number",
                                       name="uq_application_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    canonical_json: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


class ImmutableVersionError(RuntimeError):
    """Raised when anything tries to change or delete a submitted version."""


@event.listens_for(ApplicationVersion, "before_update")
@event.listens_for(ApplicationVersion, "before_delete")
def _refuse_change(_mapper, _connection, target):
    raise ImmutableVersionError(f"Submitted version {target.number} cannot be changed.")


class ApplicationAttachment(db.Model):
    """A file attached to a draft: bytes in the files feature's content-addressed store."""
    __tablename__ = "application_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("file_blobs.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="attachments")
    blob = relationship("Blob", lazy="joined")


class CallLogEntry(db.Model):
    """What managers did to a call's applications (eligibility overrides, with their reason)."""
    __tablename__ = "call_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), nullable=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
