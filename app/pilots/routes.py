"""The pilots' pages: a call's grants page for its managers (instalments paid, withheld or
due; mentors assigned), its CSV/XLSX exports, and a workspace's mentoring log. Thin: queries
read, services decide, these translate."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..calls import queries as call_queries
from ..core.errors import ValidationError
from ..policy import authorize, permissions
from ..projects.services import load_project
from . import bp, exports, grants, mentoring, queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed(slug: str):
    """The call whose grants a manager keeps (the policy decides who may)."""
    call = call_queries.get_call(slug, current_user)
    authorize(current_user, "call.manage", call)
    return call


def _grants_page(call, status=200, errors=None):
    return render_template("pilots/grants.html", call=call, pilots=queries.pilots_of(call),
                           totals=queries.grant_totals(call), errors=errors or {}), status


def _grants_change(slug: str, anchor: str, change, done: str):
    """A manager's change on the grants page: `change(call)` calls the service; a refusal shows
    the page again with its message, success says `done` and goes back to `anchor`."""
    call = _managed(slug)
    try:
        change(call)
    except ValidationError as error:
        return _grants_page(call, error.status, {error.field: error.message})
    flash(done, "success")
    return redirect(url_for("pilots.grants_page", slug=slug, _anchor=anchor))


def _grants_export(slug: str, export, mimetype: str, extension: str):
    call = _managed(slug)
    return Response(export(call), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{call.slug}-grants.{extension}"'})


@bp.route("/calls/<slug>/grants")
@login_required
def grants_page(slug: str):
    return _grants_page(_managed(slug))


@bp.route("/calls/<slug>/grants/instalments/<id:instalment_id>", methods=["POST"])
@login_required
def instalment(slug: str, instalment_id: int):
    return _grants_change(slug, f"i-{instalment_id}", lambda call: grants.record_instalment(
        call, grants.instalment_of(call, instalment_id), request.form.get("status", ""),
        paid_on=request.form.get("paid_on", ""), reason=request.form.get("reason", ""),
        by=current_user), _("The instalment has been recorded."))


@bp.route("/calls/<slug>/grants.csv")
@login_required
def grants_csv(slug: str):
    return _grants_export(slug, exports.grants_csv, "text/csv", "csv")


@bp.route("/calls/<slug>/grants.xlsx")
@login_required
def grants_xlsx(slug: str):
    return _grants_export(slug, exports.grants_xlsx, XLSX, "xlsx")


@bp.route("/calls/<slug>/grants/pilots/<id:pilot_id>/mentor", methods=["POST"])
@login_required
def mentor(slug: str, pilot_id: int):
    return _grants_change(slug, f"p-{pilot_id}", lambda call: mentoring.assign_mentor(
        call, mentoring.pilot_in(call, pilot_id), request.form.get("email", ""),
        by=current_user), _("The mentor has been assigned and joins the workspace."))


def _log_page(project, status=200, errors=None):
    return render_template("pilots/mentoring.html", project=project,
                           perms=permissions(current_user, project),
                           pilot=queries.pilot_of_project(project),
                           entries=queries.mentoring_log(project), errors=errors or {},
                           form=request.form), status


@bp.route("/projects/<slug>/mentoring", methods=["GET", "POST"])
@login_required
def mentoring_log(slug: str):
    project = load_project(slug, current_user)
    if request.method == "GET":
        return _log_page(project)
    try:
        mentoring.add_entry(project, met_on=request.form.get("met_on", ""),
                            notes=request.form.get("notes", ""),
                            next_steps=request.form.get("next_steps", ""), by=current_user)
    except ValidationError as error:
        return _log_page(project, error.status, {error.field: error.message})
    flash(_("The meeting has been added to the mentoring log."), "success")
    return redirect(url_for("pilots.mentoring_log", slug=slug))
