"""Case studies, their revisions, partners, public attachments, curators' reviews, their
translations, and the harvesting trace (OAI-PMH records) of every case study that is or was
public.

A case study's columns hold the working copy that members edit. What the public sees is the
snapshot of `published_revision` (so an update under review never replaces the published text
until a curator publishes it). `published_revision_id is not None` is the one test of "public".
"""
from datetime import datetime

from sqlalchemy import (
    JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db
from .vocabulary import STATUS_DRAFT, STATUSES, label_of


class CaseStudy(db.Model):
    __tablename__ = "case_studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, unique=True
    )
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=STATUS_DRAFT, index=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    technologies: Mapped[list] = mapped_column(JSON, default=list)
    areas: Mapped[list] = mapped_column(JSON, default=list)
    budget_eur: Mapped[int | None] = mapped_column(Integer, nullable=True)
    budget_range: Mapped[str] = mapped_column(String(20), default="unknown")
    impact: Mapped[dict] = mapped_column(JSON, default=dict)
    license: Mapped[str] = mapped_column(String(30), default="CC-BY-4.0")
    contact: Mapped[str] = mapped_column(String(300), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: an image among the project's files, shown on the listing and the page once published
    cover_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_files.id", ondelete="SET NULL"), nullable=True
    )
    cover_alt: Mapped[str] = mapped_column(String(300), default="")
    # Plain integers, not foreign keys: a revision points back at its case study, and a cycle
    # of foreign keys makes SQLite batch migrations and table truncation needlessly fragile.
    current_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    published_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    first_published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    project = relationship("Project", lazy="joined")
    lead_organisation = relationship("Organisation", lazy="joined")
    partners = relationship("CaseStudyPartner", cascade="all, delete-orphan", lazy="selectin",
                            order_by="CaseStudyPartner.position")
    attachments = relationship("CaseStudyAttachment", cascade="all, delete-orphan",
                               lazy="selectin")
    published_revision = relationship(
        "CaseStudyRevision", viewonly=True, uselist=False,
        primaryjoin="foreign(CaseStudy.published_revision_id) == CaseStudyRevision.id",
    )
    translations = relationship("CaseStudyTranslation", cascade="all, delete-orphan",
                                order_by="CaseStudyTranslation.language")

    @property
    def is_public(self) -> bool:
        return self.published_revision_id is not None

    @property
    def status_label(self) -> str:
        return label_of(STATUSES, self.status)

    def __repr__(self) -> str:
        return f"<CaseStudy {self.slug} {self.status}>"


class CaseStudyRevision(db.Model):
    """One saved state of a case study; `snapshot` holds every field (see services.snapshot_of)."""

    __tablename__ = "case_study_revisions"
    __table_args__ = (UniqueConstraint("case_study_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    note: Mapped[str] = mapped_column(String(200), default="")
    snapshot: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author = relationship("User", lazy="joined")


class CaseStudyPartner(db.Model):
    __tablename__ = "case_study_partners"

    case_study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    organisation = relationship("Organisation", lazy="joined")


class CaseStudyAttachment(db.Model):
    """A workspace document or file the lead chose to publish with the case study.

    `kind` is "document" or "file" and `target_id` the Document / ProjectFile id (no foreign key:
    the row points into one of two tables); the service checks it belongs to the same project.
    """

    __tablename__ = "case_study_attachments"
    __table_args__ = (UniqueConstraint("case_study_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)


class CaseStudyReview(db.Model):
    """A curator's decision on a submitted case study: published, returned or withdrawn."""

    __tablename__ = "case_study_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    reviewer = relationship("User", lazy="joined")


class OaiRecord(db.Model):
    """What harvesters see of a case study that is or was public (app/archive/oai.py).

    Written in the same transaction as each publication and withdrawal and never removed: a
    withdrawn case study stays as a deleted record, so harvesters learn that it is gone.
    `datestamp` (UTC, whole seconds) is the moment of the last publication or the withdrawal;
    `sets` are the set specs of the version that was last public. The metadata itself is always
    read from the published snapshot, never from here.
    """

    __tablename__ = "oai_records"
    __table_args__ = (Index("ix_oai_records_datestamp_id", "datestamp", "case_study_id"),)

    # a plain integer, like the revision ids: the trace outlives the case study row
    case_study_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    datestamp: Mapped[datetime] = mapped_column(DateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    sets = relationship("OaiRecordSet", cascade="all, delete-orphan", lazy="selectin",
                        order_by="OaiRecordSet.spec")


class OaiRecordSet(db.Model):
    """One set an OAI record belongs to: `area:ar-vr`, `country:IT`, `language:pl`."""

    __tablename__ = "oai_record_sets"

    case_study_id: Mapped[int] = mapped_column(
        ForeignKey("oai_records.case_study_id", ondelete="CASCADE"), primary_key=True
    )
    spec: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class CaseStudyTranslation(db.Model):
    """A translated version of a published case study (title, summary, sections), added by the
    lead or a curator; public at once beside the original (see services in translations.py)."""

    __tablename__ = "case_study_translations"
    __table_args__ = (UniqueConstraint("case_study_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    translated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<CaseStudyTranslation {self.case_study_id} {self.language}>"
