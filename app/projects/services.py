"""Project services. Other features load a workspace through `load_project` (policy-checked)."""
from sqlalchemy import select

from ..core.errors import NotFound
from ..extensions import db
from ..policy import authorize
from .models import Project


def get_project_by_slug(slug: str) -> Project:
    project = db.session.execute(select(Project).where(Project.slug == slug)).scalar_one_or_none()
    if project is None:
        raise NotFound()
    return project


def load_project(slug: str, user, action: str = "project.view") -> Project:
    """The project named by `slug` if `user` may do `action` in it; 404 for outsiders."""
    if not isinstance(slug, str) or not slug or len(slug) > 80:
        raise NotFound()
    project = get_project_by_slug(slug)
    authorize(user, action, project)
    return project
