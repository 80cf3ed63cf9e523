"""Demo chat for `flask seed demo`: a short, recent conversation in every project that has at
least two contributors, so the chat room, day separators and unread badges show something.

Written through `post_message` (rendered, sequenced, idempotent by client_id), then backdated
over the last two days. Idempotent: a project that already has chat messages is left alone.
"""
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from ..core.time import utcnow
from ..extensions import db
from ..projects.models import Project, ProjectMember
from .models import ChatMessage
from .services import post_message

# (speaker index among the contributors, minutes before now, text); 0 is the lead.
SCRIPT = [
    (0, 26 * 60, "Good morning! The **scanner** is booked for Thursday, 9:00–13:00."),
    (1, 26 * 60 - 4, "Great. I will bring the calibration target and the turntable."),
    (0, 26 * 60 - 9, "Can we start with the three small bronzes? They are the most fragile."),
    (1, 25 * 60, "Yes, small objects first. Reminder for everyone: gloves in the store room."),
    (0, 95, "The draft of the label texts is in our documents now. Comments welcome."),
    (1, 80, "Read it: the Italian version is longer than the panel allows, I marked two cuts."),
    (0, 12, "Thanks! Call at 15:00 to settle the visitor route?"),
]
DEMO_NAMESPACE = uuid.UUID("6f1d6c44-6a55-4f0b-a3a5-3c1c8c2f9e10")


def load_demo() -> str:
    projects = db.session.execute(select(Project).order_by(Project.id)).scalars().all()
    written = 0
    for project in projects:
        if db.session.execute(select(func.count(ChatMessage.id))
                              .where(ChatMessage.project_id == project.id)).scalar_one():
            continue
        members = db.session.execute(
            select(ProjectMember).where(ProjectMember.project_id == project.id,
                                        ProjectMember.role.in_(("lead", "member")))
            .order_by(ProjectMember.role != "lead", ProjectMember.id)
        ).scalars().all()
        if len(members) < 2:
            continue
        now = utcnow()
        for n, (speaker, minutes_ago, text) in enumerate(SCRIPT):
            author = members[speaker % len(members)].user
            client_id = str(uuid.uuid5(DEMO_NAMESPACE, f"{project.slug}:{n}"))
            _message, created = post_message(author, project, text, client_id, rate_limited=False,
                                             created_at=now - timedelta(minutes=minutes_ago))
            written += created
    return f"{written} chat messages"
