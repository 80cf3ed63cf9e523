"""User accounts."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, String, Text
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
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    organisations = relationship(
        "Organisation", secondary="organisation_members", back_populates="members",
        order_by="Organisation.name", viewonly=False,
    )

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def initials(self) -> str:
        return initials(self.name)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
