"""Open calls: a call's texts, dates, money, eligibility rules and evaluation criteria.

Applications (`application_models.py`) point at their call; evaluations and selection hang off
`Call` and `CallCriterion`: a score points at a criterion (0 to `Call.scale_max`, weighted by
`CallCriterion.weight`, compared with `Call.threshold`).
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

STATUSES = {
    "draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed"),
    "evaluated": _l("Evaluated"), "decided": _l("Decided"),
}
#: the one way a call moves: each status and the status it may move to next
NEXT_STATUS = {"draft": "open", "open": "closed", "closed": "evaluated", "evaluated": "decided"}
DEFAULT_TIMEZONE = "Europe/Brussels"
SCALE_MAX = 5


class Call(db.Model):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    #: the main language: its title and description are required, others fall back to it
    language: Mapped[str] = mapped_column(String(5), default="en")
    #: {locale: {"title": ..., "description": ..., "faq": ...}} (Markdown)
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    opens_at: Mapped[datetime] = mapped_column(DateTime)   # naive UTC
    closes_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # naive UTC
    budget_eur: Mapped[int] = mapped_column(Integer)
    max_grant_eur: Mapped[int] = mapped_column(Integer)
    countries: Mapped[list] = mapped_column(JSON, default=list)
    lead_kinds: Mapped[list] = mapped_column(JSON, default=list)
    museum_sizes: Mapped[list] = mapped_column(JSON, default=list)
    min_partners: Mapped[int] = mapped_column(Integer, default=0)
    partner_kinds: Mapped[list] = mapped_column(JSON, default=list)
    areas: Mapped[list] = mapped_column(JSON, default=list)
    scale_max: Mapped[int] = mapped_column(Integer, default=SCALE_MAX)
    #: the weighted score (0 to scale_max) an application needs to be fundable
    threshold: Mapped[float] = mapped_column(Float, default=3.0)
    evaluators_per_application: Mapped[int] = mapped_column(Integer, default=3)
    two_stage: Mapped[bool] = mapped_column(Boolean, default=False)
    #: what came of it, shown on the public pages once the call is past (Markdown)
    results: Mapped[str] = mapped_column(Text, default="")
    #: selection rules (the next issue): at most this many pilots per country, and the share
    #: (0-1) of selected pilots that small museums should lead
    max_per_country: Mapped[int | None] = mapped_column(Integer, nullable=True)
    min_small_share: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: applications one lead organisation may submit to this call
    applications_per_lead: Mapped[int] = mapped_column(Integer, default=1)
    #: statements an applicant ticks before submitting (plain text, in the main language)
    declarations: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    criteria: Mapped[list["CallCriterion"]] = relationship(
        back_populates="call", order_by="CallCriterion.position",
        cascade="all, delete-orphan")

    def text(self, field: str, locale: str | None = None) -> str:
        """The field in `locale`, falling back to the call's main language."""
        texts = self.texts or {}
        return ((texts.get(locale or "") or {}).get(field)
                or (texts.get(self.language) or {}).get(field) or "")

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    def __repr__(self) -> str:
        return f"<Call {self.slug} {self.status}>"


class CallCriterion(db.Model):
    """One evaluation criterion of a call: its weight (percent) among the call's criteria."""
    __tablename__ = "call_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: a short stable name (`excellence`), given by an import or made from the title
    key: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(120))
    weight: Mapped[int] = mapped_column(Integer)

    call: Mapped[Call] = relationship(back_populates="criteria")
