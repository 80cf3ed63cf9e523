"""Recording activity: every feature calls `record_activity` inside its own transaction."""
from ..core.time import utcnow
from ..extensions import db
from .models import Activity, Project


def record_activity(project: Project, actor, verb: str, *, target_type: str = "",
                    target_id: int | None = None, summary: str = "") -> Activity:
    """Add an activity line and bump the project's last activity; the caller commits."""
    now = utcnow()
    activity = Activity(
        project_id=project.id, actor_id=getattr(actor, "id", None), verb=verb,
        target_type=target_type, target_id=target_id, summary=summary[:300], created_at=now,
    )
    project.last_activity_at = now
    db.session.add(activity)
    return activity
