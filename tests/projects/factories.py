"""Generators for workspace tests: a project with one person in every role, activity lines."""
from dataclasses import dataclass
from datetime import timedelta

from app.core.time import utcnow
from app.extensions import db
from app.projects.models import Activity, Project
from tests.factories import make_project, make_user


@dataclass
class Cast:
    """One project and a person for each column of the authorization matrix."""

    project: Project
    lead: object
    member: object
    observer: object
    outsider: object
    admin: object
    mentor: object = None

    def person(self, who: str):
        return None if who == "anonymous" else getattr(self, who)


def make_cast(**project_kwargs) -> Cast:
    lead, member, observer = make_user("Lena Lead"), make_user("Max Member"), make_user("Olga Observer")
    outsider, admin = make_user("Nina Outsider"), make_user("Ada Admin", admin=True)
    mentor = make_user("Mia Mentor")
    project = make_project(lead=lead, members={"member": [member], "observer": [observer],
                                               "mentor": [mentor]}, **project_kwargs)
    return Cast(project, lead, member, observer, outsider, admin, mentor)


def make_activity(project: Project, actor, verb: str = "document.edited", *, minutes_ago: int = 0,
                  target_type: str = "", target_id: int | None = None,
                  summary: str = "Project plan", commit: bool = True) -> Activity:
    activity = Activity(project_id=project.id, actor_id=getattr(actor, "id", None), verb=verb,
                        target_type=target_type, target_id=target_id, summary=summary,
                        created_at=utcnow() - timedelta(minutes=minutes_ago))
    db.session.add(activity)
    if commit:
        db.session.commit()
    return activity
