"""The email digest: sent once through a real (fake) SMTP server; a no-op without SMTP."""
import email

import pytest
from aiosmtpd.controller import Controller

from app.discussion import services as discussion
from app.extensions import db
from app.notifications import services
from app.notifications.digest import send_digest
from app.notifications.models import Notification

from ..conftest import free_port
from ..discussion.conftest import start_thread


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_inbox(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_STARTTLS=False)
    yield inbox
    controller.stop()


def test_each_user_gets_one_digest_of_unread_notifications_once(app, team, smtp_inbox):
    thread = start_thread(team)
    discussion.reply(team.lead, thread, None, "@[Anna Bianchi] can you check the scans?")
    services.save_preferences(team.observer, ["new_thread", "mention"], email_digest=False)
    services.mark_all_read(team.lead)

    sent, message = send_digest()
    assert sent == 1 and "Sent 1" in message
    (recipients, mail), = smtp_inbox.messages
    assert recipients == [team.member.email]
    body = mail.get_payload(decode=True).decode()
    assert "Lucia Rossi mentioned you in “Which scanner?”" in body
    first = db.session.query(Notification).filter_by(user_id=team.member.id).first()
    assert f"/notifications/{first.id}/open" in body
    assert "2 unread" in mail["Subject"]
    assert all(n.emailed_at for n in db.session.query(Notification).filter_by(
        user_id=team.member.id))

    assert send_digest()[0] == 0  # nothing twice
    discussion.reply(team.lead, thread, None, "@anna one more thing")
    assert send_digest()[0] == 1 and len(smtp_inbox.messages) == 2


def test_without_smtp_nothing_is_sent_and_nothing_fails(app, team, runner):
    start_thread(team)
    assert app.config["SMTP_HOST"] is None
    result = runner.invoke(args=["notifications", "send-digest"])
    assert result.exit_code == 0 and "not configured" in result.output
    assert db.session.query(Notification).filter(Notification.emailed_at.isnot(None)).count() == 0


def test_the_cli_sends_through_the_configured_server(app, team, runner, smtp_inbox):
    start_thread(team)
    result = runner.invoke(args=["notifications", "send-digest"])
    assert result.exit_code == 0 and "Sent 2 digest" in result.output
    assert sorted(r[0][0] for r in smtp_inbox.messages) == sorted(
        [team.member.email, team.observer.email])
