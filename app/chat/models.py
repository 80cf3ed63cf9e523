"""Chat tables: the messages of a workspace's live chat, and each member's read marker.

Message ids increase in commit order within a project, and `seq` counts 1, 2, 3… per project
without gaps (see `services.post_message`, which takes a per-project row lock before inserting).
Deleted messages stay as tombstones without content.
"""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db


class ChatMessage(db.Model):
    __tablename__ = "chat_messages"
    __table_args__ = (
        Index("ix_chat_messages_project_id_id", "project_id", "id"),
        # A retry with the same client-chosen UUID finds the original instead of a duplicate.
        UniqueConstraint("project_id", "author_id", "client_id",
                         name="uq_chat_messages_project_author_client"),
        # 1, 2, 3… per project in commit order, without gaps: clients spot a missed message.
        UniqueConstraint("project_id", "seq", name="uq_chat_messages_project_seq"),
    )

    # seq is a SQL expression at insert time: fetch it with RETURNING instead of a second query.
    __mapper_args__ = {"eager_defaults": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    client_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    author = relationship("User", lazy="joined")
    project = relationship("Project")

    def __repr__(self) -> str:
        return f"<ChatMessage {self.id} in {self.project_id}>"


class ChatReadMarker(db.Model):
    """The last message id a member has seen in a project's chat (for unread counts)."""

    __tablename__ = "chat_read_markers"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_id: Mapped[int] = mapped_column(Integer, default=0)
