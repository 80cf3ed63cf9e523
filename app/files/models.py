"""Files in a workspace: content-addressed blobs, project files, and their numbered versions."""
from datetime import datetime

from sqlalchemy import (BigInteger, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db
from .sniffing import INLINE_MIMES


class Blob(db.Model):
    """Bytes stored once on disk under their SHA-256; many versions may share one blob."""

    __tablename__ = "file_blobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def inline(self) -> bool:
        return self.mime in INLINE_MIMES


class ProjectFile(db.Model):
    __tablename__ = "project_files"
    __table_args__ = (Index("ix_project_files_project_updated", "project_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("file_versions.id", ondelete="SET NULL", use_alter=True), nullable=True
    )
    version_count: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    project = relationship("Project")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])
    current_version = relationship("FileVersion", foreign_keys=[current_version_id],
                                   post_update=True)
    versions = relationship("FileVersion", foreign_keys="FileVersion.file_id",
                            back_populates="file", order_by="FileVersion.number.desc()",
                            cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<ProjectFile {self.id} {self.name!r}>"


class FileVersion(db.Model):
    __tablename__ = "file_versions"
    __table_args__ = (UniqueConstraint("file_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("project_files.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    blob_id: Mapped[int] = mapped_column(ForeignKey("file_blobs.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: text of a PDF (for search), capped; None when there is none or it could not be read
    extracted_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    thumbnail_blob_id: Mapped[int | None] = mapped_column(
        ForeignKey("file_blobs.id"), nullable=True, index=True
    )
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)

    file = relationship("ProjectFile", foreign_keys=[file_id], back_populates="versions")
    blob = relationship("Blob", foreign_keys=[blob_id])
    thumbnail_blob = relationship("Blob", foreign_keys=[thumbnail_blob_id])
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])

    @property
    def project(self):
        return self.file.project
