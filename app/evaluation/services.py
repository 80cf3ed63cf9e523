"""The write side of evaluation, and the selection proposal.

Services take explicit arguments, ask the policy (`by=None` is the operator's command line,
which has no account to check), validate everything before writing, and commit once.
"""
import re

from flask_babel import gettext as _

from ..auth.services import find_user_by_email
from ..calls import queries as call_queries
from ..core.blocking import run_blocking
from ..core.countries import is_european_country
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.text import clean_text
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize
from . import invitations, queries
from .assignment import Evaluator, Submission, assign
from .models import CallEvaluator, EvaluationAssignment, EvaluationSettings, EvaluatorConflict
from .selection import propose
from .selection_model import Proposal

REASON_MAX = 1000
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def propose_selection(call, *, by=None, include=None, exclude=None) -> Proposal:
    """The best selection under the call's rules (CBC runs off the green-thread hub)."""
    if by is not None:
        authorize(by, "call.manage")
    candidates = queries.selection_candidates(call)
    rules = queries.selection_rules(call)
    return run_blocking(lambda: propose(candidates, rules, include=include, exclude=exclude))


def propose_for_slug(slug: str) -> Proposal:
    """The command line's door: the call by its address, whatever its status."""
    try:
        call = call_queries.find_call(slug)
    except NotFound:
        raise NotFound(_("There is no call at the address %(slug)s.", slug=slug)) from None
    return propose_selection(call)


def _manage(call, by) -> None:
    if by is not None:
        authorize(by, "call.manage", call)


def save_settings(call, *, same_country_conflict: bool, by=None) -> EvaluationSettings:
    _manage(call, by)
    settings = queries.settings_for(call)
    settings.same_country_conflict = bool(same_country_conflict)
    db.session.add(settings)
    db.session.commit()
    return settings


def invite_evaluator(call, email: str, country: str, *, by=None) -> CallEvaluator:
    """Invite a person to evaluate the call, by e-mail address; `country` spreads evaluators
    and decides same-country conflicts. Without an account yet, the address is mailed (when
    SMTP is set) and the person evaluates once they sign up with it and open the call's
    evaluation (`claim_invitation`)."""
    _manage(call, by)
    country = (country or "").strip().upper()
    if not is_european_country(country):
        raise ValidationError(_("Choose the evaluator's country."), field="country")
    address = clean_text(email, field="email", max_length=254).strip().lower()
    if not EMAIL.fullmatch(address):
        raise ValidationError(_("Give the evaluator's e-mail address."), field="email")
    user = find_user_by_email(address)
    if user is not None and not user.active:
        raise ValidationError(_("This account is disabled."), field="email")
    if any(e.email == address or (user is not None and e.user_id == user.id)
           for e in queries.evaluators_of(call)):
        raise ValidationError(_("%(name)s already evaluates this call.",
                                name=user.name if user else address), field="email")
    evaluator = CallEvaluator(call_id=call.id, email=address,
                              user_id=user.id if user else None, country=country,
                              invited_by_id=getattr(by, "id", None))
    db.session.add(evaluator)
    db.session.commit()
    if user is None:
        invitations.mail_invitation(call, address, by)
    return evaluator


def claim_invitation(call, user) -> None:
    """An invitation to evaluate sent to `user`'s address before they had an account becomes
    theirs when they open the call's evaluation signed in."""
    if not getattr(user, "is_authenticated", False) or queries.evaluator_for(call, user):
        return
    pending = queries.pending_invitation(call, user.email)
    if pending is not None:
        pending.user_id = user.id
        db.session.commit()


def _pairs(call):
    applications = queries.assessed_applications(call)
    evaluators = queries.evaluators_of(call)
    conflicts = queries.conflicts_for(call, applications, evaluators)
    return applications, evaluators, conflicts


