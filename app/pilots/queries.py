"""Reading the pilots: a call's pilots with their grants (a fixed number of statements, however
many pilots), the totals the funder asks for, the pilot an application became, a project's
mentoring log. Writes nothing."""
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, lazyload, load_only, selectinload

from ..archive.queries import published_slugs_by_project
from ..auth.models import User
from ..calls.application_models import Application
from ..calls.models import Call
from ..extensions import db
from ..projects.models import Project
from .models import GrantInstalment, MentoringEntry, Pilot


def workspaces_of(call) -> dict[int, str]:
    """application id -> the path of its pilot's workspace."""
    return {application_id: f"/projects/{slug}/" for application_id, slug in db.session.execute(
        select(Pilot.application_id, Project.slug).join(Project, Project.id == Pilot.project_id)
        .where(Pilot.call_id == call.id)).all()}


def pilot_of(application) -> Pilot | None:
    return db.session.execute(
        select(Pilot).where(Pilot.application_id == application.id)).scalar_one_or_none()


def pilot_of_project(project) -> Pilot | None:
    """The workspace's pilot with what its card shows (application, call, mentor, instalments);
    not the project again with its own eager loads, nor the application's organisation."""
    return db.session.execute(_PILOT_OF_PROJECT, {"project_id": project.id}).scalar_one_or_none()


# built once (every workspace overview asks): its cache key is computed once
_PILOT_OF_PROJECT = (
    select(Pilot).where(Pilot.project_id == bindparam("project_id"))
    .options(lazyload("*"),
             joinedload(Pilot.application).options(joinedload(Application.call), lazyload("*")),
             joinedload(Pilot.mentor), selectinload(Pilot.instalments))
)


def pilots_of(call) -> list[Pilot]:
    """Every pilot of the call, with its application, lead organisation, workspace, mentor
    and instalments: three statements."""
    return list(db.session.execute(
        select(Pilot).where(Pilot.call_id == call.id)
        .options(joinedload(Pilot.application).joinedload(Application.lead_organisation),
                 selectinload(Pilot.instalments))
        .join(Application, Application.id == Pilot.application_id)
        .order_by(Application.ref)).unique().scalars())


@dataclass
class GrantTotals:
    granted: int
    paid: int
    due: int
    withheld: int
    budget: int
    pilots: int

    @property
    def share(self) -> float:
        """The part of the programme's budget granted to third parties."""
        return self.granted / self.budget if self.budget else 0.0


def grant_totals(call) -> GrantTotals:
    """One statement: the instalments summed by status."""
    sums = dict(db.session.execute(
        select(GrantInstalment.status, func.sum(GrantInstalment.amount_eur))
        .join(Pilot, Pilot.id == GrantInstalment.pilot_id).where(Pilot.call_id == call.id)
        .group_by(GrantInstalment.status)).all())
    granted, pilots = db.session.execute(
        select(func.coalesce(func.sum(Pilot.grant_eur), 0), func.count(Pilot.id))
        .where(Pilot.call_id == call.id)).one()
    return GrantTotals(granted=int(granted or 0), paid=int(sums.get("paid") or 0),
                       due=int(sums.get("due") or 0), withheld=int(sums.get("withheld") or 0),
                       budget=int(call.budget_eur or 0), pilots=int(pilots or 0))


def case_studies_by_application(call) -> dict[int, str]:
    rows = db.session.execute(select(Pilot.application_id, Pilot.project_id)
                              .where(Pilot.call_id == call.id)).all()
    slugs = published_slugs_by_project([project_id for _app, project_id in rows])
    return {app_id: slugs[project_id] for app_id, project_id in rows if project_id in slugs}


def grants_by_application(call) -> dict[int, int]:
    return dict(db.session.execute(select(Pilot.application_id, Pilot.grant_eur)
                                   .where(Pilot.call_id == call.id)).all())


def mentoring_log(project) -> list[MentoringEntry]:
    return list(db.session.execute(
        select(MentoringEntry).where(MentoringEntry.project_id == project.id)
        .order_by(MentoringEntry.met_on.desc(), MentoringEntry.id.desc())).scalars())


# The card's columns only: not the application's content, areas and eligibility (JSON decoded
# on every overview), nor the call's rules and criteria settings, nor the mentor's account.
_PILOT_CARD = (
    select(Pilot).where(Pilot.project_id == bindparam("project_id"))
    .options(lazyload("*"),
             joinedload(Pilot.application).options(
                 load_only(Application.ref, Application.call_id),
                 joinedload(Application.call).load_only(Call.language, Call.texts),
                 lazyload("*")),
             joinedload(Pilot.mentor).load_only(User.name))
)
# its instalments by a statement of their own: cheaper than the selectin loader's per-load work
_CARD_INSTALMENTS = (select(GrantInstalment).where(GrantInstalment.pilot_id == bindparam("pilot_id"))
                     .order_by(GrantInstalment.position).options(lazyload("*")))


def workspace_panel(_user, project):
    """The pilot card on a workspace's overview (None when the workspace is no pilot)."""
    pilot = db.session.execute(_PILOT_CARD, {"project_id": project.id}).scalar_one_or_none()
    if pilot is None:
        return None
    instalments = db.session.execute(_CARD_INSTALMENTS, {"pilot_id": pilot.id}).scalars().all()
    return {"pilot": pilot, "call": pilot.application.call, "instalments": instalments}
