"""Project services: create, edit settings, move the status, and load a workspace for others.

Plain functions that validate, ask `app.policy`, commit once and raise domain errors. Members
and invitations live in `members.py`; the dashboard and activity queries in `queries.py`.
Other features load a workspace through `load_project` (policy-checked, 404 for outsiders).
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload

from ..core import signals
from ..core.errors import NotFound, ValidationError
from ..core.text import clean_text, parse_tags, slugify
from ..core.time import utcnow
from ..extensions import db
from ..orgs.models import Organisation, organisation_members
from ..policy import authorize, can, remember_roles
from .activity import record_activity
from .areas import APPLICATION_AREAS
from .models import (
    PROJECT_STATUSES, ROLE_LEAD, Project, ProjectArea, ProjectMember, ProjectPartner,
    ProjectStatusChange, ProjectTechnology,
)

#: allowed status moves; a move to an earlier stage needs a reason
STATUS_ORDER = ("planning", "active", "completed")
STATUS_TRANSITIONS = {
    "planning": {"active"},
    "active": {"completed", "planning"},
    "completed": {"active"},
}
MAX_PARTNERS = 20
RESERVED_SLUGS = {"new", "all", "looking-for-partners"}


#: A workspace page needs the project's row and its lead organisation (the workspace header);
#: its areas, technologies, partners and wanted areas (five more statements with the lead's
#: expertise, a third of a page's server time) load when a page reads them, one statement each
#: (the partners with their organisations, not the organisations' expertise).
_WORKSPACE_LOAD = (lazyload(Project.areas), lazyload(Project.technologies),
                   lazyload(Project.partners).joinedload(ProjectPartner.organisation)
                   .lazyload("*"),
                   lazyload(Project.wanted_areas),
                   joinedload(Project.lead_organisation).lazyload("*"))


# Built once (every workspace page runs it): its cache key is computed once, not per request.
_PROJECT_BY_SLUG = (select(Project).where(Project.slug == bindparam("slug"))
                    .options(*_WORKSPACE_LOAD))


# The same, with the signed-in reader's role in it (None for a non-member): one statement where
# the project and then the policy's role lookup took two. The role primes the policy's
# per-request role cache (`remember_roles`), and the policy decides as before.
_PROJECT_AND_ROLE = (
    select(Project, ProjectMember.role)
    .outerjoin(ProjectMember, and_(ProjectMember.project_id == Project.id,
                                   ProjectMember.user_id == bindparam("user_id")))
    .where(Project.slug == bindparam("slug"))
    .options(*_WORKSPACE_LOAD)
)


def get_project_by_slug(slug: str) -> Project:
    project = db.session.execute(_PROJECT_BY_SLUG, {"slug": slug}).scalar_one_or_none()
    if project is None:
        raise NotFound()
    return project


def find_project(slug: str) -> Project | None:
    """The project named by `slug`, or None; no access check (the operators' CLI)."""
    return db.session.execute(select(Project).where(Project.slug == slug)).scalar_one_or_none()


def projects_by_slug() -> list[Project]:
    """Every project, by slug; no access check (the operators' CLI)."""
    return list(db.session.execute(select(Project).order_by(Project.slug)).scalars())


def slugs_of(project_ids) -> dict[int, str]:
    """{id: slug} of these projects, in one query (other features' operator reports)."""
    if not project_ids:
        return {}
    return dict(db.session.execute(
        select(Project.id, Project.slug).where(Project.id.in_(set(project_ids)))).all())


def load_project(slug: str, user, action: str = "project.view") -> Project:
    """The project named by `slug` if `user` may do `action` in it; 404 for outsiders."""
    if not isinstance(slug, str) or not slug or len(slug) > 80:
        raise NotFound()
    user_id = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    if user_id is None:
        project = get_project_by_slug(slug)
    else:
        row = db.session.execute(_PROJECT_AND_ROLE, {"slug": slug, "user_id": user_id}).first()
        if row is None:
            raise NotFound()
        project, role = row
        remember_roles(user, {project.id: role})
    authorize(user, action, project)
    return project


@dataclass
class ProjectInput:
    """What a lead may set on a project; `validate_project_input` cleans it."""

    title: str = ""
    slug: str = ""
    summary: str = ""
    lead_organisation_id: int | None = None
    partners: list[tuple[int, str]] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    technologies: list[str] | str = field(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None


def _clean_slug(raw: str, title: str) -> str:
    slug = slugify(raw or title)
    if not slug:
        raise ValidationError(_("Please give a web address made of letters and digits."),
                              field="slug")
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This web address is reserved; please choose another."),
                              field="slug")
    return slug


def _slug_taken(slug: str, project: Project | None) -> bool:
    statement = select(func.count()).select_from(Project).where(Project.slug == slug)
    if project is not None and project.id is not None:
        statement = statement.where(Project.id != project.id)
    return bool(db.session.execute(statement).scalar_one())


def slug_taken(slug: str) -> bool:
    return _slug_taken(slug, None)


def suggest_slug(title: str) -> str:
    """A free slug derived from the title (`-2`, `-3`… appended when taken)."""
    base = slugify(title, max_length=70) or "project"
    if base in RESERVED_SLUGS:
        base += "-project"
    taken = set(db.session.execute(
        select(Project.slug).where(Project.slug.like(f"{base}%"))
    ).scalars())
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def validate_project_input(data: ProjectInput, project: Project | None = None) -> ProjectInput:
    title = clean_text(data.title, field="title", max_length=200, required=True,
                       empty=_("Please give the project a title."),
                       too_long=_("The title is too long (200 characters at most)."))
    slug = _clean_slug(data.slug, title)
    if _slug_taken(slug, project):
        raise ValidationError(_("Another project already uses this web address."), field="slug")
    summary = clean_text(data.summary, field="summary", max_length=5000, multiline=True,
                         too_long=_("The summary is too long (5,000 characters at most)."))
    areas = list(dict.fromkeys(data.areas or []))
    if not areas:
        raise ValidationError(_("Choose at least one application area."), field="areas")
    unknown = [a for a in areas if a not in APPLICATION_AREAS]
    if unknown:
        raise ValidationError(_("Unknown application area: %(area)s.", area=unknown[0]),
                              field="areas")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ValidationError(_("The end date cannot be before the start date."),
                              field="end_date")
    lead_org_id = data.lead_organisation_id or None
    partner_roles = {}
    for org_id, role in data.partners or []:
        if org_id and org_id != lead_org_id:
            partner_roles[int(org_id)] = clean_text(role, field="partners")[:200]
    if len(partner_roles) > MAX_PARTNERS:
        raise ValidationError(_("At most %(n)d partner organisations.", n=MAX_PARTNERS),
                              field="partners")
    wanted = set(partner_roles) | ({lead_org_id} if lead_org_id else set())
    orgs = {org.id: org for org in db.session.execute(
        select(Organisation).where(Organisation.id.in_(wanted))).scalars()} if wanted else {}
    if lead_org_id and (lead_org_id not in orgs or orgs[lead_org_id].kind != "museum"):
        raise ValidationError(_("The lead organisation must be a museum."),
                              field="lead_organisation_id")
    if set(partner_roles) - set(orgs):
        raise ValidationError(_("Unknown partner organisation."), field="partners")
    return ProjectInput(
        title=title, slug=slug, summary=summary, lead_organisation_id=lead_org_id,
        partners=list(partner_roles.items()), areas=areas,
        technologies=parse_tags(data.technologies, max_tags=20),
        start_date=data.start_date, end_date=data.end_date,
    )


def _check_lead_museum(user, lead_organisation_id: int | None, previous_id: int | None) -> None:
    """Only a verified member of a verified museum may name it as lead (keeping the lead a
    project already has needs nothing)."""
    if not lead_organisation_id or lead_organisation_id == previous_id:
        return
    org = db.session.get(Organisation, lead_organisation_id)
    if org is None or not can(user, "organisation.act", org):
        raise ValidationError(_("You can name a museum as lead only as a verified member of it, "
                                "once the museum itself is verified."),
                              field="lead_organisation_id")


def _apply(project: Project, data: ProjectInput) -> None:
    project.title, project.slug, project.summary = data.title, data.slug, data.summary
    project.lead_organisation_id = data.lead_organisation_id
    project.start_date, project.end_date = data.start_date, data.end_date
    project.areas = [ProjectArea(area=area) for area in data.areas]
    project.technologies = [ProjectTechnology(tag=tag) for tag in data.technologies]
    project.partners = [ProjectPartner(organisation_id=org_id, role=role)
                        for org_id, role in data.partners]


def _commit_unique_slug() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent request took the slug between check and commit
        db.session.rollback()
        raise ValidationError(_("Another project already uses this web address."),
                              field="slug") from None


def create_project(user, data: ProjectInput) -> Project:
    """Create a project with `user` as its lead."""
    authorize(user, "project.create")
    data = validate_project_input(data)
    _check_lead_museum(user, data.lead_organisation_id, None)
    project = Project(status="planning")
    db.session.add(project)
    # collections are assigned before the flush so that no half-built project is visible
    _apply(project, data)
    db.session.flush()
    db.session.add(ProjectMember(project_id=project.id, user_id=user.id, role=ROLE_LEAD,
                                 last_visited_at=utcnow()))
    record_activity(project, user, "project.created", summary=project.title)
    _commit_unique_slug()
    signals.member_added.send(project, project=project, actor=user, user=user, role=ROLE_LEAD)
    return project


def open_programme_workspace(lead, data: ProjectInput, members: dict) -> Project:
    """A workspace the programme opens for a selected application: `lead` leads it, `members`
    ({user: role}) join it. No policy call here: the caller (publishing a call's decisions)
    was authorized as a programme manager. Flushes; the caller commits once, then calls
    `announce_members`, so a refusal leaves nothing half-made."""
    data = validate_project_input(data)
    project = Project(status="planning")
    db.session.add(project)
    _apply(project, data)
    db.session.flush()
    db.session.add(ProjectMember(project_id=project.id, user_id=lead.id, role=ROLE_LEAD))
    for user, role in members.items():
        if user.id != lead.id:
            db.session.add(ProjectMember(project_id=project.id, user_id=user.id, role=role))
    record_activity(project, lead, "project.created", summary=project.title)
    return project


def announce_members(project: Project, actor) -> None:
    """After the commit: tell other features (notifications, chat) who joined."""
    for membership in db.session.execute(select(ProjectMember).where(
            ProjectMember.project_id == project.id)).scalars():
        signals.member_added.send(project, project=project, actor=actor, user=membership.user,
                                  role=membership.role)


def update_project(user, project: Project, data: ProjectInput) -> Project:
    authorize(user, "project.manage", project)
    data = validate_project_input(data, project)
    _check_lead_museum(user, data.lead_organisation_id, project.lead_organisation_id)
    _apply(project, data)
    record_activity(project, user, "project.updated", summary=project.title)
    _commit_unique_slug()
    return project


def change_status(user, project: Project, new_status: str, reason: str = "") -> ProjectStatusChange:
    """Move the status along STATUS_TRANSITIONS; moving back requires a reason."""
    authorize(user, "project.manage", project)
    if new_status not in PROJECT_STATUSES:
        raise ValidationError(_("Unknown status."), field="status")
    old_status = project.status
    if new_status == old_status:
        raise ValidationError(_("The project already has this status."), field="status")
    if new_status not in STATUS_TRANSITIONS.get(old_status, set()):
        raise ValidationError(_("A project cannot move from %(old)s to %(new)s.",
                                old=project.status_label,
                                new=str(PROJECT_STATUSES[new_status])), field="status")
    reason = (reason or "").strip()
    going_back = STATUS_ORDER.index(new_status) < STATUS_ORDER.index(old_status)
    if going_back and not reason:
        raise ValidationError(_("Please give a reason for moving the project back."),
                              field="reason")
    if len(reason) > 1000:
        raise ValidationError(_("The reason is too long (1,000 characters at most)."),
                              field="reason")
    change = ProjectStatusChange(project_id=project.id, actor_id=user.id, old_status=old_status,
                                 new_status=new_status, reason=reason, created_at=utcnow())
    project.status = new_status
    db.session.add(change)
    record_activity(project, user, "project.status", summary=str(PROJECT_STATUSES[new_status]))
    db.session.commit()
    signals.project_status_changed.send(project, project=project, actor=user,
                                        old_status=old_status, new_status=new_status,
                                        reason=reason)
    return change


def next_statuses(project: Project) -> list[str]:
    """Where the status may move next: forward first, then back."""
    here = STATUS_ORDER.index(project.status) if project.status in STATUS_ORDER else 0
    allowed = STATUS_TRANSITIONS.get(project.status, set())
    return sorted((s for s in STATUS_ORDER if s in allowed),
                  key=lambda s: (STATUS_ORDER.index(s) < here, STATUS_ORDER.index(s)))


_STATUS_HISTORY = (select(ProjectStatusChange)
                   .where(ProjectStatusChange.project_id == bindparam("project_id"))
                   .order_by(ProjectStatusChange.created_at.desc(),
                             ProjectStatusChange.id.desc())
                   .limit(bindparam("limit")))


def status_history(project: Project, limit: int = 20) -> list[ProjectStatusChange]:
    return list(db.session.execute(_STATUS_HISTORY, {"project_id": project.id,
                                                     "limit": limit}).scalars())


def _own_verified_museums(user):
    """The verified museums `user` is a verified member of (whose name they may use as lead)."""
    return (
        select(Organisation.id, Organisation.name, Organisation.country)
        .join(organisation_members, organisation_members.c.organisation_id == Organisation.id)
        .where(organisation_members.c.user_id == user.id,
               organisation_members.c.status == "verified",
               Organisation.kind == "museum", Organisation.verification == "verified")
        .order_by(Organisation.name)
    )


def museum_choices(user, current_id: int | None = None) -> list[tuple[int, str]]:
    """Museums for the lead-organisation menu: those the user may name as lead, plus the
    project's current lead (kept as it is even when it is not theirs)."""
    rows = list(db.session.execute(_own_verified_museums(user)).all()) \
        if getattr(user, "is_authenticated", False) else []
    if current_id and current_id not in {row.id for row in rows}:
        rows += db.session.execute(select(Organisation.id, Organisation.name, Organisation.country)
                                   .where(Organisation.id == current_id)).all()
    return [(row.id, f"{row.name} ({row.country})") for row in rows]


def default_museum_id(user) -> int | None:
    row = db.session.execute(_own_verified_museums(user).limit(1)).first()
    return row.id if row else None


def organisation_choices() -> list[tuple[int, str]]:
    return [(row.id, f"{row.name} ({row.country})") for row in db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.country)
        .order_by(Organisation.name)
    ).all()]
