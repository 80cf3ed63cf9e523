"""One text check for pages, API and sockets: control characters (other than tab and newline)
and text that is not valid Unicode are refused, readably, wherever they arrive."""
import json

import pytest

from app.core.errors import ValidationError
from app.core.text import check_text, clean_text
from app.documents.models import Document
from app.extensions import db
from tests.conftest import client_for
from tests.documents.factories import make_document
from tests.factories import make_team

BAD = ["\x00", "a\x00b", "\x07bell", "esc\x1b[0m", "\x7f", "\x85", "\udc80", "x\ud800y"]


@pytest.mark.parametrize("value", BAD)
def test_the_check_refuses_control_characters_and_lone_surrogates(app, value):
    with pytest.raises(ValidationError):
        check_text(value)
    with pytest.raises(ValidationError) as refused:
        clean_text(value, field="title")
    assert refused.value.field == "title"


def test_tab_and_newlines_are_text(app):
    assert check_text("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert clean_text(" a \t b\n c ") == "a b c"
    assert clean_text(" a\r\n\tb \n", multiline=True) == "a\n\tb"


def test_clean_text_gives_the_field_its_own_messages(app):
    with pytest.raises(ValidationError, match="Give it a name"):
        clean_text("  ", field="name", required=True, empty="Give it a name")
    with pytest.raises(ValidationError, match="at most 3"):
        clean_text("abcd", max_length=3)
    with pytest.raises(ValidationError):
        clean_text(42)


@pytest.mark.parametrize("title", ["\x00", "Plan\x00", "Plan \x1b[31m"])
def test_a_form_field_with_control_characters_is_refused_beside_the_field(app, title):
    project, people = make_team()
    client = client_for(app, people["member"])
    response = client.post(f"/projects/{project.slug}/documents/new",
                           data={"title": title, "body": "Text"})
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert db.session.query(Document).count() == 0


@pytest.mark.parametrize("field", ["body", "title", "summary"])
@pytest.mark.parametrize("value", ["\x00", "\udc80"])
def test_the_api_refuses_bad_text_with_a_json_400(app, field, value):
    project, people = make_team()
    document = make_document(project, people["lead"])
    client = client_for(app, people["member"])
    payload = {"body": "fine\n", "base_revision": 1, field: value}
    response = client.put(f"/api/v1/projects/{project.slug}/documents/{document.id}",
                          data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]
    db.session.refresh(document)
    assert document.revision_number == 1


def test_the_markdown_preview_refuses_a_lone_surrogate(app):
    project, people = make_team()
    client = client_for(app, people["member"])
    response = client.post(f"/api/v1/projects/{project.slug}/documents/preview",
                           data=json.dumps({"body": "\udc80"}), content_type="application/json")
    assert response.status_code == 400
    assert "Unicode" in response.get_json()["error"]


@pytest.mark.parametrize("path", ["/archive/?q=%00", "/directory/?q=a%00b",
                                  "/archive/?country=%1b"])
def test_query_parameters_with_control_characters_are_a_readable_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)


def test_the_check_speaks_italian(app, client):
    response = client.get("/archive/?q=%00", headers={"Accept-Language": "it"})
    assert "caratteri di controllo" in response.get_data(as_text=True)
