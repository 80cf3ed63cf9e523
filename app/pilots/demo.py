"""Demo pilots of the past call (after `evaluation.demo` published its decisions, which
started the pilots, their workspaces and grants): a mentor for the first pilots, the first
instalment paid for most of them, one withheld, and a mentoring log. Idempotent: once a pilot
has a mentor nothing is done again."""
from datetime import timedelta

from sqlalchemy import select

from ..auth.models import User
from ..calls.models import Call
from ..core.time import utcnow
from ..extensions import db
from ..projects.activity import record_activity
from ..projects.members import set_mentor
from ..projects.models import ProjectMember
from .models import MentoringEntry, Pilot

PAST_CALL = "museum-innovation-pilots-2025"
MENTOR_EMAIL = "anna@museo-demo.eu"
MENTORED = 3


def load_demo() -> str:
    call = db.session.execute(select(Call).where(Call.slug == PAST_CALL)).scalar_one_or_none()
    pilots = list(db.session.execute(select(Pilot).where(Pilot.call_id == call.id)
                                     .order_by(Pilot.id)).scalars()) if call else []
    if not pilots:
        return "no pilots"
    if any(p.mentor_id for p in pilots):
        return "already loaded"
    mentor = db.session.execute(select(User).where(User.email == MENTOR_EMAIL)).scalar_one()
    manager = db.session.execute(select(User).where(User.is_admin.is_(True))
                                 .order_by(User.id)).scalars().first()
    members = set(db.session.execute(select(ProjectMember.project_id).where(
        ProjectMember.user_id == mentor.id)).scalars())
    today = utcnow().date()
    mentored = [p for p in pilots if p.project_id and p.project_id not in members][:MENTORED]
    for pilot in mentored:
        set_mentor(pilot.project, mentor, manager)
        pilot.mentor_id = mentor.id
        for weeks, notes, steps in (
                (6, "Kick-off with the team: scope, audience and the first prototype.",
                 "Storyboard of the visit; ask two teachers to test it."),
                (2, "Prototype tried with a school class: the map confused the youngest.",
                 "Simplify the map; plan the case study's sections now.")):
            entry = MentoringEntry(project_id=pilot.project_id, author_id=mentor.id,
                                   met_on=today - timedelta(weeks=weeks), notes=notes,
                                   next_steps=steps)
            db.session.add(entry)
        record_activity(pilot.project, mentor, "mentoring.logged", target_type="mentoring",
                        summary=today.isoformat())
    for n, pilot in enumerate(pilots):
        first = pilot.instalments[0]
        if n == len(pilots) - 1:
            first.status, first.withheld_reason = "withheld", "The signed grant agreement is missing."
        elif n % 4 != 3:
            first.status, first.paid_on = "paid", today
    db.session.commit()
    return f"{len(pilots)} pilots, {len(mentored)} mentored by {mentor.name}"
