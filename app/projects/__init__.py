"""Projects: workspaces, members and roles, invitations, status, activity, the dashboard."""
from flask import Blueprint

bp = Blueprint("projects", __name__)


def register(app) -> None:
    from ..policy import can, permissions, register_role_resolver
    from .cli import projects_cli
    from .queries import describe_activity
    from .members import role_of
    from .models import ROLES, Project, ProjectRef

    register_role_resolver((Project, ProjectRef), role_of)
    app.cli.add_command(projects_cli)
    app.jinja_env.globals.setdefault("can", can)
    app.jinja_env.globals["permissions"] = permissions
    app.jinja_env.globals["describe_activity"] = describe_activity
    app.jinja_env.filters["role_label"] = lambda role: str(ROLES.get(role, role))


from . import api, member_routes, models, partner_routes, routes  # noqa: E402,F401
