"""The evaluation of a call's applications: who evaluates (`CallEvaluator`), the conflicts
they declared (`EvaluatorConflict`), who evaluates what (`EvaluationAssignment`), the scores
per criterion (`EvaluationScore`), the agreed score per application (`Consensus`) and the
call's evaluation settings (`EvaluationSettings`: same-country conflicts, the lock).

Automatic conflicts (a member of the lead or a partner organisation; the same country when
the call says so) are not stored: `queries.conflicts_for` works them out each time, so a
membership that changes later counts at once.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

ASSIGNMENT_STATUSES = {"assigned": _l("To do"), "draft": _l("Draft saved"),
                       "submitted": _l("Submitted")}


class EvaluationSettings(db.Model):
    """One row per call once its evaluation starts."""
    __tablename__ = "evaluation_settings"

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"),
                                         primary_key=True)
    #: an evaluator may not evaluate applications led from their own country
    same_country_conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    #: once locked, submitted evaluations can no longer be reopened
    locked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class CallEvaluator(db.Model):
    """A person invited to evaluate a call, by e-mail address; `user_id` once it has an
    account. `country` spreads evaluators and decides same-country conflicts."""
    __tablename__ = "call_evaluators"
    __table_args__ = (UniqueConstraint("call_id", "email", name="uq_call_evaluators_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True)
    country: Mapped[str] = mapped_column(String(2))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")


class EvaluatorConflict(db.Model):
    """A conflict of interest an evaluator declared for one application."""
    __tablename__ = "evaluator_conflicts"

    evaluator_id: Mapped[int] = mapped_column(
        ForeignKey("call_evaluators.id", ondelete="CASCADE"), primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EvaluationAssignment(db.Model):
    """One evaluator evaluating one application, and how far they got."""
    __tablename__ = "evaluation_assignments"
    __table_args__ = (UniqueConstraint("application_id", "evaluator_id",
                                       name="uq_evaluation_assignments_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    evaluator_id: Mapped[int] = mapped_column(
        ForeignKey("call_evaluators.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="assigned")
    #: the rapporteur writes the application's consensus (one per application, or none)
    rapporteur: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    evaluator: Mapped[CallEvaluator] = relationship(lazy="joined")
    call = relationship("Call")
    scores: Mapped[list["EvaluationScore"]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return str(ASSIGNMENT_STATUSES.get(self.status, self.status))


class EvaluationScore(db.Model):
    """An evaluator's score (0 to the call's scale) and comment on one criterion."""
    __tablename__ = "evaluation_scores"

    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_assignments.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("call_criteria.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")

    assignment: Mapped[EvaluationAssignment] = relationship(back_populates="scores")


class Consensus(db.Model):
    """The final score of an application agreed by its evaluators, with the consensus comment
    (written by a rapporteur or the manager). Overrides an imported consensus score."""
    __tablename__ = "evaluation_consensus"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SelectionChoice(db.Model):
    """A manager's inclusion or exclusion of one application by hand, with the reason."""
    __tablename__ = "selection_choices"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    include: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SelectionDecision(db.Model):
    """The published decision on one application: selected or not, and why (the reason's
    code and figures, so each reader gets it in their language)."""
    __tablename__ = "selection_decisions"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    selected: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
