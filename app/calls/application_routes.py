"""Application pages: start one, the draft (save, autosave, invite, attach, submit, withdraw),
receipts of submitted versions, and a person's own list. Thin views: queries read, services
decide, these translate; a refused save shows the page again with the text as typed."""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.downloads import send_download
from ..core.errors import DomainError
from ..core.panels import panels_for
from ..files.services import download_of_blob
from ..policy import can
from . import application_queries as aq
from . import applications as services
from . import bp, queries
from .application_content import MAX_BUDGET_LINES, MAX_MILESTONES
from .application_forms import content_input, new_partner_input, padded


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _page(application, content=None, errors=None, status=200, note=None):
    """The application page: the form while its applicants may still change it (with the text
    as typed after a refusal), else the stored draft read-only."""
    may_edit = can(current_user, "application.edit", application)
    editable = may_edit and queries.accepting(application.call)
    content = content if content is not None and editable else application.content
    return render_template(
        "calls/application.html", application=application, call=application.call,
        content=content, errors=errors or {}, note=note, is_applicant=may_edit,
        editable=editable, perms_manage=can(current_user, "call.manage"),
        milestones=padded(content.get("milestones") or [], MAX_MILESTONES),
        budget=padded(content.get("budget") or [], MAX_BUDGET_LINES),
        directory=aq.partner_directory(), versions=aq.versions_of(application),
        items=services.eligibility_preview(application),
        panels=panels_for("application", current_user, application)), status


@bp.route("/calls/<slug>/apply", methods=["GET", "POST"])
@login_required
def apply(slug: str):
    call = queries.get_call(slug, current_user)
    leads, error = aq.lead_choices(current_user), None
    if request.method == "POST":
        try:
            started = services.start_application(current_user, call, request.form.get("lead"),
                                                 request.form.get("title", ""))
            return redirect(url_for("calls.application", application_id=started.id))
        except DomainError as refused:
            error = refused
    return render_template("calls/apply.html", call=call, leads=leads, error=error,
                           accepting=queries.accepting(call),
                           typed=request.form), error.status if error else 200


@bp.route("/applications")
@login_required
def my_applications():
    return render_template("calls/my_applications.html",
                           applications=aq.applications_for(current_user))


@bp.route("/applications/<id:application_id>", methods=["GET", "POST"])
@login_required
def application(application_id: int):
    found = aq.get_application(application_id, current_user)
    if request.method == "GET":
        return _page(found)
    typed = content_input(request.form)
    try:
        outcome = services.save_draft(current_user, found, typed,
                                      request.form.get("base_revision", ""),
                                      new_partner_input(request.form))
    except DomainError as error:
        if _wants_json():
            return jsonify(error=error.message, field=error.field), error.status
        return _page(found, typed, {error.field or "form": error.message}, error.status)
    if _wants_json():
        return jsonify(revision=outcome.revision, merged=outcome.merged,
                       conflicts=outcome.conflicts, content=outcome.application.content)
    return _page(outcome.application, note=_saved_note(outcome))


def _saved_note(outcome) -> str:
    if outcome.conflicts:
        return _("Saved. A co-applicant changed the same passages at the same time: both "
                 "versions are kept between <<<<<<< and >>>>>>> lines; please tidy them up.")
    if outcome.merged:
        return _("Saved, together with a co-applicant's changes made meanwhile.")
    return _("The draft has been saved.")


def _action(application_id: int, act, done: str):
    found = aq.get_application(application_id, current_user)
    try:
        act(found)
    except DomainError as error:
        return _page(found, errors={error.field or "form": error.message}, status=error.status)
    flash(done, "success")
    return redirect(url_for("calls.application", application_id=application_id))


@bp.route("/applications/<id:application_id>/invite", methods=["POST"])
@login_required
def invite(application_id: int):
    return _action(application_id, lambda a: services.invite_coapplicant(
        current_user, a, request.form.get("email", "")), _("The co-applicant is invited."))


@bp.route("/applications/<id:application_id>/attachments", methods=["POST"])
@login_required
def attach(application_id: int):
    upload = request.files.get("file")
    return _action(application_id, lambda a: services.add_attachment(
        current_user, a, upload.stream if upload else None, upload.filename if upload
        else None), _("The file is attached."))


@bp.route("/applications/<id:application_id>/attachments/<id:attachment_id>/delete",
          methods=["POST"])
@login_required
def detach(application_id: int, attachment_id: int):
    return _action(application_id, lambda a: services.remove_attachment(
        current_user, a, attachment_id), _("The file is removed."))


@bp.route("/applications/<id:application_id>/attachments/<id:attachment_id>")
@login_required
def attachment(application_id: int, attachment_id: int):
    found = aq.get_application(application_id, current_user)
    item = aq.get_attachment(found, attachment_id)
    return send_download(download_of_blob(item.blob, item.name))


@bp.route("/applications/<id:application_id>/submit", methods=["POST"])
@login_required
def submit(application_id: int):
    found = aq.get_application(application_id, current_user)
    try:
        version = services.submit(current_user, found)
    except DomainError as error:
        return _page(found, errors={"submit": error.message}, status=error.status)
    return redirect(url_for("calls.receipt", application_id=found.id, number=version.number))


@bp.route("/applications/<id:application_id>/withdraw", methods=["POST"])
@login_required
def withdraw(application_id: int):
    return _action(application_id, lambda a: services.withdraw(current_user, a),
                   _("The application is withdrawn. You may submit it again until the call "
                     "closes."))


@bp.route("/applications/<id:application_id>/versions/<id:number>")
@login_required
def receipt(application_id: int, number: int):
    found = aq.get_application(application_id, current_user)
    version = aq.get_version(found, number)
    return render_template("calls/receipt.html", application=found, call=found.call,
                           version=version, record=aq.record_of(version))


@bp.route("/applications/<id:application_id>/versions/<id:number>.json")
@login_required
def version_json(application_id: int, number: int):
    found = aq.get_application(application_id, current_user)
    version = aq.get_version(found, number)
    return version.canonical_json, 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{found.ref}-v{number}.json"'}


@bp.route("/applications/<id:application_id>/eligibility", methods=["POST"])
@login_required
def override(application_id: int):
    return _action(application_id, lambda a: services.override_eligibility(
        current_user, a, request.form.get("verdict", ""), request.form.get("reason", "")),
        _("The verdict is recorded in the call's log."))
