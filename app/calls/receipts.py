"""Telling applicants: the in-app notification of an invitation to a draft and of a
submission (with its SHA-256), and the e-mails when SMTP is configured. Each `...` function
adds notifications inside the caller's transaction and returns what to send once it commits;
`send(...)` delivers after the commit (a failed e-mail never undoes a submission)."""
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.time import isoformat_utc
from ..notifications.mail import mail_configured, send_email
from ..notifications.services import deliver, notify


@dataclass
class Pending:
    notifications: list = field(default_factory=list)
    #: (address, locale, subject, body)
    emails: list[tuple[str, str, str, str]] = field(default_factory=list)


def _link(application) -> str:
    """A site path, not url_for: the demo and the CLI notify outside any request."""
    return f"/applications/{application.id}"


def _absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def invited(application, actor, invitee, address: str) -> Pending:
    pending = Pending()
    if invitee is not None:
        pending.notifications = notify([invitee.id], "application", actor=actor,
                                       subject=application.title or application.call.title,
                                       url=_link(application), verb="invited")
    if mail_configured():
        locale = getattr(invitee, "locale", None) or "en"
        with force_locale(locale):
            subject = _("%(name)s invites you to an application to “%(call)s”",
                        name=actor.name, call=application.call.title)
            body = "\n".join([
                _("%(name)s invites you to co-write the application “%(title)s” to the call "
                  "“%(call)s”.", name=actor.name, title=application.title or "-",
                  call=application.call.title), "",
                _("Open it (sign in, or create an account with this e-mail address): %(url)s",
                  url=_absolute(_link(application)))])
        pending.emails.append((address, locale, subject, body))
    return pending


def submitted(application, version, actor) -> Pending:
    """Everyone who may edit the application hears of it, the submitter included."""
    recipients = application.member_ids - {None}
    pending = Pending(notify(recipients, "application", actor=None,
                             subject=application.title, detail=version.sha256,
                             url=_link(application), verb="submitted"))
    if mail_configured():
        locale = actor.locale or "en"
        with force_locale(locale):
            subject = _("Receipt: your application “%(title)s” was submitted",
                        title=application.title)
            body = "\n".join([
                _("Your application to “%(call)s” was submitted.", call=application.call.title),
                "", _("Reference: %(ref)s, version %(n)s", ref=application.ref, n=version.number),
                _("Submitted at: %(moment)s", moment=isoformat_utc(version.submitted_at)),
                _("SHA-256 of the submitted version: %(sha)s", sha=version.sha256), "",
                _("Until the call closes you may withdraw it or submit a corrected version: "
                  "%(url)s", url=_absolute(_link(application)))])
        pending.emails.append((actor.email, locale, subject, body))
    return pending


def send(pending: Pending) -> None:
    """After the commit: live notifications, then e-mails."""
    deliver(pending.notifications)
    for address, _locale, subject, body in pending.emails:
        send_email(address, subject, body)
