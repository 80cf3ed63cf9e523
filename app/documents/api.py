"""JSON API for documents on the versioned API blueprint (/api/v1/projects/<slug>/documents).

Session-authenticated: 401 without a session, 404 for outsiders, 403 for observers' writes.
The PUT keeps Flask-WTF's CSRF protection, so browser scripts send the token in the
`X-CSRFToken` header. A PUT from an older `base_revision` is merged into the shared text
(overlapping lines: theirs, then the PUT's), never refused as a conflict.
"""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..api import bp
from ..core.errors import ValidationError
from ..core.time import isoformat_utc
from ..projects.services import load_project
from . import queries, services

PREFIX = "/projects/<slug>/documents"


def _project(slug, action="project.view"):
    """The policy (the API blueprint has already answered 401 without a session)."""
    return load_project(slug, current_user, action)


def _summary(document) -> dict:
    revision = document.current_revision
    return {
        "id": document.id,
        "title": document.title,
        "parent_id": document.parent_id,
        "is_folder": document.is_folder,
        "revision": document.revision_number,
        "updated_at": isoformat_utc(document.updated_at),
        "updated_by": revision.author.name if revision and revision.author else None,
    }


def _revision(revision) -> dict:
    return {
        "number": revision.number,
        "title": revision.title,
        "summary": revision.summary,
        "author": revision.author.name if revision.author else None,
        "created_at": isoformat_utc(revision.created_at),
    }


@bp.get(f"{PREFIX}")
def list_documents(slug):
    project = _project(slug)
    return jsonify(documents=[
        dict(_summary(document), depth=depth) for document, depth in queries.document_tree(project)
    ])


@bp.get(f"{PREFIX}/<id:doc_id>")
def get_document(slug, doc_id):
    project = _project(slug)
    document = queries.get_document(project, doc_id)
    return jsonify(dict(_summary(document), body=document.body,
                        html=document.current_revision.html))


@bp.put(f"{PREFIX}/<id:doc_id>")
def put_document(slug, doc_id):
    project = _project(slug, "project.contribute")
    document = queries.get_document(project, doc_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ValidationError(_("Send a JSON object with body and base_revision."))
    outcome = services.save_document(
        current_user, document, body=payload.get("body"), title=payload.get("title"),
        base_revision=payload.get("base_revision"), summary=payload.get("summary", ""))
    status = "unchanged" if outcome.revision is None else "merged" if outcome.merged else "saved"
    return jsonify(dict(_summary(outcome.document), status=status, body=outcome.document.body))


@bp.post(f"{PREFIX}/preview")
def preview(slug):
    """Render a draft exactly as saving would (for the editor's Preview button); saves nothing."""
    _project(slug, "project.contribute")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ValidationError(_("Send a JSON object with body."))
    return jsonify(html=services.render_document(services.clean_body(payload.get("body"))))


@bp.get(f"{PREFIX}/<id:doc_id>/revisions")
def list_revisions(slug, doc_id):
    project = _project(slug)
    document = queries.get_document(project, doc_id)
    page = queries.revision_page(document, request.args.get("page"), request.args.get("per_page"))
    return jsonify(revisions=[_revision(rev) for rev in page.items], page=page.page,
                   pages=page.pages, total=page.total)
