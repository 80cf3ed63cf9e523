"""Notification pages: /notifications/ (list), mark read, mark all read, preferences."""
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import ValidationError
from ..core.forms import apply_error
from . import bp, services
from .forms import PreferencesForm
from .models import KINDS


def header_badge() -> dict:
    if not current_user.is_authenticated:
        return {}
    return {"notifications": services.unread_count_for(current_user),
            "notifications_url": url_for("notifications.index")}


def _safe_target(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else url_for(
        "notifications.index")


@bp.route("/notifications/")
@login_required
def index():
    unread_only = request.args.get("filter") == "unread"
    page = services.list_for(current_user, request.args.get("page"), unread_only=unread_only)
    return render_template("notifications/index.html", page=page, unread_only=unread_only,
                           text_of=services.notification_text,
                           days=services.group_by_day_and_project(page.items))


@bp.route("/notifications/<id:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Follow a notification to its target, marking it read on the way."""
    notification = services.mark_read(current_user, notification_id)
    return redirect(_safe_target(notification.url))


@bp.route("/notifications/<id:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    services.mark_read(current_user, notification_id)
    back = {key: request.form[key] for key in ("page", "filter") if request.form.get(key)}
    return redirect(url_for("notifications.index", **back))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def mark_all_read():
    count = services.mark_all_read(current_user)
    flash(_("Marked %(n)d notifications as read.", n=count), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/read-group", methods=["POST"])
@login_required
def mark_group_read():
    """'Mark all read' of one group of the page: a project (or none) on one day."""
    project_id, day = _group_of(request.form.get("project", ""), request.form.get("day", ""))
    count = services.mark_group_read(current_user, project_id, day)
    flash(_("Marked %(n)d notifications as read.", n=count), "success")
    back = {key: request.form[key] for key in ("page", "filter") if request.form.get(key)}
    return redirect(url_for("notifications.index", **back))


def _group_of(project: str, day: str) -> tuple[int | None, date]:
    try:
        project_id = int(project) if project else None
        if project_id is not None and not 0 < project_id < 2**31:
            raise ValueError(project)
        return project_id, date.fromisoformat(day)
    except ValueError:
        raise ValidationError(_("This group of notifications does not exist.")) from None


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    current = services.preferences_for(current_user)
    form = PreferencesForm()
    form.kinds.choices = [(kind, services.KIND_LABELS[kind]()) for kind in KINDS]
    if request.method == "GET":
        form.kinds.data = [k for k in KINDS if k not in (current.disabled_kinds or [])]
        form.email_digest.data = current.email_digest
    if form.validate_on_submit():
        try:
            services.save_preferences(current_user, form.kinds.data, form.email_digest.data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("Your notification preferences are saved."), "success")
            return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form), \
        400 if form.errors else 200
