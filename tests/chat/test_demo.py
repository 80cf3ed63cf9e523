"""The chat demo loader writes a short conversation once and is idempotent."""
from app.chat.demo import SCRIPT, load_demo
from app.chat.models import ChatMessage
from app.extensions import db

from ..factories import make_project, make_user


def test_demo_chat_is_written_once_per_project_with_two_contributors(app):
    lead, member = make_user("Anna"), make_user("Tomas")
    busy = make_project(lead=lead, members={"member": [member]})
    make_project(lead=lead)  # alone: nobody to chat with
    assert load_demo() == f"{len(SCRIPT)} chat messages"
    assert load_demo() == "0 chat messages"
    messages = db.session.query(ChatMessage).order_by(ChatMessage.id).all()
    assert {m.project_id for m in messages} == {busy.id}
    assert [m.seq for m in messages] == list(range(1, len(SCRIPT) + 1))
    assert [m.created_at for m in messages] == sorted(m.created_at for m in messages)
