"""A pilot (a selected application and the workspace it became), its grant instalments and the
mentoring log of its workspace.

A `Pilot` is made once per selected application (`application_id` is unique), so publishing a
call's decisions twice starts nothing twice. Instalments keep their share and amount as agreed
at the start; `trigger` says what makes one due: the start of the pilot, or its case study
published in the archive.
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

INSTALMENT_STATUSES = {"scheduled": _l("Not yet due"), "due": _l("Due"), "paid": _l("Paid"),
                       "withheld": _l("Withheld")}
TRIGGERS = {"start": _l("At the start"), "case_study": _l("When the case study is published")}


class Pilot(db.Model):
    __tablename__ = "pilots"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, unique=True)
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    grant_eur: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    application = relationship("Application", lazy="joined")
    project = relationship("Project", lazy="joined")
    mentor = relationship("User", lazy="joined")
    instalments: Mapped[list["GrantInstalment"]] = relationship(
        back_populates="pilot", order_by="GrantInstalment.position",
        cascade="all, delete-orphan", lazy="selectin")


class GrantInstalment(db.Model):
    __tablename__ = "grant_instalments"
    __table_args__ = (UniqueConstraint("pilot_id", "position",
                                       name="uq_grant_instalments_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    share_percent: Mapped[int] = mapped_column(Integer)
    amount_eur: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    withheld_reason: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    pilot: Mapped[Pilot] = relationship(back_populates="instalments")

    @property
    def status_label(self) -> str:
        return str(INSTALMENT_STATUSES.get(self.status, self.status))

    @property
    def trigger_label(self) -> str:
        return str(TRIGGERS.get(self.trigger, self.trigger))


class MentoringEntry(db.Model):
    """One meeting of a pilot's mentor with the team: when, what was said, what was agreed."""
    __tablename__ = "mentoring_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    met_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author = relationship("User", lazy="joined")
