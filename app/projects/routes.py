"""Project pages: dashboard, new project, overview, settings and status, activity, admin list.

Thin views: forms in, services do the work, templates out. Members and invitations are in
`member_routes.py`. Every workspace page goes through `load_project` (404 for outsiders).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.dashboard import panels_for as dashboard_panels
from ..core.panels import panels_for
from ..core.errors import ValidationError
from ..core.forms import apply_error
from ..policy import permissions
from . import bp, members, queries, services
from .forms import ProjectForm, StatusForm
from .models import PROJECT_STATUSES

OVERVIEW_ACTIVITY = 10


@bp.route("/projects/")
@login_required
def dashboard():
    board = queries.dashboard_for(current_user)
    return render_template("projects/dashboard.html", board=board, slug_of=_slug_map(board),
                           panels=dashboard_panels(current_user))


def _slug_map(board) -> dict[int, str]:
    return {pid: project.slug for pid, project in board.projects_by_id.items()}


@bp.route("/projects/all")
@login_required
def all_projects():
    status = request.args.get("status", "")
    status = status if status in PROJECT_STATUSES else ""
    page = queries.all_projects(current_user, request.args.get("page"), status)
    counts = queries.member_counts([p.id for p in page.items])
    return render_template("projects/all.html", page=page, counts=counts, status=status,
                           statuses=PROJECT_STATUSES)


def _project_form(project=None) -> ProjectForm:
    form = ProjectForm()
    if request.method == "GET":
        if project is not None:
            form.fill_from(project)
        else:
            form.lead_organisation_id.data = services.default_museum_id(current_user) or 0
    form.set_choices(services.museum_choices(current_user, project and project.lead_organisation_id),
                     services.organisation_choices())
    return form


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def new():
    form = _project_form()
    if form.validate_on_submit():
        try:
            project = services.create_project(current_user, form.to_input())
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("Project created. Invite your partners from the Members page."), "success")
            return redirect(url_for("projects.overview", slug=project.slug))
    return render_template("projects/new.html", form=form), \
        400 if form.errors or form.form_errors else 200


@bp.route("/projects/<slug>/")
@login_required
def overview(slug: str):
    project = services.load_project(slug, current_user)
    listed = members.list_members(project)
    activities = queries.latest_project_activity(project, OVERVIEW_ACTIVITY)
    page = render_template(
        "projects/overview.html", project=project, active_tab="overview",
        perms=permissions(current_user, project), members=listed,
        history=services.status_history(project, 5), activities=activities,
        details=queries.overview_details(project),
        panels=panels_for("workspace", current_user, project),
    )
    members.note_overview_visit(current_user, project, listed,
                                activities[0].created_at if activities else None)
    return page


@bp.route("/projects/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    project = services.load_project(slug, current_user, "project.manage")
    form = _project_form(project)
    if form.validate_on_submit():
        try:
            services.update_project(current_user, project, form.to_input())
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("The project settings have been saved."), "success")
            return redirect(url_for("projects.overview", slug=project.slug))
    return _settings_page(project, form, _status_form(project))


def _status_form(project) -> StatusForm:
    form = StatusForm(prefix="status")
    form.set_choices(services.next_statuses(project))
    return form


def _settings_page(project, form, status_form):
    failed = bool(form.errors or form.form_errors or status_form.errors)
    return render_template(
        "projects/settings.html", form=form, project=project, status_form=status_form,
        history=services.status_history(project), active_tab="settings",
    ), 400 if failed else 200


@bp.route("/projects/<slug>/status", methods=["POST"])
@login_required
def change_status(slug: str):
    project = services.load_project(slug, current_user, "project.manage")
    status_form = _status_form(project)
    if status_form.validate_on_submit():
        try:
            services.change_status(current_user, project, status_form.status.data,
                                   status_form.reason.data)
        except ValidationError as error:
            apply_error(status_form, error)
        else:
            flash(_("The project is now %(status)s.", status=project.status_label), "success")
            return redirect(url_for("projects.overview", slug=project.slug))
    form = _project_form(project)
    form.fill_from(project)
    form.set_choices(services.museum_choices(current_user, project.lead_organisation_id),
                     services.organisation_choices())
    return _settings_page(project, form, status_form)


@bp.route("/projects/<slug>/activity")
@login_required
def activity(slug: str):
    project = services.load_project(slug, current_user)
    page = queries.project_activity(project, request.args.get("page"), request.args.get("per_page"))
    response = render_template("projects/activity.html", project=project, page=page,
                               active_tab="activity")
    members.mark_visited(current_user, project)
    return response
