"""Who may do what: the only place access is decided.

`can(user, action, target)` answers yes or no; `authorize(...)` raises `NotFound` when the user
may not even know the target exists (private workspaces) and `PermissionDenied` otherwise.
Every page, API endpoint, socket handler and CLI command asks here; none re-implements a rule.

Project actions (target: a Project or ProjectRef, or anything with a `.project`):
    project.view        read the workspace: documents, files, discussion, chat, activity
    project.contribute  write: edit documents, upload files, post, chat (lead, member)
    project.manage      members, settings, status, pin/lock/resolve, restore deleted, case study
Authored actions (target: anything with `.author_id` and `.project`):
    authored.edit       edit or delete your own post/message while you may contribute
Site actions (target: None or the object named):
    project.create      any signed-in user (they become its lead)
    organisation.create any signed-in user
    organisation.edit   members of the organisation, administrators
    archive.curate      administrators: publish or return case studies
    site.admin          administrators
"""
from flask import has_request_context, request

from .core.errors import NotFound, PermissionDenied
from .extensions import db

ROLE_RIGHTS = {
    "lead": {"project.view", "project.contribute", "project.manage"},
    "member": {"project.view", "project.contribute"},
    "observer": {"project.view"},
}
PROJECT_ACTIONS = {"project.view", "project.contribute", "project.manage"}
SIGNED_IN_ACTIONS = {"project.create", "organisation.create"}
ADMIN_ACTIONS = {"archive.curate", "site.admin"}


def _is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _is_admin(user) -> bool:
    return _is_signed_in(user) and bool(getattr(user, "is_admin", False))


def _project_of(target):
    from .projects.models import Project, ProjectRef

    if isinstance(target, (Project, ProjectRef)):
        return target
    return getattr(target, "project", None)


def _role_cache() -> dict:
    """Roles looked up during this request or socket event (each event is a new request)."""
    if not has_request_context():
        return {}
    if not hasattr(request, "_project_roles"):
        request._project_roles = {}
    return request._project_roles


def role_in(user, project) -> str | None:
    """The user's role in the project, or None. Cached for the current request/socket event."""
    if not _is_signed_in(user) or project is None:
        return None
    cache = _role_cache()
    key = (user.id, project.id)
    if key not in cache:
        from .projects.models import ProjectMember

        cache[key] = db.session.execute(
            db.select(ProjectMember.role).where(
                ProjectMember.project_id == project.id, ProjectMember.user_id == user.id
            )
        ).scalar_one_or_none()
    return cache[key]


def remember_roles(user, roles_by_project_id: dict[int, str]) -> None:
    """Prime the cache for many projects at once (dashboards), avoiding a query per row."""
    if _is_signed_in(user):
        cache = _role_cache()
        for project_id, role in roles_by_project_id.items():
            cache[(user.id, project_id)] = role


def forget_roles() -> None:
    """Drop cached roles (after a membership change inside the same request)."""
    if has_request_context() and hasattr(request, "_project_roles"):
        del request._project_roles


def can(user, action: str, target=None) -> bool:
    if action in SIGNED_IN_ACTIONS:
        return _is_signed_in(user)
    if action in ADMIN_ACTIONS:
        return _is_admin(user)
    if action == "organisation.edit":
        return _is_admin(user) or (
            _is_signed_in(user) and any(m.id == user.id for m in target.members)
        )
    if action == "authored.edit":
        return (
            _is_signed_in(user)
            and getattr(target, "author_id", None) == user.id
            and can(user, "project.contribute", _project_of(target))
        )
    if action in PROJECT_ACTIONS:
        project = _project_of(target)
        if project is None or not _is_signed_in(user):
            return False
        if _is_admin(user):
            return True
        return action in ROLE_RIGHTS.get(role_in(user, project) or "", set())
    raise ValueError(f"Unknown action {action!r}")


def authorize(user, action: str, target=None) -> None:
    """Raise unless `user` may do `action`; hide private projects from non-members (404)."""
    if can(user, action, target):
        return
    project = _project_of(target) if target is not None else None
    if project is not None and not can(user, "project.view", project):
        raise NotFound()
    raise PermissionDenied()
