"""Operators' CLI: `flask --app wsgi projects create|add-member|remove-member|list`.

The programme onboards each selected project for its museum. The CLI is a trusted door (no
signed-in user): it goes through the same services with `as_operator=True`, and they ask the
policy as `OPERATOR` about the member concerned (a pilot's mentor is refused, as on the pages);
every refusal is a ClickException (readable message on stderr, exit status 1, nothing written).
"""
import click
from flask.cli import with_appcontext

from ..auth.services import find_user_by_email
from ..core.errors import DomainError
from ..core.text import slugify
from . import members, services
from .areas import APPLICATION_AREAS
from .models import ROLES, Project


@click.group("projects", help="Create projects and manage their members.")
def projects_cli():
    pass


def _user(email: str):
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with email {email!r}. Create it first with "
                                   f"`flask users create`.")
    return user


def _project(slug: str) -> Project:
    project = services.find_project(slug)
    if project is None:
        raise click.ClickException(f"No project with slug {slug!r}.")
    return project


def _role(role: str) -> str:
    if role not in ROLES:
        raise click.ClickException(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    return role


def _parse_member(spec: str) -> tuple[str, str]:
    email, sep, role = spec.rpartition(":")
    if not sep or not email:
        raise click.ClickException(f"--member expects EMAIL:ROLE, got {spec!r}.")
    return email, _role(role)


@projects_cli.command("create")
@click.argument("slug")
@click.option("--title", required=True, help="The project's title.")
@click.option("--lead", "lead_email", required=True, help="Email of the lead (a registered user).")
@click.option("--area", "areas", multiple=True, help="Application area key (repeatable).")
@click.option("--member", "member_specs", multiple=True, help="EMAIL:ROLE (repeatable).")
@click.option("--summary", default="", help="A short summary (Markdown).")
@with_appcontext
def create(slug, title, lead_email, areas, member_specs, summary):
    """Create a project led by LEAD, with its areas and members."""
    unknown = [area for area in areas if area not in APPLICATION_AREAS]
    if unknown:
        raise click.ClickException(f"Unknown area {unknown[0]!r}; choose from "
                                   f"{', '.join(APPLICATION_AREAS)}.")
    lead = _user(lead_email)
    extra = [(_user(email), role) for email, role in map(_parse_member, member_specs)]
    if slugify(slug) != slug:
        raise click.ClickException(f"Invalid slug {slug!r}: use lower-case letters, digits and "
                                   f"hyphens (e.g. {slugify(slug) or 'my-project'!r}).")
    if services.slug_taken(slug):
        raise click.ClickException(f"A project with slug {slug!r} already exists.")
    data = services.ProjectInput(title=title, slug=slug, summary=summary,
                                 areas=list(areas) or ["digital-presence"],
                                 lead_organisation_id=services.default_museum_id(lead))
    try:
        project = services.create_project(lead, data)
        for user, role in {user.id: (user, role) for user, role in extra}.values():
            if user.id != lead.id:
                members.add_member(None, project, user, role, as_operator=True)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created project {project.slug} ({project.title}) led by {lead.email}"
               f" with {1 + len(extra)} member(s).")


@projects_cli.command("add-member")
@click.argument("slug")
@click.argument("email")
@click.argument("role")
@with_appcontext
def add_member(slug, email, role):
    """Add EMAIL to project SLUG with ROLE (or change their role if already a member; never a
    pilot's mentor's: the programme's managers name and replace mentors)."""
    project, user, role = _project(slug), _user(email), _role(role)
    try:
        if members.role_of(user.id, project.id) is None:
            members.add_member(None, project, user, role, as_operator=True)
            click.echo(f"Added {user.email} to {project.slug} as {role}.")
        else:
            members.change_role(None, project, user.id, role, as_operator=True)
            click.echo(f"{user.email} is now {role} in {project.slug}.")
    except DomainError as error:
        raise click.ClickException(error.message) from None


@projects_cli.command("remove-member")
@click.argument("slug")
@click.argument("email")
@with_appcontext
def remove_member(slug, email):
    """Remove EMAIL from project SLUG (refused for the last lead and for a pilot's mentor)."""
    project, user = _project(slug), _user(email)
    try:
        members.remove_member(None, project, user.id, as_operator=True)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Removed {user.email} from {project.slug}.")


@projects_cli.command("list")
@with_appcontext
def list_projects():
    """List every project with its status."""
    for project in services.projects_by_slug():
        click.echo(f"{project.slug}\t{project.status}\t{project.title}")
