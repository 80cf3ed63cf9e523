"""Call pages: the public list and call page, the Atom feed, and the managers' editor.
Thin views: queries read, services decide, these translate."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import ValidationError
from ..core.forms import apply_error
from ..core.pagecache import public_page
from ..policy import authorize, permissions
from . import bp, feed, queries, services
from .forms import CallForm, values_of
from .validation import defaults
from .vocabulary import labels


@bp.context_processor
def call_labels():
    return labels()


@bp.route("/calls")
@public_page("calls", timeout=60)  # countdowns and states move with the clock
def index():
    return render_template("calls/index.html", calls=queries.list_calls(current_user),
                           perms=permissions(current_user), locale=str(get_locale()))


@bp.route("/calls/feed.atom")
@public_page("calls", timeout=60)
def atom():
    return Response(feed.calls_atom(queries.list_calls(None)),
                    mimetype="application/atom+xml")


@bp.route("/calls/<slug>")
@public_page("calls", timeout=60)
def call(slug: str):
    found = queries.get_call(slug, current_user)
    return render_template("calls/call.html", call=found, perms=permissions(current_user),
                           locale=str(get_locale()), accepting=queries.accepting(found),
                           local_moment=queries.local_moment)


def _editor(form, call=None, status=200):
    return render_template("calls/edit.html", form=form, call=call), status


@bp.route("/calls/new", methods=["GET", "POST"])
@login_required
def new():
    authorize(current_user, "call.manage")
    form = CallForm()
    if request.method == "GET":
        form.fill(defaults())
        return _editor(form)
    try:
        created = services.create_call(form.to_input(), by=current_user)
    except ValidationError as error:
        apply_error(form, error)
        return _editor(form, status=error.status)
    flash(_("The call has been saved as a draft."), "success")
    return redirect(url_for("calls.call", slug=created.slug))


@bp.route("/calls/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    found = queries.get_call(slug, current_user)
    authorize(current_user, "call.manage")
    form = CallForm()
    if request.method == "GET":
        form.fill(values_of(found), found)
        return _editor(form, found)
    try:
        services.update_call(found, form.to_input(), by=current_user)
    except ValidationError as error:
        apply_error(form, error)
        return _editor(form, found, error.status)
    flash(_("The call has been saved."), "success")
    return redirect(url_for("calls.call", slug=found.slug))


@bp.route("/calls/<slug>/status", methods=["POST"])
@login_required
def status(slug: str):
    found = queries.get_call(slug, current_user)
    services.change_status(found, request.form.get("status", ""), by=current_user)
    flash(_("The call is now %(status)s.", status=found.status_label), "success")
    return redirect(url_for("calls.call", slug=found.slug))
