"""Telling applicants the published decision: an in-app notification to each applicant with
an account, and an e-mail to every applicant address when SMTP is configured, in each
reader's language, with the reason and, for applications not selected, the evaluators'
consensus comment; for a selected one, the link to its new workspace.

Only decisions that are new or changed are announced, so publishing again repeats nothing.
`decisions_changed` is read inside publishing; `announce` runs after the commit (a failed
e-mail never undoes a publication)."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..calls.application_models import Application
from ..extensions import db
from ..notifications.mail import mail_configured, send_email
from ..notifications.services import deliver, notify
from .models import Consensus, SelectionDecision
from .reasons import reason_text
from .selection_model import Reason


def as_reason(decision: SelectionDecision) -> Reason:
    stored = decision.reason or {}
    return Reason(stored.get("code", ""), tuple(sorted((stored.get("params") or {}).items())))


def _addresses(application: Application) -> list[tuple[str, str]]:
    """(address, locale) of every applicant, once each."""
    people = {}
    if application.owner is not None:
        people[application.owner.email.lower()] = application.owner.locale or "en"
    for member in application.members:
        people.setdefault(member.email.lower(),
                          (member.user.locale if member.user else None) or "en")
    return list(people.items())


def _link(application) -> str:
    return f"/applications/{application.id}"


def _body(application, decision, comment: str, workspace: str | None) -> str:
    lines = [_("The decisions of the call “%(call)s” are published.",
               call=application.call.title), "",
             _("Your application “%(title)s” (%(ref)s): %(reason)s",
               title=application.title, ref=application.ref,
               reason=reason_text(as_reason(decision))), ""]
    if not decision.selected and comment:
        lines += [_("The evaluators' consensus comment:"), comment, ""]
    if workspace:
        lines += [_("Your pilot's workspace is ready: %(url)s", url=workspace), ""]
    lines.append(_("Read the decision on your application: %(url)s", url=_absolute(
        _link(application))))
    return "\n".join(lines)


def _absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def announce(call, application_ids: list[int], workspaces: dict[int, str], *, by) -> int:
    """Notify the applicants of these applications of their (committed) decision;
    `workspaces`: application id -> the workspace's path. Returns how many were told."""
    if not application_ids:
        return 0
    rows = db.session.execute(
        select(Application, SelectionDecision, Consensus.comment)
        .join(SelectionDecision, SelectionDecision.application_id == Application.id)
        .outerjoin(Consensus, Consensus.application_id == Application.id)
        .where(Application.id.in_(application_ids))).all()
    notifications, emails = [], []
    for application, decision, comment in rows:
        verb = "selected" if decision.selected else "not_selected"
        notifications += notify(application.member_ids - {None}, "application", actor=by,
                                subject=application.title or application.ref, detail=verb,
                                url=workspaces.get(application.id) or _link(application),
                                verb="decided")
        if mail_configured():
            for address, locale in _addresses(application):
                with force_locale(locale):
                    emails.append((address, _("Decision on your application “%(title)s”",
                                              title=application.title or application.ref),
                                   _body(application, decision, comment or "",
                                         _absolute(workspaces[application.id])
                                         if application.id in workspaces else None)))
    db.session.commit()
    deliver(notifications)
    for address, subject, body in emails:
        send_email(address, subject, body)
    return len(rows)
