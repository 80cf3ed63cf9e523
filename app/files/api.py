"""Files JSON API on `app.api.bp`: list, one file with its versions, multipart upload of a
new file or a new version (the upload forms use these to show progress)."""
from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..api import bp
from ..core.errors import ValidationError
from ..core.time import isoformat_utc
from ..projects.services import load_project
from . import services
from .routes import upload_limit


def _person(user) -> dict | None:
    return {"id": user.id, "name": user.name} if user is not None else None


def _version_json(slug: str, item, version) -> dict:
    return {
        "number": version.number,
        "size": version.blob.size,
        "mime": version.blob.mime,
        "kind": version.blob.kind,
        "original_name": version.original_name,
        "uploaded_by": _person(version.uploaded_by),
        "created_at": isoformat_utc(version.created_at),
        "width": version.width,
        "height": version.height,
        "has_text": bool(version.extracted_text),
        "download_url": url_for("files.download", slug=slug, file_id=item.id,
                                version=version.number),
    }


def file_json(slug: str, item, *, versions: bool = False) -> dict:
    current = item.current_version
    data = {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "kind": current.blob.kind if current else None,
        "mime": current.blob.mime if current else None,
        "size": current.blob.size if current else None,
        "version": current.number if current else None,
        "uploaded_by": _person(current.uploaded_by) if current else None,
        "created_at": isoformat_utc(item.created_at),
        "updated_at": isoformat_utc(item.updated_at),
        "deleted": item.is_deleted,
        "url": url_for("files.detail", slug=slug, file_id=item.id),
        "download_url": url_for("files.download", slug=slug, file_id=item.id),
        "thumbnail_url": url_for("files.thumbnail", slug=slug, file_id=item.id)
        if current is not None and current.thumbnail_blob_id else None,
    }
    if versions:
        data["versions"] = [_version_json(slug, item, version) for version in item.versions]
    return data


@bp.get("/projects/<slug>/files")
def list_files(slug):
    project = load_project(slug, current_user)
    page = services.list_files(project, current_user, page=request.args.get("page"),
                               per_page=request.args.get("per_page"),
                               kind=request.args.get("kind"), query=request.args.get("q"))
    return jsonify(files=[file_json(slug, item) for item in page.items], page=page.page,
                   pages=page.pages, total=page.total)


@bp.get("/projects/<slug>/files/<id:file_id>")
def get_file(slug, file_id):
    project = load_project(slug, current_user)
    item = services.get_file(project, current_user, file_id, with_versions=True)
    return jsonify(file_json(slug, item, versions=True))


@bp.post("/projects/<slug>/files")
@upload_limit
def upload_file(slug):
    project = load_project(slug, current_user, "project.contribute")
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError(_("Send the file in a multipart field named “file”."))
    item = services.upload_file(project, current_user, upload.stream, upload.filename,
                                request.form.get("description", ""))
    return jsonify(file_json(slug, item)), 201


@bp.post("/projects/<slug>/files/<id:file_id>/versions")
@upload_limit
def upload_version(slug, file_id):
    project = load_project(slug, current_user, "project.contribute")
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError(_("Send the file in a multipart field named “file”."))
    services.upload_version(project, current_user, file_id, upload.stream, upload.filename)
    item = services.get_file(project, current_user, file_id, with_versions=True)
    return jsonify(file_json(slug, item, versions=True)), 201
