"""User accounts and their sign-in sessions."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.text import initials
from ..core.time import utcnow
from ..extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    bio: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    #: programme manager: creates and runs open calls (site admins are managers too)
    is_manager: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: when the person put the start page ("First steps") away; until then the menu offers it
    start_dismissed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    #: organisations the user is a verified member of (requests: OrganisationMember rows)
    organisations = relationship(
        "Organisation", secondary="organisation_members", viewonly=True,
        primaryjoin="and_(User.id == OrganisationMember.user_id, "
                    "OrganisationMember.status == 'verified')",
        secondaryjoin="Organisation.id == OrganisationMember.organisation_id",
        order_by="Organisation.name",
    )

    #: the sign-in session (UserSession) and its cookie token this object was loaded or signed
    #: in with; set by app.auth.sessions, never stored on the row
    auth_session = None
    session_token = None

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def sign_in_id(self) -> str:
        """What Flask-Login keeps in the session and remember cookies: the user and the token of
        their server-side session, so that ending the session ends every copy of the cookie."""
        if not self.session_token:
            raise RuntimeError("Start a sign-in session (auth.sessions.start_session) first.")
        return f"{self.id}:{self.session_token}"

    @property
    def initials(self) -> str:
        return initials(self.name)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserSession(db.Model):
    """One signed-in browser (or copy of its cookie): what `sign_in_id` points at.

    The cookie carries a random token; only its SHA-256 is stored, so the table cannot be
    replayed. Deleting the row ends the session everywhere at once.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
