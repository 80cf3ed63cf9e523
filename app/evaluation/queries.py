"""The read side of evaluation and selection: what the solver and the pages read, in a fixed
number of statements whatever the number of applications."""
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, subqueryload

from ..calls.application_models import Application, ApplicationPartner, ApplicationVersion
from ..core.errors import NotFound
from ..extensions import db
from ..orgs.models import Organisation, OrganisationMember
from ..pilots.queries import case_studies_by_application, grants_by_application
from .models import (
    CallEvaluator, Consensus, EvaluationAssignment, EvaluationSettings, EvaluatorConflict,
    SelectionChoice, SelectionDecision,
)
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


def settings_for(call) -> EvaluationSettings:
    """The call's evaluation settings (defaults when none were saved yet; not added)."""
    return db.session.get(EvaluationSettings, call.id) or EvaluationSettings(
        call_id=call.id, same_country_conflict=False, locked_at=None)


def evaluators_of(call) -> list[CallEvaluator]:
    return list(db.session.execute(
        select(CallEvaluator).where(CallEvaluator.call_id == call.id)
        .order_by(CallEvaluator.email)).scalars())


def evaluator_for(call, user) -> CallEvaluator | None:
    """The user's evaluator row in the call, if they evaluate it."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.execute(
        select(CallEvaluator).where(CallEvaluator.call_id == call.id,
                                    CallEvaluator.user_id == user.id)).scalars().first()


#: the lead and partner organisations without their expertise, the partners in one statement
#: (subquery, not select-in: select-in batches 500 ids a statement, so 2,000 applications
#: would cost four)
APPLICATION_LOADING = (
    joinedload(Application.lead_organisation).lazyload(Organisation.expertise),
    subqueryload(Application.partners).joinedload(ApplicationPartner.organisation)
    .lazyload(Organisation.expertise),
)


def assessed_applications(call) -> list[Application]:
    """The call's submitted, eligible applications: the ones to evaluate, by ref."""
    return [a for a in db.session.execute(
        select(Application).options(*APPLICATION_LOADING)
        .where(Application.call_id == call.id, Application.status == "submitted")
        .order_by(Application.ref)).scalars() if a.verdict]


def conflicts_for(call, applications: list[Application],
                  evaluators: list[CallEvaluator]) -> dict[tuple[int, int], str]:
    """{(evaluator id, application id): why} for every pair that may not meet: declared,
    a member of the lead or a partner organisation, or the same country when the call says so.
    Three statements whatever the numbers."""
    found: dict[tuple[int, int], str] = {}
    for row in db.session.execute(select(EvaluatorConflict).where(
            EvaluatorConflict.evaluator_id.in_([e.id for e in evaluators]))).scalars():
        found[(row.evaluator_id, row.application_id)] = "declared"
    by_user = {e.user_id: e for e in evaluators if e.user_id}
    memberships: dict[int, set[int]] = {}
    for user_id, org_id in db.session.execute(
            select(OrganisationMember.user_id, OrganisationMember.organisation_id).where(
                OrganisationMember.user_id.in_(list(by_user)),
                OrganisationMember.status == "verified")):
        memberships.setdefault(by_user[user_id].id, set()).add(org_id)
    same_country = settings_for(call).same_country_conflict
    for application in applications:
        organisations = {application.lead_organisation_id} | {
            p.organisation_id for p in application.partners}
        for evaluator in evaluators:
            key = (evaluator.id, application.id)
            if key in found:
                continue
            if memberships.get(evaluator.id, set()) & organisations:
                found[key] = "organisation"
            elif same_country and evaluator.country == application.lead_organisation.country:
                found[key] = "country"
    return found


def assignments_of(call) -> list[EvaluationAssignment]:
    return list(db.session.execute(
        select(EvaluationAssignment).where(EvaluationAssignment.call_id == call.id)
        .order_by(EvaluationAssignment.application_id, EvaluationAssignment.evaluator_id)
    ).scalars())


def application_by_id(application_id: int) -> Application:
    return db.session.execute(select(Application).options(selectinload(Application.partners))
                              .where(Application.id == application_id)).scalar_one()


def application_in(call, ref: str) -> Application:
    """A submitted application of the call by its ref, or NotFound."""
    application = db.session.execute(
        select(Application).options(selectinload(Application.partners))
        .where(Application.call_id == call.id, Application.ref == ref,
               Application.status == "submitted")).scalar_one_or_none()
    if application is None:
        raise NotFound()
    return application


