"""A call's applications as its managers see them: figures, a chart of applications per
country, the list with eligibility verdicts, overrides with their reason, and the exports."""
from flask import Response, render_template
from flask_login import current_user, login_required

from ..policy import authorize
from . import application_queries as aq
from . import bp, exports, queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed_call(slug: str):
    call = queries.get_call(slug, current_user)
    authorize(current_user, "call.manage")
    return call


@bp.route("/calls/<slug>/applications")
@login_required
def applications(slug: str):
    call = _managed_call(slug)
    return render_template("calls/applications.html", call=call, figures=aq.call_figures(call))


@bp.route("/calls/<slug>/applications.csv")
@login_required
def applications_csv(slug: str):
    call = _managed_call(slug)
    return Response(exports.export_csv(call), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{call.slug}-applications.csv"'})


@bp.route("/calls/<slug>/applications.xlsx")
@login_required
def applications_xlsx(slug: str):
    call = _managed_call(slug)
    return Response(exports.export_xlsx(call), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{call.slug}-applications.xlsx"'})
