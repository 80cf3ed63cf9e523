"""Evaluators' scores and the consensus: the write side of scoring.

An evaluator scores each of the call's criteria (a whole number from 0 to the call's scale)
with a comment, saves drafts, submits, and may reopen a submitted evaluation until the manager
locks the call's evaluation. A manager (or the rapporteur they act for) records the consensus.
"""
from flask_babel import gettext as _

from ..core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..core.text import clean_text
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize
from . import queries
from .models import Consensus, EvaluationAssignment, EvaluationScore

COMMENT_MAX = 5000


def _score(value, scale_max: int, field: str) -> int | None:
    text = str(value if value is not None else "").strip()
    if text == "":
        return None
    if not text.isdigit() or not 0 <= int(text) <= scale_max:
        raise ValidationError(_("Give a whole number from 0 to %(max)d.", max=scale_max),
                              field=field)
    return int(text)


def check_access(assignment: EvaluationAssignment, by) -> None:
    """Only the assigned evaluator, and only while they have no conflict with it (one may
    arise after the assignment: a new membership, the same-country rule switched on)."""
    authorize(by, "evaluation.score", assignment)
    application = queries.application_by_id(assignment.application_id)
    if queries.conflicts_for(assignment.call, [application], [assignment.evaluator]):
        raise PermissionDenied(_("You have a conflict of interest with this application."))


def _writable(assignment: EvaluationAssignment, by) -> None:
    check_access(assignment, by)
    if queries.settings_for(assignment.call).locked_at is not None:
        raise Conflict(_("The evaluation of this call is locked."))


def save_evaluation(assignment: EvaluationAssignment, data: dict, *, by,
                    submit: bool = False) -> EvaluationAssignment:
    """`data`: {criterion id: {"score": "4", "comment": "..."}}. A draft may leave criteria
    unscored; submitting needs every score. Everything is checked before anything is written."""
    _writable(assignment, by)
    if assignment.status == "submitted":
        raise Conflict(_("This evaluation is submitted: reopen it to change it."))
    call = assignment.call
    cleaned = {}
    for criterion in call.criteria:
        given = data.get(criterion.id) or {}
        field = f"score_{criterion.id}"
        score = _score(given.get("score"), call.scale_max, field)
        if submit and score is None:
            raise ValidationError(_("Score every criterion before submitting."), field=field)
        cleaned[criterion.id] = (score, clean_text(
            given.get("comment"), field=f"comment_{criterion.id}", max_length=COMMENT_MAX,
            multiline=True))
    existing = {s.criterion_id: s for s in assignment.scores}
    for criterion_id, (score, comment) in cleaned.items():
        row = existing.get(criterion_id) or EvaluationScore(criterion_id=criterion_id)
        row.score, row.comment = score, comment
        if criterion_id not in existing:
            assignment.scores.append(row)
    assignment.status = "submitted" if submit else "draft"
    assignment.submitted_at = utcnow() if submit else None
    db.session.commit()
    return assignment


def reopen_evaluation(assignment: EvaluationAssignment, *, by) -> EvaluationAssignment:
    """A submitted evaluation becomes a draft again, until the manager locks the call."""
    _writable(assignment, by)
    if assignment.status != "submitted":
        raise Conflict(_("Only a submitted evaluation can be reopened."))
    assignment.status, assignment.submitted_at = "draft", None
    db.session.commit()
    return assignment


def set_consensus(call, application, score, comment: str, *, by=None,
                  rapporteur: EvaluationAssignment | None = None) -> Consensus:
    """The final score the evaluators agreed on (0 to the call's scale, two decimals) and the
    consensus comment, recorded by a manager or by the application's rapporteur (one of its
    evaluators, named by the manager: `rapporteur` is their assignment)."""
    if rapporteur is not None:
        authorize(by, "evaluation.consensus", rapporteur)
        if rapporteur.application_id != application.id:
            raise NotFound()
        if queries.conflicts_for(call, [application], [rapporteur.evaluator]):
            raise PermissionDenied(_("You have a conflict of interest with this application."))
    elif by is not None:
        authorize(by, "call.manage", call)
    if application.call_id != call.id:
        raise ValidationError(_("This application belongs to another call."))
    try:
        value = round(float(str(score).replace(",", ".").strip()), 2)
    except ValueError:
        value = -1.0
    if not 0 <= value <= call.scale_max:
        raise ValidationError(_("Give a score from 0 to %(max)d, e.g. 3.75.",
                                max=call.scale_max), field="score")
    comment = clean_text(comment, field="comment", max_length=COMMENT_MAX, multiline=True,
                         required=True, empty=_("Write the consensus comment."))
    consensus = db.session.get(Consensus, application.id) or Consensus(
        application_id=application.id)
    consensus.score, consensus.comment = value, comment
    consensus.author_id = getattr(by, "id", None)
    db.session.add(consensus)
    db.session.commit()
    return consensus


def name_rapporteur(call, assignment: EvaluationAssignment, *, by=None) -> EvaluationAssignment:
    """The manager names one of an application's evaluators its rapporteur (the one before, if
    any, is no longer)."""
    if by is not None:
        authorize(by, "call.manage", call)
    if assignment.call_id != call.id:
        raise NotFound()
    for other in queries.assignments_for_application(assignment.application_id):
        other.rapporteur = other.id == assignment.id
    db.session.commit()
    return assignment
