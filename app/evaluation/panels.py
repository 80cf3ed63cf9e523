"""The decision panel on an application's page (registered with `core.panels`, so the calls
feature need not know evaluation exists): selected or not, the reason, the evaluators'
consensus comment when not selected, and the link to the pilot's workspace."""
from ..pilots.queries import pilot_of
from . import queries
from .announcements import as_reason
from .reasons import reason_text


def decision_panel(_user, application):
    found = queries.decision_of(application)
    if found is None:
        return None
    decision, comment = found
    pilot = pilot_of(application) if decision.selected else None
    return {"selected": decision.selected, "reason": reason_text(as_reason(decision)),
            "comment": "" if decision.selected else comment,
            "published_at": decision.published_at,
            "project": pilot.project if pilot is not None else None}
