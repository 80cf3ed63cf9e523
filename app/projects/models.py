"""Projects, their areas, technologies, partner organisations, members with roles, and activity."""
from datetime import date, datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db
from .areas import area_label

PROJECT_STATUSES = {
    "planning": _l("Planning"),
    "active": _l("Active"),
    "completed": _l("Completed"),
}
ROLE_LEAD, ROLE_MEMBER, ROLE_OBSERVER, ROLE_MENTOR = "lead", "member", "observer", "mentor"
ROLES = {ROLE_LEAD: _l("Lead"), ROLE_MEMBER: _l("Member"), ROLE_OBSERVER: _l("Observer"),
         ROLE_MENTOR: _l("Mentor")}
#: the roles a lead gives; a pilot's mentor is named by the programme's managers
ASSIGNABLE_ROLES = (ROLE_LEAD, ROLE_MEMBER, ROLE_OBSERVER)


class ProjectRef(NamedTuple):
    """A project known by id and slug only, for hot paths that need no row (chat events).

    The policy accepts it wherever it accepts a Project.
    """

    id: int
    slug: str


class Project(db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="planning", index=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: listed under "Looking for partners": signed-in people may ask to join
    looking_for_partners: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false(), index=True)
    #: what the project needs from a partner (Markdown), shown on that listing
    partner_needs: Mapped[str] = mapped_column(Text, default="", server_default="")

    lead_organisation = relationship("Organisation", lazy="joined")
    areas = relationship("ProjectArea", cascade="all, delete-orphan", lazy="selectin",
                         order_by="ProjectArea.area")
    technologies = relationship("ProjectTechnology", cascade="all, delete-orphan",
                                lazy="selectin", order_by="ProjectTechnology.tag")
    partners = relationship("ProjectPartner", cascade="all, delete-orphan", lazy="selectin")
    wanted_areas = relationship("ProjectWantedArea", cascade="all, delete-orphan",
                                lazy="selectin", order_by="ProjectWantedArea.area")
    members = relationship("ProjectMember", cascade="all, delete-orphan",
                           back_populates="project")

    @property
    def area_keys(self) -> list[str]:
        return [item.area for item in self.areas]

    @property
    def area_labels(self) -> list[str]:
        return [area_label(item.area) for item in self.areas]

    @property
    def wanted_area_keys(self) -> list[str]:
        return [item.area for item in self.wanted_areas]

    @property
    def wanted_area_labels(self) -> list[str]:
        return [area_label(item.area) for item in self.wanted_areas]

    @property
    def technology_tags(self) -> list[str]:
        return [item.tag for item in self.technologies]

    @property
    def status_label(self) -> str:
        return str(PROJECT_STATUSES.get(self.status, self.status))

    def __repr__(self) -> str:
        return f"<Project {self.slug}>"


class ProjectArea(db.Model):
    __tablename__ = "project_areas"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ProjectWantedArea(db.Model):
    """An area in which a project looking for partners wants help."""

    __tablename__ = "project_wanted_areas"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ProjectTechnology(db.Model):
    __tablename__ = "project_technologies"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ProjectPartner(db.Model):
    """A partner organisation of a project (the lead organisation is on the project itself)."""

    __tablename__ = "project_partners"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(200), default="")

    organisation = relationship("Organisation", lazy="joined")


class ProjectMember(db.Model):
    __tablename__ = "project_members"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=ROLE_MEMBER)
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: when the member last opened the workspace; activity after it counts as unread
    last_visited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    project = relationship("Project", back_populates="members")
    user = relationship("User", lazy="joined")

    @property
    def role_label(self) -> str:
        return str(ROLES.get(self.role, self.role))


class Activity(db.Model):
    """One line of a project's activity feed: who did what to which thing, and when."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_project_created", "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    verb: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    summary: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor = relationship("User", lazy="joined")
    project = relationship("Project")


class ProjectStatusChange(db.Model):
    """One move of a project's status, kept as history (going back needs a reason)."""

    __tablename__ = "project_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    old_status: Mapped[str] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor = relationship("User", lazy="joined")

    @property
    def new_status_label(self) -> str:
        return str(PROJECT_STATUSES.get(self.new_status, self.new_status))

    @property
    def old_status_label(self) -> str:
        return str(PROJECT_STATUSES.get(self.old_status, self.old_status))


class ProjectInvitation(db.Model):
    """An invitation link: single use, expires, revocable. Only the token's hash is stored."""

    __tablename__ = "project_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20), default=ROLE_MEMBER)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    project = relationship("Project")
    created_by = relationship("User", foreign_keys=[created_by_id], lazy="joined")
    accepted_by = relationship("User", foreign_keys=[accepted_by_id], lazy="joined")

    @property
    def role_label(self) -> str:
        return str(ROLES.get(self.role, self.role))


JOIN_PENDING, JOIN_ACCEPTED, JOIN_DECLINED = "pending", "accepted", "declined"


class JoinRequest(db.Model):
    """A person asks to join a project that looks for partners; a lead accepts or declines."""

    __tablename__ = "project_join_requests"
    __table_args__ = (
        Index("ix_project_join_requests_project_status", "project_id", "status"),
        # at most one pending request per person and project, even when two arrive at once
        Index("uq_project_join_requests_pending", "project_id", "user_id", unique=True,
              postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=JOIN_PENDING)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    project = relationship("Project")
    user = relationship("User", foreign_keys=[user_id], lazy="joined")
