"""Organisations (museums and their partners), their expertise tags, and who belongs to them."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text
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

organisation_members = Table(
    "organisation_members",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", DateTime, default=utcnow),
)


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

    expertise = relationship(
        "OrganisationExpertise", cascade="all, delete-orphan", order_by="OrganisationExpertise.tag",
        lazy="selectin",
    )
    members = relationship(
        "User", secondary=organisation_members, back_populates="organisations", order_by="User.name"
    )

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
