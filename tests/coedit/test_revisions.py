"""Revisions follow the shared text: after a pause, on restore (a live edit), with co-authors."""
import time

from app.documents import services
from app.documents.coedit import sessions, store
from app.documents.models import Document
from app.extensions import db

from .conftest import BODY


def _document(app, doc_id) -> Document:
    return db.session.get(Document, doc_id)


def test_a_pause_in_editing_cuts_a_revision_and_tells_the_room(team, app):
    app.config["COEDIT_REVISION_IDLE_SECONDS"] = 0.2
    anna, lea = team.editor(team.member), team.editor(team.lead)
    anna.join(), lea.join()
    anna.send(anna.type(0, "Paused. "))
    revision = None
    deadline = time.monotonic() + 20  # the background step runs every idle/4 seconds
    while revision is None and time.monotonic() < deadline:
        revision = next((i["args"][0] for i in lea.sock.get_received()
                         if i["name"] == "doc_revision"), None)
        time.sleep(0.05)
    assert revision is not None and revision["revision"] == 2
    with app.app_context():
        document = _document(app, team.doc_id)
        assert document.body == "Paused. " + BODY
        assert [u.id for u in document.current_revision.co_authors] == [team.member.id]


def test_the_background_step_waits_for_the_pause_then_compacts(team, app):
    app.config["COEDIT_REVISION_IDLE_SECONDS"] = 3600
    anna = team.editor(team.member)
    anna.join()
    anna.send(anna.type(0, "One. "))
    with app.app_context():
        assert sessions.sweep(app) == 0           # still typing
        app.config["COEDIT_REVISION_IDLE_SECONDS"] = 0
        assert sessions.sweep(app) == 1
        assert store.updates_after(team.doc_id, 0) == []   # folded into the snapshot
        assert _document(app, team.doc_id).revision_number == 2


def test_a_restore_is_a_live_edit_everyone_sees(team, app):
    anna = team.editor(team.member)
    anna.join()
    anna.send(anna.type(0, "Changed. "))
    anna.emit("doc_save_version", summary="changed")
    anna.receive()
    with app.app_context():
        document = _document(app, team.doc_id)
        revision = services.restore_revision(team.lead, document, 1)
        assert revision.number == 3 and revision.body == BODY
    anna.receive()
    assert str(anna.text) == BODY


def test_a_form_save_from_an_old_revision_is_merged_into_the_live_text(team, app):
    from ..conftest import client_for

    anna = team.editor(team.member)
    anna.join()
    anna.send(anna.type(0, "Live. "))
    page = client_for(app, team.lead)
    response = page.post(f"/projects/{team.slug}/documents/{team.doc_id}/edit", data={
        "title": "Route", "body": BODY + "Form.\n", "base_revision": "1"})
    assert response.status_code == 302
    anna.receive()
    assert str(anna.text) == "Live. " + BODY + "Form.\n"
    with app.app_context():
        current = _document(app, team.doc_id).current_revision
        assert current.body == "Live. " + BODY + "Form.\n"
        assert sorted(u.id for u in current.co_authors) == sorted([team.lead.id, team.member.id])


def test_history_names_the_co_authors(team, app):
    from ..conftest import client_for

    anna, lea = team.editor(team.member), team.editor(team.lead)
    anna.join(), lea.join()
    anna.send(anna.type(0, "A"))
    lea.send(lea.type(0, "L"))
    lea.emit("doc_save_version", summary="together")
    html = client_for(app, team.lead).get(
        f"/projects/{team.slug}/documents/{team.doc_id}/history").get_data(as_text=True)
    assert "with Marco Member" in html
