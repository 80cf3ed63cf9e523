"""Read side of workspaces: the dashboard, activity feeds, unread counts, the admin list.

Every function here issues a fixed number of SQL statements, whatever the number of rows
(aggregates and IN-lists, never a query per row); the tests count them.
"""
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, lazyload

from ..auth.models import User
from ..core.pagination import Page, paginate
from ..extensions import db
from ..orgs.models import ORG_KINDS, Organisation
from ..policy import authorize, remember_roles
from .areas import area_label
from .models import Activity, Project, ProjectArea, ProjectMember, ProjectPartner, ProjectTechnology

DASHBOARD_ACTIVITY = 15
#: lists show title, status and lead organisation only: skip the collections the models
#: load eagerly for the overview (lazyload, so that a template needing them shows up in counts)
LIST_LOADING = (
    lazyload(Project.areas), lazyload(Project.technologies), lazyload(Project.partners),
    lazyload(Project.wanted_areas),
    joinedload(Project.lead_organisation).lazyload(Organisation.expertise),
)

#: an activity line shows its actor's name (and initials) only: not the whole account row
ACTOR_NAME = joinedload(Activity.actor).load_only(User.name)

#: how each activity verb reads after the actor's name; features may add their own verbs
VERB_PHRASES = {
    "project.created": _l("created the project"),
    "project.updated": _l("updated the project settings"),
    "project.status": _l("changed the status to"),
    "project.partners": _l("updated what the project looks for in partners"),
    "member.added": _l("added"),
    "member.joined": _l("joined the project"),
    "member.left": _l("left the project"),
    "member.removed": _l("removed"),
    "member.role": _l("changed the role of"),
    "member.lead": _l("handed the lead to"),
    "document.created": _l("created the document"),
    "document.edited": _l("edited the document"),
    "document.restored": _l("restored a revision of"),
    "document.renamed": _l("renamed the document"),
    "document.moved": _l("moved the document"),
    "document.deleted": _l("deleted the document"),
    "document.undeleted": _l("brought back the document"),
    "file.uploaded": _l("uploaded"),
    "file.version": _l("uploaded a new version of"),
    "file.deleted": _l("deleted the file"),
    "file.restored": _l("brought back the file"),
    "discussion.thread": _l("started the discussion"),
    "discussion.reply": _l("replied in"),
    "discussion.resolved": _l("marked as resolved"),
    "case_study.started": _l("started the case study"),
    "case_study.edited": _l("edited the case study"),
    "case_study.submitted": _l("submitted for publication the case study"),
    "case_study.published": _l("published the case study"),
    "case_study.returned": _l("returned with comments the case study"),
    "case_study.withdrawn": _l("withdrew the case study"),
}
#: target types with a page: (endpoint, name of the id argument or None for the workspace's one)
TARGET_ENDPOINTS = {
    "document": ("documents.view", "doc_id"), "file": ("files.detail", "file_id"),
    "thread": ("discussion.show_thread", "thread_id"), "case_study": ("archive.workspace", None),
}
SILENT_SUMMARY_VERBS = {"member.joined", "member.left", "project.created", "project.updated",
                        "project.partners"}


def verb_phrase(verb: str) -> str:
    phrase = VERB_PHRASES.get(verb)
    return str(phrase) if phrase else verb.replace(".", " ").replace("_", " ")


def target_url(activity: Activity, slug: str) -> str | None:
    target = TARGET_ENDPOINTS.get(activity.target_type)
    if target and activity.target_id and activity.verb.split(".")[-1] != "deleted":
        endpoint, id_name = target
        return url_for(endpoint, slug=slug, **({id_name: activity.target_id} if id_name else {}))
    if activity.target_type == "user" and activity.target_id:
        return url_for("auth.profile", user_id=activity.target_id)
    return None


@dataclass
class ActivityLine:
    """How one activity reads: `<actor> <phrase> <object>`, the object linked when it has a page."""

    actor: str
    phrase: str
    object: str
    url: str | None


def describe_activity(activity: Activity, slug: str) -> ActivityLine:
    actor = activity.actor.name if activity.actor is not None else str(_l("Someone"))
    summary = "" if activity.verb in SILENT_SUMMARY_VERBS else activity.summary
    return ActivityLine(actor, verb_phrase(activity.verb), summary,
                        target_url(activity, slug) if summary else None)


@dataclass
class DashboardRow:
    project: Project
    role: str
    unread: int
    latest: Activity | None


@dataclass
class Dashboard:
    rows: list[DashboardRow]
    recent: list[Activity]
    projects_by_id: dict[int, Project]


# The dashboard's statements are built once, with their parameters bound at each call: every
# signed-in home page runs them, and a prebuilt statement's cache key is computed once.
_UNREAD_COUNTS = (
    select(Activity.project_id, func.count(Activity.id))
    .join(ProjectMember, and_(ProjectMember.project_id == Activity.project_id,
                              ProjectMember.user_id == bindparam("user_id")))
    .where(Activity.project_id.in_(bindparam("project_ids", expanding=True)),
           or_(Activity.actor_id.is_(None), Activity.actor_id != bindparam("user_id")),
           or_(ProjectMember.last_visited_at.is_(None),
               Activity.created_at > ProjectMember.last_visited_at))
    .group_by(Activity.project_id)
)
_LATEST_ACTIVITIES = select(Activity).where(Activity.id.in_(
    select(func.max(Activity.id))
    .where(Activity.project_id.in_(bindparam("project_ids", expanding=True)))
    .group_by(Activity.project_id))).options(ACTOR_NAME)
