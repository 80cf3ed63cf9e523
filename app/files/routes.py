"""Files pages under /projects/<slug>/files/: list + upload, file page, versions, rename,
delete/restore, and the download and thumbnail responses (always nosniff, sandboxed)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.downloads import send_download
from ..core.errors import DomainError
from ..core.forms import apply_error
from ..extensions import limiter
from ..policy import can, permissions
from ..projects.services import load_project
from . import bp, services
from .forms import ConfirmForm, RenameForm, UploadForm, VersionForm



def upload_rate_limit() -> str:
    return current_app.config["UPLOAD_RATE_LIMIT"]


def upload_rate_key() -> str:
    return f"file-upload:{current_user.get_id() or request.remote_addr}"


#: one budget shared by every upload door (page, new version, API)
upload_limit = limiter.shared_limit(upload_rate_limit, scope="file-upload",
                                    key_func=upload_rate_key, methods=["POST"])


@bp.route("/projects/<slug>/files/", methods=["GET", "POST"])
@login_required
@upload_limit
def index(slug):
    project = load_project(slug, current_user)
    form = UploadForm()
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            item = services.upload_file(project, current_user, form.file.data.stream,
                                        form.file.data.filename, form.description.data)
        except DomainError as error:
            apply_error(form, error)
            status = error.status
        else:
            flash(_("“%(name)s” uploaded.", name=item.name), "success")
            return redirect(url_for("files.detail", slug=slug, file_id=item.id))
    elif form.errors:
        status = 400
    deleted = request.args.get("deleted") == "1" and can(current_user, "project.manage", project)
    kind, query = request.args.get("kind", ""), request.args.get("q", "")
    page = services.list_files(project, current_user, page=request.args.get("page"),
                               deleted=deleted, kind=kind, query=query)
    max_mb = current_app.config["MAX_UPLOAD_MB"]
    return render_template(
        "files/index.html", project=project, form=form, page=page, showing_deleted=deleted,
        kinds=services.KINDS, kind=kind if kind in services.KINDS else "", query=query,
        usage=services.project_usage(project), quota=services.quota_bytes(), max_mb=max_mb,
        max_bytes=max_mb * services.MB,
        perms=permissions(current_user, project),
    ), status


@bp.route("/projects/<slug>/files/<id:file_id>")
@login_required
def detail(slug, file_id):
    project = load_project(slug, current_user)
    item = services.get_file(project, current_user, file_id, with_versions=True)
    return _render_detail(project, item)


def _render_detail(project, item, *, version_form=None, rename_form=None, status=200):
    rename_form = rename_form or RenameForm(formdata=None, name=item.name,
                                            description=item.description)
    return render_template(
        "files/detail.html", project=project, item=item, version=item.current_version,
        version_form=version_form or VersionForm(formdata=None), rename_form=rename_form,
        confirm_form=ConfirmForm(), perms=permissions(current_user, project),
        max_mb=current_app.config["MAX_UPLOAD_MB"],
        max_bytes=current_app.config["MAX_UPLOAD_MB"] * services.MB,
    ), status


@bp.route("/projects/<slug>/files/<id:file_id>/versions", methods=["POST"])
@login_required
@upload_limit
def upload_version(slug, file_id):
    project = load_project(slug, current_user, "project.contribute")
    form = VersionForm()
    if form.validate_on_submit():
        try:
            version = services.upload_version(project, current_user, file_id,
                                              form.file.data.stream, form.file.data.filename)
        except DomainError as error:
            if error.status == 404:
                raise
            apply_error(form, error)
            item = services.get_file(project, current_user, file_id, with_versions=True)
            return _render_detail(project, item, version_form=form, status=error.status)
        flash(_("Version %(n)s uploaded.", n=version.number), "success")
        return redirect(url_for("files.detail", slug=slug, file_id=file_id))
    item = services.get_file(project, current_user, file_id, with_versions=True)
    return _render_detail(project, item, version_form=form, status=400)


@bp.route("/projects/<slug>/files/<id:file_id>/rename", methods=["POST"])
@login_required
def rename(slug, file_id):
    project = load_project(slug, current_user, "project.contribute")
    form = RenameForm()
    if form.validate_on_submit():
        try:
            services.rename_file(project, current_user, file_id, form.name.data,
                                 form.description.data)
        except DomainError as error:
            if error.status == 404:
                raise
            apply_error(form, error)
        else:
            flash(_("File details saved."), "success")
            return redirect(url_for("files.detail", slug=slug, file_id=file_id))
    item = services.get_file(project, current_user, file_id, with_versions=True)
    return _render_detail(project, item, rename_form=form, status=400)


@bp.route("/projects/<slug>/files/<id:file_id>/delete", methods=["POST"])
@login_required
def delete(slug, file_id):
    project = load_project(slug, current_user, "project.contribute")
    if ConfirmForm().validate_on_submit():
        item = services.delete_file(project, current_user, file_id)
        flash(_("“%(name)s” was deleted. The project lead can restore it.", name=item.name),
              "success")
    return redirect(url_for("files.index", slug=slug))


@bp.route("/projects/<slug>/files/<id:file_id>/restore", methods=["POST"])
@login_required
def restore(slug, file_id):
    project = load_project(slug, current_user, "project.manage")
    if ConfirmForm().validate_on_submit():
        item = services.restore_file(project, current_user, file_id)
        flash(_("“%(name)s” was restored.", name=item.name), "success")
    return redirect(url_for("files.detail", slug=slug, file_id=file_id))


@bp.route("/projects/<slug>/files/<id:file_id>/download")
@login_required
def download(slug, file_id):
    project = load_project(slug, current_user)
    return send_download(services.download_for(project, current_user, file_id,
                                               request.args.get("version")))


@bp.route("/projects/<slug>/files/<id:file_id>/thumbnail")
@login_required
def thumbnail(slug, file_id):
    project = load_project(slug, current_user)
    return send_download(services.thumbnail_for(project, current_user, file_id,
                                                request.args.get("version")))
