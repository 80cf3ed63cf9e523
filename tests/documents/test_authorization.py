"""Every documents route (HTML and API) × anonymous, non-member, observer, member, lead, admin."""
import pytest

from app.documents import services
from tests.projects.matrix import (API_READ, CONTRIBUTE_POST, MANAGE_GET, MANAGE_POST, READ,
                                   Route, check_cell, expect, matrix_cases)

from .factories import edit, make_document

CONTRIBUTE_GET = expect(302, 404, 403, 200, 200, 200)
API_WRITE = expect(401, 404, 403, 200, 200, 200)


def _doc(cast):
    document = make_document(cast.project, cast.lead, body="one\n")
    edit(document, cast.lead, "two\n")
    return {"doc_id": document.id}


def _deleted_doc(cast):
    document = make_document(cast.project, cast.lead, title="Old notes")
    services.delete_document(cast.lead, document)
    return {"doc_id": document.id}


def _edit_body(cast):
    return {"title": "Plan", "body": "three\n", "base_revision": "2"}


D = "/projects/{slug}/documents"
A = "/api/v1/projects/{slug}/documents"
ROUTES = [
    Route("GET", D + "/", READ),
    Route("GET", D + "/new", CONTRIBUTE_GET),
    Route("POST", D + "/new", CONTRIBUTE_POST, data=lambda cast: {"title": "Notes", "body": "x"}),
    Route("GET", D + "/{doc_id}", READ, setup=_doc),
    Route("GET", D + "/{doc_id}/edit", CONTRIBUTE_GET, setup=_doc),
    Route("POST", D + "/{doc_id}/edit", CONTRIBUTE_POST, setup=_doc, data=_edit_body),
    Route("GET", D + "/{doc_id}/history", READ, setup=_doc),
    Route("GET", D + "/{doc_id}/diff?from=1&to=2", READ, setup=_doc),
    Route("GET", D + "/{doc_id}/revisions/1", READ, setup=_doc),
    Route("POST", D + "/{doc_id}/revisions/1/restore", CONTRIBUTE_POST, setup=_doc),
    Route("GET", D + "/{doc_id}/manage", CONTRIBUTE_GET, setup=_doc),
    Route("POST", D + "/{doc_id}/rename", CONTRIBUTE_POST, setup=_doc,
          data=lambda cast: {"title": "Renamed"}),
    Route("POST", D + "/{doc_id}/move", CONTRIBUTE_POST, setup=_doc,
          data=lambda cast: {"parent": ""}),
    Route("POST", D + "/{doc_id}/delete", CONTRIBUTE_POST, setup=_doc),
    Route("GET", D + "/deleted", MANAGE_GET),
    Route("POST", D + "/{doc_id}/restore", MANAGE_POST, setup=_deleted_doc),
    Route("GET", A, API_READ),
    Route("GET", A + "/{doc_id}", API_READ, setup=_doc),
    Route("PUT", A + "/{doc_id}", API_WRITE, setup=_doc,
          data=lambda cast: {"body": "three\n", "base_revision": 2}),
    Route("GET", A + "/{doc_id}/revisions", API_READ, setup=_doc),
    Route("POST", A + "/preview", API_WRITE, data=lambda cast: {"body": "# Draft"}),
]


@pytest.mark.parametrize("route,who", matrix_cases(ROUTES))
def test_documents_authorization_matrix(app, route, who):
    check_cell(app, route, who)


def test_a_document_of_another_project_is_not_found_through_this_one(app):
    from tests.conftest import client_for
    from tests.projects.factories import make_cast

    cast = make_cast()
    other = make_cast()
    foreign = make_document(other.project, other.lead, title="Secret")
    client = client_for(app, cast.member)
    assert client.get(f"/projects/{cast.project.slug}/documents/{foreign.id}").status_code == 404
    assert client.get(f"/api/v1/projects/{cast.project.slug}/documents/{foreign.id}"
                      ).status_code == 404