_MEMBERSHIPS = (
    select(Project, ProjectMember.role)
    .join(ProjectMember, ProjectMember.project_id == Project.id)
    .where(ProjectMember.user_id == bindparam("user_id"))
    .order_by(Project.last_activity_at.desc(), Project.id.desc())
)
_MEMBERSHIPS_LISTED = _MEMBERSHIPS.options(*LIST_LOADING)
_RECENT_ACTIVITY = (
    select(Activity).where(Activity.project_id.in_(bindparam("project_ids", expanding=True)))
    .order_by(Activity.created_at.desc(), Activity.id.desc()).limit(DASHBOARD_ACTIVITY)
    .options(ACTOR_NAME)
)


def _unread_counts(user_id: int, project_ids: list[int]) -> dict[int, int]:
    """Activities by other people after the member's last visit (all of them if never visited)."""
    if not project_ids:
        return {}
    return dict(db.session.execute(_UNREAD_COUNTS, {"user_id": user_id,
                                                    "project_ids": project_ids}).all())


def _latest_activities(project_ids: list[int]) -> dict[int, Activity]:
    if not project_ids:
        return {}
    return {a.project_id: a for a in db.session.execute(
        _LATEST_ACTIVITIES, {"project_ids": project_ids}).scalars()}


def dashboard_for(user, *, with_details: bool = False) -> Dashboard:
    """The signed-in home: my projects with role, unread count and latest line, plus a feed.

    `with_details` also loads areas, technologies and partners (the JSON API shows them)."""
    memberships = db.session.execute(_MEMBERSHIPS if with_details else _MEMBERSHIPS_LISTED,
                                     {"user_id": user.id}).all()
    remember_roles(user, {project.id: role for project, role in memberships})
    ids = [project.id for project, _ in memberships]
    unread = _unread_counts(user.id, ids)
    latest = _latest_activities(ids)
    rows = [DashboardRow(project, role, unread.get(project.id, 0), latest.get(project.id))
            for project, role in memberships]
    return Dashboard(rows=rows, recent=recent_activity_for(ids),
                     projects_by_id={project.id: project for project, _ in memberships})


def recent_activity_for(project_ids: list[int], limit: int = DASHBOARD_ACTIVITY) -> list[Activity]:
    if not project_ids:
        return []
    statement = _RECENT_ACTIVITY if limit == DASHBOARD_ACTIVITY else _RECENT_ACTIVITY.limit(limit)
    return list(db.session.execute(statement, {"project_ids": project_ids}).scalars())


_LATEST_OF_PROJECT = (select(Activity).where(Activity.project_id == bindparam("project_id"))
                      .order_by(Activity.created_at.desc(), Activity.id.desc())
                      .limit(bindparam("limit")).options(ACTOR_NAME))


def latest_project_activity(project: Project, limit: int) -> list[Activity]:
    """The project's newest activities (the overview's feed): one prebuilt statement, no count."""
    return list(db.session.execute(_LATEST_OF_PROJECT, {"project_id": project.id,
                                                        "limit": limit}).scalars())


@dataclass
class PartnerLine:
    """A partner as the overview lists it."""

    name: str
    kind_label: str
    country: str
    role: str


@dataclass
class OverviewDetails:
    """The overview's "About" and "Partners" cards: plain values, not the project's collections
    (three lazy loads through the ORM cost more than these two prebuilt statements)."""

    area_labels: list[str]
    technology_tags: list[str]
    partners: list[PartnerLine]


_AREAS_AND_TECHNOLOGIES = union_all(
    select(literal("area").label("kind"), ProjectArea.area.label("value"))
    .where(ProjectArea.project_id == bindparam("project_id")),
    select(literal("technology"), ProjectTechnology.tag)
    .where(ProjectTechnology.project_id == bindparam("project_id")),
).order_by("kind", "value")
_PARTNERS = (
    select(Organisation.name, Organisation.kind, Organisation.country, ProjectPartner.role)
    .join(Organisation, Organisation.id == ProjectPartner.organisation_id)
    .where(ProjectPartner.project_id == bindparam("project_id"))
    .order_by(ProjectPartner.organisation_id)
)


def overview_details(project: Project) -> OverviewDetails:
    """Areas (labelled), technologies and partners of the project: two statements."""
    areas, technologies = [], []
    for kind, value in db.session.execute(_AREAS_AND_TECHNOLOGIES, {"project_id": project.id}):
        if kind == "area":
            areas.append(area_label(value))
        else:
            technologies.append(value)
    partners = [PartnerLine(name, str(ORG_KINDS.get(kind, kind)), country, role)
                for name, kind, country, role in db.session.execute(
                    _PARTNERS, {"project_id": project.id})]
    return OverviewDetails(areas, technologies, partners)


def project_activity(project: Project, page=1, per_page=None) -> Page:
    return paginate(
        select(Activity).where(Activity.project_id == project.id)
        .order_by(Activity.created_at.desc(), Activity.id.desc()),
        page, per_page, default_per_page=30,
    )


def all_projects(user, page=1, status: str = "") -> Page:
    """Every project (administrators), newest activity first."""
    authorize(user, "site.admin")
    statement = (select(Project).order_by(Project.last_activity_at.desc(), Project.id.desc())
                 .options(*LIST_LOADING))
    if status:
        statement = statement.where(Project.status == status)
    return paginate(statement, page, None, default_per_page=30)


def member_counts(project_ids: list[int]) -> dict[int, int]:
    if not project_ids:
        return {}
    return dict(db.session.execute(
        select(ProjectMember.project_id, func.count(ProjectMember.id))
        .where(ProjectMember.project_id.in_(project_ids)).group_by(ProjectMember.project_id)
    ).all())
