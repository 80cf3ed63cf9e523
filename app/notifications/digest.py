"""The email digest: one message per user with unread notifications not yet emailed.

Sent with smtplib when SMTP_HOST is configured; without it nothing is sent and nothing fails.
Digested notifications get `emailed_at`, so a second run does not send them again.
"""
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..core.metrics import EMAIL_FAILURES
from ..core.time import utcnow
from ..extensions import db
from .mail import smtp_session
from .models import Notification, NotificationPreference
from .services import notification_text


def _pending_by_user() -> dict[int, list[Notification]]:
    opted_out = select(NotificationPreference.user_id).where(
        NotificationPreference.email_digest.is_(False))
    rows = db.session.execute(
        select(Notification).join(User, User.id == Notification.user_id)
        .where(Notification.read_at.is_(None), Notification.emailed_at.is_(None),
               User.active.is_(True), Notification.user_id.not_in(opted_out))
        .order_by(Notification.user_id, Notification.created_at)
    ).scalars().all()
    grouped: dict[int, list[Notification]] = {}
    for notification in rows:
        grouped.setdefault(notification.user_id, []).append(notification)
    return grouped


def _compose(user: User, notifications: list[Notification]) -> EmailMessage:
    config = current_app.config
    base = config["BASE_URL"].rstrip("/")
    with force_locale(user.locale or "en"):
        message = EmailMessage()
        message["Subject"] = _("Your museum space digest: %(n)d unread notifications",
                               n=len(notifications))
        lines = [_("Hello %(name)s,", name=user.name), "",
                 _("Here is what happened while you were away:"), ""]
        for n in notifications:
            lines.append(f"- {notification_text(n)}")
            if n.url:  # through /open, so that following it also marks it read
                lines.append(f"  {base}/notifications/{n.id}/open")
        lines += ["", _("Choose what you are told about: %(url)s",
                        url=f"{base}/notifications/preferences")]
    message["From"] = config["SMTP_FROM"]
    message["To"] = user.email
    message.set_content("\n".join(lines))
    return message


def send_digest() -> tuple[int, str]:
    """Send the digests; returns (emails sent, a line for the operator)."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return 0, "SMTP_HOST is not configured: no digest sent."
    pending = _pending_by_user()
    if not pending:
        return 0, "No unread notifications to send."
    users = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_(pending))).scalars()}
    sent = 0
    try:
        with smtp_session() as smtp:
            for user_id, notifications in pending.items():
                smtp.send_message(_compose(users[user_id], notifications))
                now = utcnow()
                for n in notifications:
                    n.emailed_at = now
                db.session.commit()  # per user: a failure later does not resend earlier digests
                sent += 1
    except (OSError, smtplib.SMTPException):
        EMAIL_FAILURES.inc()
        raise
    return sent, f"Sent {sent} digest email(s)."
