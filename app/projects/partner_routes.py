"""Looking for partners: the listing, asking to join, and the lead's page to mark the project
and answer requests. Thin views over `partners.py`; asking is rate limited per person."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import Conflict, ValidationError
from ..core.forms import Form, apply_error
from ..extensions import limiter
from ..policy import permissions
from . import bp, partners, services
from .areas import APPLICATION_AREAS
from .forms import JoinRequestForm, PartnerSearchForm


def join_rate_limit() -> str:
    return current_app.config["JOIN_REQUEST_RATE_LIMIT"]


def join_rate_key() -> str:
    return f"join-request:{current_user.get_id() or request.remote_addr}"


@bp.route("/projects/looking-for-partners")
@login_required
def open_projects():
    area = request.args.get("area", "")
    area = area if area in APPLICATION_AREAS else ""
    page = partners.open_projects(current_user, request.args.get("page"), area)
    return render_template(
        "projects/open_projects.html", page=page, area=area, areas=APPLICATION_AREAS,
        asked=partners.pending_request_ids(current_user, [p.id for p in page.items]))


@bp.route("/projects/<slug>/join", methods=["GET", "POST"])
@login_required
@limiter.limit(join_rate_limit, key_func=join_rate_key, methods=["POST"])
def ask_to_join(slug: str):
    project = services.load_project(slug, current_user, "project.ask_to_join")
    form = JoinRequestForm()
    if form.validate_on_submit():
        try:
            partners.ask_to_join(current_user, project, form.message.data)
        except (ValidationError, Conflict) as error:
            apply_error(form, error)
        else:
            flash(_("Your request has been sent. The project's lead will answer you."),
                  "success")
            return redirect(url_for("projects.open_projects"))
    return render_template("projects/join.html", project=project, form=form), \
        400 if form.errors or form.form_errors else 200


@bp.route("/projects/<slug>/partners", methods=["GET", "POST"])
@login_required
def partners_page(slug: str):
    project = services.load_project(slug, current_user, "project.manage")
    form = PartnerSearchForm()
    if request.method == "GET":
        form.fill_from(project)
    if form.validate_on_submit():
        try:
            partners.set_looking(current_user, project, form.to_input())
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("Saved. The project is listed as looking for partners.")
                  if project.looking_for_partners else _("Saved. The project is not listed."),
                  "success")
            return redirect(url_for("projects.partners_page", slug=slug))
    return render_template(
        "projects/partners.html", project=project, form=form, active_tab="partners",
        perms=permissions(current_user, project), decide_form=Form(),
        requests=partners.pending_requests(current_user, project),
    ), 400 if form.errors or form.form_errors else 200


@bp.route("/projects/<slug>/partners/requests/<id:request_id>/<any(accept, decline):answer>",
          methods=["POST"])
@login_required
def decide_request(slug: str, request_id: int, answer: str):
    project = services.load_project(slug, current_user, "project.manage")
    if Form().validate_on_submit():
        join_request = partners.decide(current_user, project, request_id, answer == "accept")
        flash(_("%(name)s is now a member of the project.", name=join_request.user.name)
              if answer == "accept" else _("The request has been declined."), "success")
    return redirect(url_for("projects.partners_page", slug=slug))
