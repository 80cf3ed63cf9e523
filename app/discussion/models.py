"""Discussion threads, their posts as a tree, edit history, per-user read marks and subscriptions.

A thread's opening post is a `Post` with `parent_id` NULL; every reply has a parent. Replies
carry `branch_id` (the top-level reply they descend from) and `depth`, so that one page of a
long thread (a slice of top-level branches) loads in one query and the tree is built in Python.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

CATEGORIES = {
    "decision": _l("Decision"),
    "question": _l("Question"),
    "idea": _l("Idea"),
    "meeting": _l("Meeting"),
    "announcement": _l("Announcement"),
}
SUBSCRIBED, MUTED = "subscribed", "muted"


class Thread(db.Model):
    __tablename__ = "discussion_threads"
    __table_args__ = (
        Index("ix_discussion_threads_project_activity", "project_id", "pinned", "last_activity_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(20), nullable=True)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_post_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    last_post_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    project = relationship("Project")
    author = relationship("User", lazy="joined")

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, "")) if self.category else ""


class Post(db.Model):
    __tablename__ = "discussion_posts"
    __table_args__ = (
        Index("ix_discussion_posts_thread_branch", "thread_id", "branch_id"),
        Index("ix_discussion_posts_thread_parent", "thread_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_threads.id", ondelete="CASCADE")
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("discussion_posts.id", ondelete="CASCADE"), nullable=True
    )
    #: the top-level reply this post descends from (itself for a top-level reply; NULL: opening)
    branch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    thread = relationship("Thread")
    author = relationship("User")

    @property
    def project(self):
        return self.thread.project

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PostEdit(db.Model):
    """The body a post had before one edit (the newest body lives on the post)."""

    __tablename__ = "discussion_post_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_posts.id", ondelete="CASCADE"), index=True
    )
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    previous_body: Mapped[str] = mapped_column(Text, default="")
    previous_title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    edited_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    editor = relationship("User", lazy="joined")


class ThreadRead(db.Model):
    """How far one user has read one thread."""

    __tablename__ = "discussion_thread_reads"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_threads.id", ondelete="CASCADE"), index=True
    )
    last_read_post_id: Mapped[int] = mapped_column(Integer, default=0)
    last_read_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ThreadSubscription(db.Model):
    """A user's explicit choice for one thread: subscribed (notify me) or muted."""

    __tablename__ = "discussion_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_threads.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(12), default=SUBSCRIBED)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
