"""Directory pages: /directory/, /orgs/<slug>, create and edit. Thin views. Joining, answering
requests and verification: `member_routes.py`."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.countries import country_choices
from ..core.errors import ValidationError
from ..core.forms import apply_error
from ..core.pagecache import public_page
from ..policy import authorize, can
from . import bp, members, services
from .forms import OrganisationForm
from .models import ORG_KINDS


@bp.route("/directory/")
@public_page("directory", timeout=300)  # people's names change elsewhere: kept 5 minutes at most
def directory():
    filters = services.DirectoryFilters.from_args(request.args)
    result = services.directory(filters, request.args.get("page", 1))
    return render_template("orgs/directory.html", filters=filters, result=result, kinds=ORG_KINDS,
                           countries=country_choices())


@bp.route("/orgs/<slug>")
@public_page("directory", timeout=300)
def show(slug: str):
    org = services.get_organisation(slug)
    return render_template("orgs/show.html", org=org,
                           membership=members.membership_of(current_user, org),
                           can_edit=can(current_user, "organisation.edit", org),
                           can_manage=can(current_user, "organisation.manage_members", org))


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
            flash(_("%(name)s is now in the directory. A site administrator will verify it; until "
                    "then you cannot edit it or act on its behalf.", name=org.name), "success")
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


def verification_badge() -> dict:
    """Site administrators see how many organisations wait for verification in the header."""
    if not can(current_user, "organisation.verify"):
        return {}
    from .verification import queue_size

    return {"verification": queue_size()}
