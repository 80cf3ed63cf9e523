"""Outgoing e-mail through smtplib, when `SMTP_HOST` is configured (without it nothing is sent
and nothing fails): `smtp_session()` for a batch (the digest), `send_email(...)` for one
message (an application's receipt)."""
import smtplib
from contextlib import contextmanager
from email.message import EmailMessage

from flask import current_app

from ..core.metrics import EMAIL_FAILURES


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


@contextmanager
def smtp_session():
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        yield smtp


def send_email(to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; False when SMTP is not configured or the server refused
    (logged: a receipt that could not be mailed is still shown in the app)."""
    if not mail_configured():
        return False
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = (
        subject, current_app.config["SMTP_FROM"], to)
    message.set_content(body)
    try:
        with smtp_session() as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        EMAIL_FAILURES.inc()
        current_app.logger.exception("Could not send e-mail to %s", to)
        return False
    return True