def pending_invitation(call, email: str) -> CallEvaluator | None:
    """An invitation to evaluate sent to this address, not yet taken by an account."""
    return db.session.execute(
        select(CallEvaluator).where(CallEvaluator.call_id == call.id,
                                    CallEvaluator.user_id.is_(None),
                                    CallEvaluator.email == (email or "").lower())
    ).scalars().first()


def my_evaluator(call, user) -> CallEvaluator:
    """The user's evaluator row in the call, or NotFound (the page does not exist for them)."""
    evaluator = evaluator_for(call, user)
    if evaluator is None:
        raise NotFound()
    return evaluator


def my_assignments(evaluator: CallEvaluator) -> list[tuple[EvaluationAssignment, Application]]:
    """The evaluator's assignments with their applications, by ref (one statement)."""
    return [(row, application) for row, application in db.session.execute(
        select(EvaluationAssignment, Application)
        .join(Application, Application.id == EvaluationAssignment.application_id)
        .where(EvaluationAssignment.evaluator_id == evaluator.id)
        .order_by(Application.ref)).all()]


def my_assignment(evaluator: CallEvaluator, ref: str) -> EvaluationAssignment:
    """The evaluator's assignment for the application `ref`, or NotFound."""
    row = db.session.execute(
        select(EvaluationAssignment).options(selectinload(EvaluationAssignment.scores))
        .join(Application, Application.id == EvaluationAssignment.application_id)
        .where(EvaluationAssignment.evaluator_id == evaluator.id, Application.ref == ref)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound()
    return row


def submitted_record(application: Application) -> dict:
    """The submitted version that counts, as its frozen JSON record."""
    version = db.session.execute(
        select(ApplicationVersion).where(ApplicationVersion.application_id == application.id)
        .order_by(ApplicationVersion.number.desc()).limit(1)).scalar_one_or_none()
    return json.loads(version.canonical_json) if version else {}


#: evaluators disagree on a criterion when their scores lie further apart than this
DISAGREEMENT = 2


@dataclass
class EvaluationRow:
    assignment: EvaluationAssignment
    scores: dict[int, int | None]
    total: float | None


@dataclass
class ApplicationRow:
    application: Application
    evaluations: list[EvaluationRow]
    consensus: Consensus | None
    mean: float | None = None
    spread: float | None = None
    disagreements: list[str] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        """What the selection uses: the consensus, else an imported consensus score."""
        if self.consensus is not None:
            return self.consensus.score
        return self.application.consensus_score


def weighted_total(scores: dict[int, int | None], criteria) -> float | None:
    """The weighted mean of a complete set of scores (0 to the scale), else None."""
    weights = sum(c.weight for c in criteria)
    if not criteria or weights <= 0 or any(scores.get(c.id) is None for c in criteria):
        return None
    return round(sum(c.weight * scores[c.id] for c in criteria) / weights, 2)


def score_table(call) -> list[ApplicationRow]:
    """The manager's table: every assessed application with each evaluator's scores, the
    weighted totals, their mean and spread (submitted evaluations), the criteria where
    evaluators disagree by more than DISAGREEMENT, and the consensus. Five statements."""
    applications = assessed_applications(call)
    assignments = db.session.execute(
        select(EvaluationAssignment).options(selectinload(EvaluationAssignment.scores))
        .where(EvaluationAssignment.call_id == call.id)
        .order_by(EvaluationAssignment.evaluator_id)).scalars().all()
    consensus = {c.application_id: c for c in db.session.execute(
        select(Consensus).join(Application, Application.id == Consensus.application_id)
        .where(Application.call_id == call.id)).scalars()}
    by_application: dict[int, list[EvaluationRow]] = {}
    for row in assignments:
        scores = {s.criterion_id: s.score for s in row.scores}
        by_application.setdefault(row.application_id, []).append(
            EvaluationRow(row, scores, weighted_total(scores, call.criteria)))
    table = []
    for application in applications:
        line = ApplicationRow(application, by_application.get(application.id, []),
                              consensus.get(application.id))
        done = [e for e in line.evaluations if e.assignment.status == "submitted"]
        totals = [e.total for e in done if e.total is not None]
        if totals:
            line.mean = round(sum(totals) / len(totals), 2)
            line.spread = round(max(totals) - min(totals), 2)
        for criterion in call.criteria:
            given = [e.scores.get(criterion.id) for e in done]
            given = [s for s in given if s is not None]
            if given and max(given) - min(given) > DISAGREEMENT:
                line.disagreements.append(criterion.title)
        table.append(line)
    return table


def assignment_in(call, assignment_id: int) -> EvaluationAssignment:
    row = db.session.get(EvaluationAssignment, assignment_id)
    if row is None or row.call_id != call.id:
        raise NotFound()
    return row


def overview(call) -> dict:
    """The manager's evaluation page: settings, evaluators with their loads, and every
    assessed application with its assignments and the conflicts that keep others away."""
    applications = assessed_applications(call)
    evaluators = evaluators_of(call)
    assignments = assignments_of(call)
    conflicts = conflicts_for(call, applications, evaluators)
    seats: dict[int, list[EvaluationAssignment]] = {}
    for row in assignments:
        seats.setdefault(row.application_id, []).append(row)
    loads = {e.id: 0 for e in evaluators}
    for row in assignments:
        loads[row.evaluator_id] = loads.get(row.evaluator_id, 0) + 1
    return {"settings": settings_for(call), "evaluators": evaluators, "loads": loads,
            "applications": applications, "seats": seats, "conflicts": conflicts,
            "short": {a.id: call.evaluators_per_application - len(seats.get(a.id, []))
                      for a in applications
                      if len(seats.get(a.id, [])) < call.evaluators_per_application}}


def choices_of(call) -> dict[str, SelectionChoice]:
    """The manager's inclusions and exclusions by hand, by application ref."""
    return {ref: choice for choice, ref in db.session.execute(
        select(SelectionChoice, Application.ref)
        .join(Application, Application.id == SelectionChoice.application_id)
        .where(SelectionChoice.call_id == call.id)).all()}


def titles_of(call) -> dict[str, str]:
    return dict(db.session.execute(select(Application.ref, Application.title).where(
        Application.call_id == call.id, Application.status == "submitted")).all())


def decisions_of(call) -> dict[str, SelectionDecision]:
    return {ref: decision for decision, ref in db.session.execute(
        select(SelectionDecision, Application.ref)
        .join(Application, Application.id == SelectionDecision.application_id)
        .where(SelectionDecision.call_id == call.id)).all()}


def assessed_or_submitted(call) -> list[Application]:
    """Every submitted application of the call (eligible or not)."""
    return list(db.session.execute(select(Application).where(
        Application.call_id == call.id, Application.status == "submitted")).scalars())


def public_results(call, base_url: str = "") -> list[dict]:
    """The funded pilots as the EU asks grants to third parties to be published: title, lead
    organisation, country, areas, grant (the pilot's grant; the amount requested until its
    pilot starts) and the link to its case study once published. Four statements."""
    rows = db.session.execute(
        select(Application.id, Application.ref, Application.title, Application.areas,
               Application.requested_eur, Organisation.name, Organisation.country)
        .join(SelectionDecision, SelectionDecision.application_id == Application.id)
        .join(Organisation, Organisation.id == Application.lead_organisation_id)
        .where(SelectionDecision.call_id == call.id, SelectionDecision.selected.is_(True))
        .order_by(Organisation.country, Application.ref)).all()
    grants = grants_by_application(call)
    case_studies = case_studies_by_application(call)
    return [{"ref": r.ref, "title": r.title, "lead_organisation": r.name,
             "country": r.country, "areas": list(r.areas or []),
             "grant_eur": grants.get(r.id, r.requested_eur),
             "case_study_url": (f"{base_url}/archive/{case_studies[r.id]}"
                                if r.id in case_studies else None)}
            for r in rows]


def decision_of(application: Application) -> tuple[SelectionDecision, str] | None:
    """The published decision on an application and the consensus comment; one statement."""
    row = db.session.execute(
        select(SelectionDecision, Consensus.comment)
        .outerjoin(Consensus, Consensus.application_id == SelectionDecision.application_id)
        .where(SelectionDecision.application_id == application.id)).first()
    return (row[0], row[1] or "") if row else None


def assignments_for_application(application_id: int) -> list[EvaluationAssignment]:
    return list(db.session.execute(select(EvaluationAssignment).where(
        EvaluationAssignment.application_id == application_id)).scalars())


def consensus_of(application: Application) -> Consensus | None:
    return db.session.get(Consensus, application.id)


def colleagues_of(assignment: EvaluationAssignment) -> list[EvaluationAssignment]:
    """Every evaluation of the assignment's application, with its scores (the rapporteur's
    view)."""
    return list(db.session.execute(
        select(EvaluationAssignment)
        .where(EvaluationAssignment.application_id == assignment.application_id)
        .options(selectinload(EvaluationAssignment.scores))
        .order_by(EvaluationAssignment.id)).scalars())
