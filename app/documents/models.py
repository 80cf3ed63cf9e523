"""Documents and their revisions.

A `Document` points at its current `DocumentRevision`; every save that changes something adds a
revision (numbered 1..n per document) holding the Markdown body, the title at that time and the
rendered HTML cached at save time. Deletion is a flag (`deleted_at`), never a row removal.
Nothing here decides access or validates input: see `services.py`.
"""
from datetime import datetime

from sqlalchemy import (Boolean, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

TITLE_MAX = 200
SUMMARY_MAX = 300


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_project_parent", "project_id", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    is_folder: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The revision table points back here, so this key is added after both tables exist.
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_revisions.id", ondelete="SET NULL", use_alter=True), nullable=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deleted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    project = relationship("Project")
    current_revision = relationship(
        "DocumentRevision", foreign_keys=[current_revision_id], post_update=True
    )
    deleted_by = relationship("User", foreign_keys=[deleted_by_id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def revision_number(self) -> int:
        return self.current_revision.number if self.current_revision else 0

    @property
    def body(self) -> str:
        return self.current_revision.body if self.current_revision else ""

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.title!r}>"


class DocumentRevision(db.Model):
    __tablename__ = "document_revisions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX), default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    document = relationship("Document", foreign_keys=[document_id])
    author = relationship("User")
    #: everyone who edited since the previous revision (co-editing: coedit/models.py)
    co_authors = relationship("User", secondary="document_revision_authors", viewonly=True,
                              order_by="User.name")

    def __repr__(self) -> str:
        return f"<DocumentRevision {self.document_id}#{self.number}>"
