"""The read side of evaluation and selection: what the solver and the pages read, in a fixed
number of statements whatever the number of applications."""
from sqlalchemy import select

from ..calls.application_models import Application
from ..extensions import db
from ..orgs.models import Organisation
from .models import Consensus
from .selection_model import Candidate, Rules


def selection_rules(call) -> Rules:
    """The call's rules as the solver takes them."""
    return Rules(budget=call.budget_eur, max_per_country=call.max_per_country,
                 min_small_share=call.min_small_share or 0.0, threshold=call.threshold,
                 areas=tuple(call.areas) if call.areas else None)


def selection_candidates(call) -> list[Candidate]:
    """Every submitted application of the call as the solver sees it (one statement): the
    country and size of its lead, its areas and request, the eligibility verdict (a manager's
    override first) and the consensus score (the evaluation's, else the imported one)."""
    rows = db.session.execute(
        select(Application.ref, Application.areas, Application.requested_eur,
               Application.eligible, Application.eligibility_override,
               Application.consensus_score, Consensus.score, Organisation.country,
               Organisation.size)
        .join(Organisation, Organisation.id == Application.lead_organisation_id)
        .outerjoin(Consensus, Consensus.application_id == Application.id)
        .where(Application.call_id == call.id, Application.status == "submitted")
        .order_by(Application.ref)).all()
    return [Candidate(
        ref=row.ref, country=row.country, areas=tuple(row.areas or ()),
        small=row.size == "small", requested=row.requested_eur or 0,
        score=row.score if row.score is not None else row.consensus_score,
        eligible=bool(row.eligible if row.eligibility_override is None
                      else row.eligibility_override)) for row in rows]
