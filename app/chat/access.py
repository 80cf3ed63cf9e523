"""Who is calling a chat socket event, and may they: one SQL statement per event.

Every chat event re-checks the caller's membership (a member removed a second ago must not send
again). Reloading the session user through Flask-Login, then the project, then the role would
cost three ORM queries per chat message; `chat_caller` reads all three in one prebuilt
statement, primes the policy's role cache with the answer and asks the policy as usual, so the
rules stay in `app/policy.py`.
"""
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select

from ..auth.models import User
from ..core.errors import NotFound, PermissionDenied
from ..extensions import db
from ..policy import authorize, remember_roles
from ..projects.models import Project, ProjectMember, ProjectRef

MAX_SLUG = 80


@dataclass(frozen=True)
class ChatUser:
    """The signed-in caller of a socket event, as the policy and the chat services need them."""

    id: int
    name: str
    is_admin: bool
    is_authenticated = True


_users, _projects, _members = User.__table__, Project.__table__, ProjectMember.__table__

# users ⟕ projects (by slug) ⟕ their membership: one row for an active user, whatever the slug.
_CALLER = (
    select(_users.c.id, _users.c.name, _users.c.is_admin,
           _projects.c.id.label("project_id"), _members.c.role)
    .select_from(
        _users.outerjoin(_projects, _projects.c.slug == bindparam("slug"))
        .outerjoin(_members, and_(_members.c.project_id == _projects.c.id,
                                  _members.c.user_id == _users.c.id)))
    .where(_users.c.id == bindparam("user_id"), _users.c.active.is_(True))
)


def chat_caller(user_id: int | None, slug, action: str,
                connection=None) -> tuple[ChatUser, ProjectRef]:
    """The caller and the project named by `slug`, if the policy lets them do `action` there.

    `connection`: a Core connection or `rawsql.RawExecutor` to read through instead of the ORM
    session (the message handler's hot path, which needs no ORM object at all).

    Raises PermissionDenied when the connection's user is gone or deactivated, NotFound for an
    unknown project or one the caller may not see, PermissionDenied when they may see it but not
    do `action`.
    """
    if user_id is None:
        raise PermissionDenied()
    if not isinstance(slug, str) or not slug or len(slug) > MAX_SLUG:
        raise NotFound()
    executor = db.session if connection is None else connection
    row = executor.execute(_CALLER, {"user_id": user_id, "slug": slug}).first()
    if row is None:
        raise PermissionDenied()
    user = ChatUser(row.id, row.name, bool(row.is_admin))
    if row.project_id is None:
        raise NotFound()
    project = ProjectRef(row.project_id, slug)
    remember_roles(user, {project.id: row.role})
    authorize(user, action, project)
    return user, project
