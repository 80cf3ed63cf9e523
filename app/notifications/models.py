"""In-app notifications and each user's notification preferences.

A notification stores its kind and the few words needed to phrase it (actor, subject) rather
than a finished sentence, so it is shown in the reader's language.
"""
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

KINDS = ("mention", "reply", "new_thread", "invitation", "role_change", "status_change",
         "organisation", "application", "partners")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    #: how to phrase it within its kind (e.g. an invitation vs. being added directly)
    verb: Mapped[str] = mapped_column(String(30), default="")
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), nullable=True, index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    user = relationship("User", foreign_keys=[user_id])
    project = relationship("Project", lazy="joined")

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(db.Model):
    """Which kinds notify a user (absent row = every kind on, digest on)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    disabled_kinds: Mapped[list] = mapped_column(JSON, default=list)
    email_digest: Mapped[bool] = mapped_column(Boolean, default=True)
