"""A pilot's grant and its instalments: scheduled at the start (40 % due at once, 60 % when
the pilot's case study is published in the archive, so the archive is part of the funding
cycle), and kept by managers: paid on a date, or withheld with a reason.

`case_study_published_receiver` hears the archive's `case_study_published` signal (the
archive does not know pilots exist) and makes the waiting instalments due."""
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.errors import NotFound, ValidationError
from ..core.text import clean_text
from ..extensions import db
from ..policy import authorize
from .models import GrantInstalment, Pilot

#: (share in per cent, what makes it due): the programme's default schedule
DEFAULT_SCHEDULE = ((40, "start"), (60, "case_study"))
#: an instalment falls due this many days after what triggers it
PAYMENT_DAYS = 30
REASON_MAX = 1000


def schedule_instalments(pilot: Pilot, start: date) -> list[GrantInstalment]:
    """The default instalments of a new pilot's grant (the last one takes the rounding);
    the caller commits."""
    instalments, left = [], pilot.grant_eur
    for position, (share, trigger) in enumerate(DEFAULT_SCHEDULE, start=1):
        amount = left if position == len(DEFAULT_SCHEDULE) else round(pilot.grant_eur * share
                                                                        / 100)
        left -= amount
        instalment = GrantInstalment(
            pilot_id=pilot.id, position=position, share_percent=share, amount_eur=amount,
            trigger=trigger, status="due" if trigger == "start" else "scheduled",
            due_on=start + timedelta(days=PAYMENT_DAYS) if trigger == "start" else None)
        db.session.add(instalment)
        instalments.append(instalment)
    return instalments


def make_due_for_project(project_id: int, published_on: date) -> int:
    """Instalments waiting for this project's case study fall due; returns how many. The
    caller commits."""
    waiting = db.session.execute(
        select(GrantInstalment).join(Pilot, Pilot.id == GrantInstalment.pilot_id)
        .where(Pilot.project_id == project_id, GrantInstalment.trigger == "case_study",
               GrantInstalment.status == "scheduled")).scalars().all()
    for instalment in waiting:
        instalment.status = "due"
        instalment.due_on = published_on + timedelta(days=PAYMENT_DAYS)
    return len(waiting)


def case_study_published_receiver(_sender=None, case_study=None, **_):
    """Receivers must not raise: a pilot's grant never stops a case study's publication."""
    project_id = getattr(case_study, "project_id", None)
    if project_id is None:
        return
    published = getattr(case_study, "published_at", None)
    try:
        if make_due_for_project(project_id, published.date() if published else date.today()):
            db.session.commit()
    except Exception:  # noqa: BLE001 — logged, the archive's commit already happened
        db.session.rollback()
        current_app.logger.exception("Could not make the grant instalment due")


def instalment_of(call, instalment_id: int) -> GrantInstalment:
    instalment = db.session.get(GrantInstalment, instalment_id)
    if instalment is None or instalment.pilot.call_id != call.id:
        raise NotFound()
    return instalment


def _day(value, field: str) -> date:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(_("Give a date, e.g. 2027-03-31."), field=field) from None


def record_instalment(call, instalment: GrantInstalment, status: str, *, paid_on="",
                      reason="", by) -> GrantInstalment:
    """A manager records what happened to an instalment: paid on a date, withheld with a
    reason, or back to due (a mistake corrected)."""
    authorize(by, "call.manage", call)
    if instalment.pilot.call_id != call.id:
        raise NotFound()
    if status == "paid":
        instalment.paid_on, instalment.withheld_reason = _day(paid_on, "paid_on"), ""
    elif status == "withheld":
        instalment.withheld_reason = clean_text(
            reason, field="reason", max_length=REASON_MAX, required=True, multiline=True,
            empty=_("Write why the instalment is withheld."))
        instalment.paid_on = None
    elif status == "due":
        if instalment.trigger == "case_study" and instalment.due_on is None:
            raise ValidationError(_("This instalment falls due when the case study is "
                                    "published."), field="status")
        instalment.paid_on, instalment.withheld_reason = None, ""
    else:
        raise ValidationError(_("Choose paid, withheld or due."), field="status")
    instalment.status, instalment.updated_by_id = status, by.id
    db.session.commit()
    return instalment
