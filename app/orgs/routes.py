"""Directory pages: /directory/, /orgs/<slug>, create, edit, join and leave. Thin views."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.countries import country_choices
from ..core.errors import ValidationError
from ..core.forms import apply_error
from ..policy import authorize, can
from . import bp, services
from .forms import OrganisationForm
from .models import ORG_KINDS


@bp.route("/directory/")
def directory():
    filters = services.DirectoryFilters.from_args(request.args)
    result = services.directory(filters, request.args.get("page", 1))
    return render_template("orgs/directory.html", filters=filters, result=result, kinds=ORG_KINDS,
                           countries=country_choices())


@bp.route("/orgs/<slug>")
def show(slug: str):
    org = services.get_organisation(slug)
    return render_template("orgs/show.html", org=org, is_member=services.is_member(current_user, org),
                           can_edit=can(current_user, "organisation.edit", org))


@bp.route("/orgs/new", methods=["GET", "POST"])
@login_required
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organisation(current_user, form.to_input())
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("%(name)s is now in the directory.", name=org.name), "success")
            return redirect(url_for("orgs.show", slug=org.slug))
    return render_template("orgs/form.html", form=form, org=None), 400 if form.errors else 200


@bp.route("/orgs/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    org = services.get_organisation(slug)
    authorize(current_user, "organisation.edit", org)
    form = OrganisationForm(obj=org)
    if request.method == "GET":
        form.expertise.data = ", ".join(org.expertise_tags)
        form.size.data = org.size or ""
    if form.validate_on_submit():
        try:
            services.update_organisation(current_user, org, form.to_input())
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("The organisation has been saved."), "success")
            return redirect(url_for("orgs.show", slug=org.slug))
    return render_template("orgs/form.html", form=form, org=org), 400 if form.errors else 200


@bp.route("/orgs/<slug>/join", methods=["POST"])
@login_required
def join(slug: str):
    org = services.get_organisation(slug)
    if services.join_organisation(current_user, org):
        flash(_("You are now a member of %(name)s.", name=org.name), "success")
    return redirect(url_for("orgs.show", slug=org.slug))


@bp.route("/orgs/<slug>/leave", methods=["POST"])
@login_required
def leave(slug: str):
    org = services.get_organisation(slug)
    if services.leave_organisation(current_user, org):
        flash(_("You have left %(name)s.", name=org.name), "info")
    return redirect(url_for("orgs.show", slug=org.slug))
