"""Small generators for test data: `make_user()`, `make_org()`, `make_project(...)`, `make_team()`.

Each commits and returns the object. Feature tests may add their own generators beside them.
"""
import itertools

from app.auth.models import User
from app.auth.passwords import hash_password
from app.extensions import db
from app.orgs.models import Organisation, OrganisationExpertise, OrganisationMember
from app.projects.models import Project, ProjectArea, ProjectMember

DEFAULT_PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def make_user(name: str | None = None, email: str | None = None, *, admin: bool = False,
              password: str = DEFAULT_PASSWORD) -> User:
    n = next(_counter)
    user = User(
        name=name or f"Test User {n}", email=(email or f"user{n}@example.org").lower(),
        password_hash=hash_password(password), is_admin=admin,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_org(name: str | None = None, *, kind: str = "museum", country: str = "IT",
             city: str = "Bologna", size: str | None = "small", expertise: list[str] = (),
             members: list[User] = (), verification: str = "verified", website: str = "",
             pending: list[User] = ()) -> Organisation:
    """An organisation (verified unless told) whose `members` are verified (the first is its
    administrator) and whose `pending` people have asked to join."""
    n = next(_counter)
    org = Organisation(
        name=name or f"Museo Civico {n}", slug=f"org-{n}", kind=kind, country=country, city=city,
        size=size if kind == "museum" else None, description="A test organisation.",
        verification=verification, website=website,
    )
    org.expertise = [OrganisationExpertise(tag=tag) for tag in expertise]
    org.memberships = [OrganisationMember(user_id=user.id, status="verified", is_admin=index == 0)
                       for index, user in enumerate(members)] + [
        OrganisationMember(user_id=user.id, status="pending") for user in pending]
    db.session.add(org)
    db.session.commit()
    return org


def make_project(*, lead: User | None = None, members: dict[str, list[User]] | None = None,
                 title: str | None = None, slug: str | None = None, status: str = "active",
                 areas: list[str] = ("3d-digitisation",), organisation: Organisation | None = None
                 ) -> Project:
    """A project with `lead` as lead and `members={"member": [...], "observer": [...]}`."""
    n = next(_counter)
    project = Project(
        slug=slug or f"project-{n}", title=title or f"Test project {n}", summary="A test project.",
        status=status, lead_organisation=organisation,
    )
    project.areas = [ProjectArea(area=area) for area in areas]
    db.session.add(project)
    db.session.flush()
    if lead is not None:
        db.session.add(ProjectMember(project_id=project.id, user_id=lead.id, role="lead"))
    for role, users in (members or {}).items():
        for member in users:
            db.session.add(ProjectMember(project_id=project.id, user_id=member.id, role=role))
    db.session.commit()
    return project


def add_member(project: Project, user: User, role: str = "member") -> ProjectMember:
    membership = ProjectMember(project_id=project.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def make_team(**project_fields) -> tuple[Project, dict[str, User]]:
    """A project with a lead, a member and an observer; plus an outsider and a site admin.

    Returns `(project, people)`, people keyed by role; `project_fields` go to `make_project`.
    """
    people = {
        "lead": make_user("Lena Lead"), "member": make_user("Marco Member"),
        "observer": make_user("Olga Observer"), "outsider": make_user("Otto Outsider"),
        "admin": make_user("Ada Admin", admin=True),
    }
    project = make_project(lead=people["lead"], members={"member": [people["member"]],
                                                         "observer": [people["observer"]]},
                           **project_fields)
    return project, people
