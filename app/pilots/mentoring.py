"""Mentors of pilots: managers name one per pilot (a person with an account; they join the
workspace as `mentor`: they read everything and talk in the discussion and chat, but edit no
document or file), and the mentoring log of the workspace (date, notes, agreed next steps),
written by the mentor or the pilot's leads and read by everyone in the workspace."""
from datetime import date

from flask_babel import gettext as _

from ..auth.services import find_user_by_email
from ..core import signals
from ..core.errors import NotFound, ValidationError
from ..core.text import clean_text
from ..extensions import db
from ..policy import authorize
from ..projects.activity import record_activity
from ..projects.members import set_mentor
from ..projects.models import ROLE_MENTOR
from .models import MentoringEntry, Pilot

NOTES_MAX = 5000


def pilot_in(call, pilot_id: int) -> Pilot:
    pilot = db.session.get(Pilot, pilot_id)
    if pilot is None or pilot.call_id != call.id:
        raise NotFound()
    return pilot


def assign_mentor(call, pilot: Pilot, email: str, *, by) -> Pilot:
    authorize(by, "call.manage", call)
    if pilot.call_id != call.id:
        raise NotFound()
    user = find_user_by_email(clean_text(email, field="email", max_length=254))
    if user is None or not user.active:
        raise ValidationError(_("No registered user has this email address: mentors sign in "
                                "to the workspace, so ask them to register first."),
                              field="email")
    if pilot.project is None:
        raise ValidationError(_("This pilot has no workspace yet."), field="email")
    joined = set_mentor(pilot.project, user, by)
    pilot.mentor_id = user.id
    db.session.commit()
    if joined:
        signals.member_added.send(pilot.project, project=pilot.project, actor=by, user=user,
                                  role=ROLE_MENTOR)
    return pilot


def _day(value) -> date:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(_("Give a date, e.g. 2027-03-31."), field="met_on") from None


def add_entry(project, *, met_on, notes, next_steps, by) -> MentoringEntry:
    authorize(by, "mentoring.write", project)
    entry = MentoringEntry(
        project_id=project.id, author_id=by.id, met_on=_day(met_on),
        notes=clean_text(notes, field="notes", max_length=NOTES_MAX, required=True,
                         multiline=True, empty=_("Write what was discussed.")),
        next_steps=clean_text(next_steps, field="next_steps", max_length=NOTES_MAX,
                              multiline=True))
    db.session.add(entry)
    db.session.flush()
    record_activity(project, by, "mentoring.logged", target_type="mentoring",
                    target_id=entry.id, summary=entry.met_on.isoformat())
    db.session.commit()
    return entry
