"""The write side of the selection: inclusions and exclusions by hand, and publishing the
decisions in one step (recorded in the call's log: who, when, what changed). The proposal
itself is `selection.propose`, a pure function; `proposal_for` feeds it the call."""
from dataclasses import dataclass

from flask_babel import gettext as _

from ..calls.application_models import CallLogEntry
from ..core.blocking import run_blocking
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.text import clean_text
from ..core.time import utcnow
from ..extensions import db
from ..pilots.queries import workspaces_of
from ..pilots.workspaces import start_pilots
from ..policy import authorize
from . import queries
from .announcements import announce
from .balance import Balance, balance
from .models import SelectionChoice, SelectionDecision
from .selection import propose
from .selection_model import Candidate, Proposal, Rules, is_candidate

REASON_MAX = 1000


@dataclass
class SelectionView:
    candidates: list[Candidate]
    rules: Rules
    proposed: Proposal          # the solver's, without choices by hand
    chosen: Proposal            # with the manager's inclusions and exclusions
    choices: dict[str, SelectionChoice]
    balance: Balance


def proposal_for(call, *, by) -> SelectionView:
    """The proposal and the manager's current choice side by side, with their balance."""
    authorize(by, "call.manage", call)
    candidates = queries.selection_candidates(call)
    rules = queries.selection_rules(call)
    choices = queries.choices_of(call)
    include = {ref: c.reason for ref, c in choices.items() if c.include}
    exclude = {ref: c.reason for ref, c in choices.items() if not c.include}
    proposed = run_blocking(lambda: propose(candidates, rules))
    chosen = proposed if not choices else run_blocking(
        lambda: propose(candidates, rules, include=include, exclude=exclude))
    return SelectionView(candidates, rules, proposed, chosen, choices,
                         balance(candidates, rules, proposed, chosen))


def choose(call, application, decision: str, reason: str, *, by) -> None:
    """Include or exclude one application by hand (with a reason), or clear that choice."""
    authorize(by, "call.manage", call)
    if application.call_id != call.id:
        raise NotFound()
    if decision not in ("include", "exclude", "clear"):
        raise ValidationError(_("Choose include, exclude or clear."), field="decision")
    existing = db.session.get(SelectionChoice, application.id)
    if decision == "clear":
        if existing is not None:
            db.session.delete(existing)
            db.session.commit()
        return
    reason = clean_text(reason, field="reason", max_length=REASON_MAX, required=True,
                        multiline=True, empty=_("Write the reason for this choice."))
    if decision == "include":
        rules = queries.selection_rules(call)
        candidate = next((c for c in queries.selection_candidates(call)
                          if c.ref == application.ref), None)
        if candidate is None or not is_candidate(candidate, rules):
            raise ValidationError(_("Only eligible applications scored at or above the "
                                    "threshold can be included."), field="decision")
    choice = existing or SelectionChoice(application_id=application.id, call_id=call.id)
    choice.include, choice.reason, choice.by_id = decision == "include", reason, by.id
    choice.created_at = utcnow()
    db.session.add(choice)
    db.session.commit()


def publish(call, *, by) -> list[str]:
    """Publish the current choice as the call's decisions, in one step; returns the refs
    selected. Refused while no selection meets every rule."""
    view = proposal_for(call, by=by)
    if not view.chosen.feasible:
        raise Conflict(_("No selection meets every rule: relax one before publishing."))
    applications = {a.ref: a for a in queries.assessed_or_submitted(call)}
    ids = {ref: a.id for ref, a in applications.items()}
    previous = {ref: (d.selected, (d.reason or {}).get("code"))
                for ref, d in queries.decisions_of(call).items()}
    before = {ref for ref, (selected, _code) in previous.items() if selected}
    for decision in queries.decisions_of(call).values():
        db.session.delete(decision)
    db.session.flush()
    now = utcnow()
    for ref, reason in view.chosen.reasons.items():
        db.session.add(SelectionDecision(
            application_id=ids[ref], call_id=call.id, selected=reason.selected,
            reason={"code": reason.code, "params": dict(reason.params)}, published_at=now,
            published_by_id=by.id))
    selected = set(view.chosen.selected)
    change = (f"; added {', '.join(sorted(selected - before)) or '-'}, removed "
              f"{', '.join(sorted(before - selected)) or '-'}" if before else "")
    db.session.add(CallLogEntry(
        call_id=call.id, actor_id=by.id, action="selection.published",
        message=f"{len(selected)} selected of {len(view.chosen.reasons)}: "
                f"{', '.join(view.chosen.selected)}{change}"))
    db.session.commit()
    start_pilots(call, [applications[ref] for ref in view.chosen.selected], by=by)
    changed = [ids[ref] for ref, reason in view.chosen.reasons.items()
               if previous.get(ref) != (reason.selected, reason.code)]
    announce(call, changed, workspaces_of(call), by=by)
    return view.chosen.selected
