"""Demo evaluation of the past call: demo people invited as evaluators, the automatic
assignment, about three submitted evaluations per application (scores around the imported
consensus), the consensus recorded, the evaluation locked, and the selection proposed and
published. Idempotent: once the call has evaluators nothing is done again."""
import random

from sqlalchemy import select

from ..auth.models import User
from ..calls.application_models import Application
from ..calls.models import Call
from ..extensions import db
from ..orgs.models import Organisation, OrganisationMember
from . import queries, selecting, services
from .models import Consensus, EvaluationScore

PAST_CALL = "museum-innovation-pilots-2025"
EVALUATORS = 9


def _people() -> list[tuple[User, str]]:
    """Demo people who are not administrators, with the country of their organisation."""
    rows = db.session.execute(
        select(User, Organisation.country)
        .join(OrganisationMember, OrganisationMember.user_id == User.id)
        .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
        .where(User.is_admin.is_(False), OrganisationMember.status == "verified")
        .order_by(User.id)).all()
    seen, people = set(), []
    for user, country in rows:
        if user.id not in seen:
            seen.add(user.id)
            people.append((user, country))
    return people[:EVALUATORS]


def load_demo() -> str:
    call = db.session.execute(select(Call).where(Call.slug == PAST_CALL)).scalar_one_or_none()
    if call is None or not queries.assessed_applications(call):
        return "no past call with applications"
    if queries.evaluators_of(call):
        return "already loaded"
    for user, country in _people():
        services.invite_evaluator(call, user.email, country)
    services.assign_automatically(call)
    rng = random.Random(14)
    imported = {a.id: a.consensus_score for a in db.session.execute(
        select(Application).where(Application.call_id == call.id)).scalars()}
    for row in queries.assignments_of(call):
        centre = imported.get(row.application_id) or 3.0
        for criterion in call.criteria:
            score = min(call.scale_max, max(0, round(centre + rng.gauss(0, 0.8))))
            row.scores.append(EvaluationScore(criterion_id=criterion.id, score=score,
                                              comment="Clear aims; the workplan is realistic."
                                              if score >= 3 else "The plan needs more detail."))
        row.status = "submitted"
    for application_id, score in imported.items():
        if score is not None:
            db.session.add(Consensus(application_id=application_id, score=score,
                                     comment="Agreed by the panel after discussion."))
    db.session.commit()
    services.lock_evaluation(call)
    manager = db.session.execute(select(User).where(User.is_admin.is_(True))
                                 .order_by(User.id)).scalars().first()
    selected = selecting.publish(call, by=manager) if manager else []
    return f"{len(queries.evaluators_of(call))} evaluators, {len(selected)} selected"
