"""The co-editing socket events: join, update, sync, awareness, leave, save a version."""
from app.documents.coedit import store
from app.documents.models import Document
from app.extensions import db

from .conftest import BODY, b64, unb64


def _body(app, doc_id) -> str:
    with app.app_context():
        return db.session.get(Document, doc_id).body


def test_join_gives_the_whole_state_seeded_from_the_current_revision(team):
    anna = team.editor(team.member)
    ack = anna.join()
    assert ack["ok"], ack
    assert str(anna.text) == BODY
    assert ack["can_edit"] is True and ack["revision"] == 1
    assert [e["name"] for e in ack["editors"]] == ["Marco Member"]
    assert ack["editors"][0]["color"].startswith("#")


def test_an_update_is_stored_before_the_ack_and_reaches_the_others(team, app):
    anna, lea = team.editor(team.member), team.editor(team.lead)
    anna.join(), lea.join()
    lea.receive()
    ack = anna.send(anna.type(0, "Hello "))
    assert ack["ok"] and ack["seq"] > 0
    with app.app_context():
        assert [row[0] for row in store.updates_after(team.doc_id, 0)] == [ack["seq"]]
    lea.receive()
    assert str(lea.text) == str(anna.text) == "Hello " + BODY


def test_sync_returns_what_the_client_lacks(team):
    anna, lea = team.editor(team.member), team.editor(team.lead)
    anna.join(), lea.join()
    anna.send(anna.type(0, "X"))
    ack = lea.emit("doc_sync", state_vector=b64(lea.doc.get_state()))
    assert ack["ok"]
    lea.doc.apply_update(unb64(ack["update"]))
    assert str(lea.text) == "X" + BODY


def test_an_observer_follows_but_cannot_change(team, app):
    olga, anna = team.editor(team.observer), team.editor(team.member)
    assert olga.join()["can_edit"] is False
    anna.join()
    ack = olga.send(olga.type(0, "nope"))
    assert ack["ok"] is False and ack["error"]
    with app.app_context():
        assert store.updates_after(team.doc_id, 0) == []
    anna.send(anna.type(0, "yes "))
    olga.receive()
    assert "yes " in str(olga.text) and "nope" in str(olga.text)  # her local text, and Anna's


def test_save_version_cuts_a_revision_with_every_editor(team, app):
    anna, lea = team.editor(team.member), team.editor(team.lead)
    anna.join(), lea.join()
    anna.send(anna.type(0, "A"))
    lea.receive()
    lea.send(lea.type(0, "L"))
    ack = lea.emit("doc_save_version", summary="Both of us")
    assert ack == {"ok": True, "revision": 2, "changed": True}
    assert lea.emit("doc_save_version", summary="Again") == {"ok": True, "revision": 2,
                                                              "changed": False}
    with app.app_context():
        document = db.session.get(Document, team.doc_id)
        revision = document.current_revision
        assert revision.summary == "Both of us" and revision.body == "LA" + BODY
        assert revision.author_id == team.lead.id
        assert sorted(u.id for u in revision.co_authors) == sorted([team.lead.id, team.member.id])
    assert any(item["name"] == "doc_revision" for item in anna.sock.get_received())


def test_the_last_editor_leaving_cuts_a_revision(team, app):
    anna = team.editor(team.member)
    anna.join()
    anna.send(anna.type(len(anna.text), "More.\n"))
    assert anna.emit("doc_leave") == {"ok": True}
    assert _body(app, team.doc_id) == BODY + "More.\n"


def test_a_removed_member_is_cut_off_at_once(team, app):
    anna, lea = team.editor(team.member), team.editor(team.lead)
    anna.join(), lea.join()
    anna.receive()
    with app.app_context():
        team.remove(team.member)
    revoked = [i for i in anna.sock.get_received() if i["name"] == "doc_revoked"]
    assert revoked and revoked[0]["args"][0]["doc"] == team.doc_id
    lea.send(lea.type(0, "secret "))
    assert not [i for i in anna.sock.get_received() if i["name"] == "doc_update"]
    assert anna.send(anna.type(0, "x"))["ok"] is False


def test_the_documents_list_hears_who_is_editing(team):
    lea = team.socket(team.lead)
    ack = lea.emit("doc_list_join", {"project": team.slug}, callback=True)
    assert ack == {"ok": True, "docs": {}}
    anna = team.editor(team.member)
    anna.join()
    heard = [i["args"][0] for i in lea.get_received() if i["name"] == "doc_list_presence"]
    assert heard[-1]["docs"] == {str(team.doc_id): [
        {"id": team.member.id, "name": "Marco Member", "color": anna.join()["editors"][0]["color"]}]}
    anna.emit("doc_leave")
    heard = [i["args"][0] for i in lea.get_received() if i["name"] == "doc_list_presence"]
    assert heard[-1]["docs"] == {}


def test_a_form_save_from_the_live_editor_leaves_the_text_alone(team, app):
    from ..conftest import client_for

    anna = team.editor(team.member)
    anna.join()
    anna.send(anna.type(0, "Live "))
    page = client_for(app, team.member)
    response = page.post(f"/projects/{team.slug}/documents/{team.doc_id}/edit", data={
        "title": "Route 2", "body": "Live " + BODY, "base_revision": "1", "live": "1",
        "summary": "From the page"})
    assert response.status_code == 302
    with app.app_context():
        document = db.session.get(Document, team.doc_id)
        assert document.body == "Live " + BODY and document.title == "Route 2"
        assert document.current_revision.summary == "From the page"


def test_deleting_a_document_cuts_its_editors_off(team, app):
    from app.documents import services

    anna = team.editor(team.member)
    anna.join()
    anna.receive()
    with app.app_context():
        services.delete_document(team.lead, db.session.get(Document, team.doc_id))
    revoked = [i["args"][0] for i in anna.sock.get_received() if i["name"] == "doc_revoked"]
    assert revoked and revoked[0]["doc"] == team.doc_id and revoked[0]["error"]
    assert anna.send(anna.type(0, "x"))["ok"] is False
    assert anna.join()["ok"] is False
