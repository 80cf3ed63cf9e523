"""Looking for partners: a lead marks the project as open to new partners and says what it
needs; signed-in people find such projects and ask to join with a message; a lead accepts (the
person becomes a member) or declines. Both sides hear of it through signals (notifications).

Plain functions like the other services: they validate, ask `app.policy`, commit once and only
then send their signal. At most one pending request per person and project (a partial unique
index holds when two requests arrive at once).
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..core import signals
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.pagination import paginate
from ..core.text import clean_text
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize, forget_roles, remember_roles
from .activity import record_activity
from .areas import APPLICATION_AREAS
from .members import add_member
from .models import (
    JOIN_ACCEPTED, JOIN_DECLINED, JOIN_PENDING, ROLE_LEAD, ROLE_MEMBER, JoinRequest, Project,
    ProjectArea, ProjectMember, ProjectWantedArea,
)

MAX_NEEDS = 3000
MAX_MESSAGE = 2000
OPEN_PER_PAGE = 20


@dataclass
class PartnerSearch:
    """What a project looking for partners says about itself; `set_looking` cleans it."""

    looking: bool = False
    needs: str = ""
    areas: list[str] = field(default_factory=list)


def set_looking(user, project: Project, data: PartnerSearch) -> Project:
    """Mark the project as looking for partners (with its needs), or stop looking."""
    authorize(user, "project.manage", project)
    needs = clean_text(data.needs, field="needs", max_length=MAX_NEEDS, multiline=True,
                       too_long=_("The description is too long (3,000 characters at most)."))
    areas = list(dict.fromkeys(data.areas or []))
    if any(area not in APPLICATION_AREAS for area in areas):
        raise ValidationError(_("Unknown application area."), field="areas")
    if data.looking and not needs:
        raise ValidationError(_("Say what kind of partner the project needs."), field="needs")
    project.looking_for_partners = bool(data.looking)
    project.partner_needs = needs
    project.wanted_areas = [ProjectWantedArea(area=area) for area in areas]
    record_activity(project, user, "project.partners", summary=project.title)
    db.session.commit()
    return project


def open_projects(user, page=None, area: str = ""):
    """One page of the projects looking for partners, the most recently active first."""
    authorize(user, "project.find_open")
    statement = select(Project).where(Project.looking_for_partners.is_(True))
    if area in APPLICATION_AREAS:
        wanted = select(ProjectWantedArea.project_id).where(ProjectWantedArea.area == area)
        own = select(ProjectArea.project_id).where(ProjectArea.area == area)
        statement = statement.where(Project.id.in_(wanted) | Project.id.in_(own))
    result = paginate(statement.order_by(Project.last_activity_at.desc(), Project.id.desc()),
                      page, OPEN_PER_PAGE)
    ids = [project.id for project in result.items]
    if ids and getattr(user, "is_authenticated", False):
        roles = dict(db.session.execute(
            select(ProjectMember.project_id, ProjectMember.role)
            .where(ProjectMember.user_id == user.id, ProjectMember.project_id.in_(ids))).all())
        remember_roles(user, {pid: roles.get(pid) for pid in ids})
    return result


def pending_request_ids(user, project_ids) -> set[int]:
    """Of these projects, those where `user` already waits for an answer (one statement)."""
    if not project_ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.execute(
        select(JoinRequest.project_id).where(
            JoinRequest.user_id == user.id, JoinRequest.status == JOIN_PENDING,
            JoinRequest.project_id.in_(list(project_ids)))).scalars())


def ask_to_join(user, project: Project, message: str) -> JoinRequest:
    authorize(user, "project.ask_to_join", project)
    message = clean_text(message, field="message", max_length=MAX_MESSAGE, multiline=True,
                         required=True,
                         empty=_("Please tell the project what you would bring."),
                         too_long=_("The message is too long (2,000 characters at most)."))
    already = _("You have already asked to join this project; the lead will answer.")
    if pending_request_ids(user, [project.id]):
        raise Conflict(already)
    request = JoinRequest(project_id=project.id, user_id=user.id, message=message,
                          status=JOIN_PENDING, created_at=utcnow())
    db.session.add(request)
    try:
        db.session.commit()
    except IntegrityError:  # the same request sent twice at once: the unique index kept one
        db.session.rollback()
        raise Conflict(already) from None
    signals.join_requested.send(project, project=project, actor=user, join_request=request)
    return request


def pending_requests(user, project: Project) -> list[JoinRequest]:
    """The requests waiting for an answer, oldest first (with their people, one statement)."""
    authorize(user, "project.manage", project)
    return list(db.session.execute(
        select(JoinRequest).where(JoinRequest.project_id == project.id,
                                  JoinRequest.status == JOIN_PENDING)
        .order_by(JoinRequest.created_at, JoinRequest.id)).scalars())


def pending_count(project: Project) -> int:
    return db.session.execute(
        select(func.count()).select_from(JoinRequest)
        .where(JoinRequest.project_id == project.id, JoinRequest.status == JOIN_PENDING)
    ).scalar_one()


def _pending(project: Project, request_id: int) -> JoinRequest:
    request = db.session.get(JoinRequest, request_id)
    if request is None or request.project_id != project.id:
        raise NotFound()
    if request.status != JOIN_PENDING:
        raise Conflict(_("This request has already been answered."))
    return request


def decide(user, project: Project, request_id: int, accept: bool) -> JoinRequest:
    """Accept (the person becomes a member) or decline a pending request."""
    authorize(user, "project.manage", project)
    request = _pending(project, request_id)
    applicant = db.session.get(User, request.user_id)
    request.status = JOIN_ACCEPTED if accept else JOIN_DECLINED
    request.decided_at, request.decided_by_id = utcnow(), user.id
    if accept and not _is_member(project, applicant.id):
        add_member(user, project, applicant, ROLE_MEMBER)  # commits, sends member_added
    else:
        db.session.commit()
    forget_roles()
    signals.join_request_decided.send(project, project=project, actor=user, user=applicant,
                                      status=request.status)
    return request


def _is_member(project: Project, user_id: int) -> bool:
    return db.session.execute(select(ProjectMember.id).where(
        ProjectMember.project_id == project.id, ProjectMember.user_id == user_id)).first() \
        is not None


def lead_ids(project: Project) -> list[int]:
    """Who answers requests to join (notifications)."""
    return list(db.session.execute(select(ProjectMember.user_id).where(
        ProjectMember.project_id == project.id, ProjectMember.role == ROLE_LEAD)).scalars())