def _refill(call, *, keep_all: bool) -> dict[str, int]:
    """Assign evaluators to every assessed application. Started evaluations (and, after a
    late conflict, every assignment: `keep_all`) stay where they are; conflicted ones go."""
    applications, evaluators, conflicts = _pairs(call)
    ref_of = {a.id: a.ref for a in applications}
    existing = {}
    pinned: dict[str, set[int]] = {}
    for row in queries.assignments_of(call):
        if row.application_id not in ref_of or (row.evaluator_id, row.application_id) in conflicts:
            db.session.delete(row)
            continue
        existing[(ref_of[row.application_id], row.evaluator_id)] = row
        if keep_all or row.status != "assigned":
            pinned.setdefault(ref_of[row.application_id], set()).add(row.evaluator_id)
    result = assign([Submission(a.ref, a.lead_organisation.country) for a in applications],
                    [Evaluator(e.id, e.country) for e in evaluators],
                    call.evaluators_per_application,
                    {(e, ref_of[a]) for e, a in conflicts if a in ref_of}, pinned=pinned)
    wanted = {(ref, e) for ref, ids in result.seats.items() for e in ids}
    for pair, row in existing.items():
        if pair not in wanted:
            db.session.delete(row)
    by_ref = {a.ref: a for a in applications}
    for ref, evaluator_id in sorted(wanted - set(existing)):
        db.session.add(EvaluationAssignment(call_id=call.id, application_id=by_ref[ref].id,
                                            evaluator_id=evaluator_id))
    return result.short


def assign_automatically(call, *, by=None) -> dict[str, int]:
    """Give every eligible application the call's number of evaluators; evaluations already
    started keep their evaluator. Returns {ref: seats left empty} (too few free evaluators)."""
    _manage(call, by)
    if not queries.evaluators_of(call):
        raise ValidationError(_("Invite evaluators first."))
    short = _refill(call, keep_all=False)
    db.session.commit()
    return short


def move_assignment(call, assignment: EvaluationAssignment, evaluator_id: int, *,
                    by=None) -> EvaluationAssignment:
    """A manager hands one evaluation to another evaluator of the call (before it is
    submitted); the scores saved so far go with the old evaluator's draft."""
    _manage(call, by)
    applications, evaluators, conflicts = _pairs(call)
    if assignment.call_id != call.id:
        raise NotFound()
    if evaluator_id not in {e.id for e in evaluators}:
        raise ValidationError(_("Choose one of the call's evaluators."), field="evaluator")
    if assignment.status == "submitted":
        raise Conflict(_("This evaluation is submitted: it can no longer move."))
    taken = {r.evaluator_id for r in queries.assignments_of(call)
             if r.application_id == assignment.application_id}
    if evaluator_id in taken:
        raise ValidationError(_("This evaluator already evaluates the application."),
                              field="evaluator")
    if (evaluator_id, assignment.application_id) in conflicts:
        raise ValidationError(_("This evaluator has a conflict of interest with the "
                                "application."), field="evaluator")
    assignment.evaluator_id, assignment.status, assignment.scores = evaluator_id, "assigned", []
    db.session.commit()
    return assignment


def declare_conflict(evaluator: CallEvaluator, application, reason: str, *,
                     by) -> EvaluatorConflict:
    """An evaluator declares a conflict with one application; if it was assigned to them,
    it goes to another evaluator at once and every other assignment stays."""
    authorize(by, "evaluator.act", evaluator)
    reason = clean_text(reason, field="reason", max_length=REASON_MAX, required=True,
                        multiline=True, empty=_("Say briefly what the conflict is."))
    if application.call_id != evaluator.call_id:
        raise NotFound()
    existing = db.session.get(EvaluatorConflict, (evaluator.id, application.id))
    if existing is not None:
        return existing
    conflict = EvaluatorConflict(evaluator_id=evaluator.id, application_id=application.id,
                                 reason=reason)
    db.session.add(conflict)
    db.session.flush()
    if any(r.evaluator_id == evaluator.id and r.application_id == application.id
           for r in queries.assignments_of(application.call)):
        _refill(application.call, keep_all=True)
    db.session.commit()
    return conflict


def lock_evaluation(call, *, by=None) -> EvaluationSettings:
    """From now on submitted evaluations can no longer be reopened."""
    _manage(call, by)
    settings = queries.settings_for(call)
    settings.locked_at = settings.locked_at or utcnow()
    db.session.add(settings)
    db.session.commit()
    return settings
