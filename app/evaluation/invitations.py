"""The e-mail inviting a person without an account to evaluate a call (as co-applicants are
invited to a draft): sent when SMTP is configured, in English (the address has no language
yet); the manager's page says the invitation waits until they sign up."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..notifications.mail import mail_configured, send_email


def mail_invitation(call, address: str, by) -> bool:
    if not mail_configured():
        return False
    link = current_app.config["BASE_URL"].rstrip("/") + f"/calls/{call.slug}/evaluate"
    with force_locale("en"):
        subject = _("You are invited to evaluate applications to “%(call)s”", call=call.title)
        body = "\n".join([
            _("%(name)s invites you to evaluate applications to the call “%(call)s”.",
              name=getattr(by, "name", None) or _("The programme"), call=call.title), "",
            _("Create an account with this e-mail address, then open: %(url)s", url=link)])
    return send_email(address, subject, body)
