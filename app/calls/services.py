"""The write side of calls: create, edit and move a call through its statuses.

Every function checks all fields first (`validation.clean_call`), asks the policy, then writes
and commits once. `by=None` is the operator's command line, which has no account to check.
"""
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.errors import Conflict, ValidationError
from ..extensions import db
from ..policy import authorize
from .models import NEXT_STATUS, STATUSES, Call, CallCriterion
from .validation import clean_call


def _authorize(by) -> None:
    if by is not None:
        authorize(by, "call.manage")


def _slug_taken(slug: str, call_id: int | None) -> bool:
    query = select(func.count()).select_from(Call).where(Call.slug == slug)
    if call_id is not None:
        query = query.where(Call.id != call_id)
    return bool(db.session.execute(query).scalar_one())


def _apply(call: Call, values: dict) -> None:
    criteria = values.pop("criteria")
    for name, value in values.items():
        setattr(call, name, value)
    # kept by key, so that scores given to a criterion survive an edit of its title or weight
    current = {criterion.key: criterion for criterion in call.criteria}
    kept = []
    for n, (title, weight, key) in enumerate(criteria):
        criterion = current.get(key) or CallCriterion(key=key)
        criterion.position, criterion.title, criterion.weight = n, title, weight
        kept.append(criterion)
    call.criteria = kept


def create_call(data: dict, *, by=None) -> Call:
    """A new call, in draft: only managers see it until it is opened."""
    _authorize(by)
    values = clean_call(data)
    if _slug_taken(values["slug"], None):
        raise ValidationError(_("Another call already uses this address."), field="slug")
    call = Call(status="draft", created_by_id=getattr(by, "id", None))
    _apply(call, values)
    db.session.add(call)
    db.session.commit()
    return call


def update_call(call: Call, data: dict, *, by=None) -> Call:
    _authorize(by)
    values = clean_call(data)
    if _slug_taken(values["slug"], call.id):
        raise ValidationError(_("Another call already uses this address."), field="slug")
    _apply(call, values)
    db.session.commit()
    return call


def change_status(call: Call, status: str, *, by=None) -> Call:
    """Move the call one step on: draft → open → closed → evaluated → decided."""
    _authorize(by)
    if status not in STATUSES:
        raise ValidationError(_("Unknown status."), field="status")
    if NEXT_STATUS.get(call.status) != status:
        raise Conflict(_("A call that is %(now)s cannot become %(next)s.",
                         now=call.status_label, next=str(STATUSES[status])))
    call.status = status
    db.session.commit()
    return call
