"""Membership and verification doors: ask to join, leave or withdraw, answer requests, name
administrators (/orgs/<slug>/...), and the site administrators' verification queue
(/orgs/verification). Thin views over `members` and `verification`."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import ValidationError, flash_error
from ..policy import authorize
from . import bp, members, services, verification


def _back(org):
    """Back to the page the form was on: the verification queue or the organisation."""
    if request.form.get("back") == "queue":
        return redirect(url_for("orgs.verification_queue"))
    return redirect(url_for("orgs.show", slug=org.slug))


@bp.route("/orgs/<slug>/join", methods=["POST"])
@login_required
def join(slug: str):
    org = services.get_organisation(slug)
    if members.request_membership(current_user, org):
        flash(_("Your request to join %(name)s has been sent. You will be notified when it is "
                "answered.", name=org.name), "success")
    return _back(org)


@bp.route("/orgs/<slug>/leave", methods=["POST"])
@login_required
def leave(slug: str):
    org = services.get_organisation(slug)
    left = members.leave_organisation(current_user, org)
    if left == "pending":
        flash(_("Your request to join %(name)s has been withdrawn.", name=org.name), "info")
    elif left:
        flash(_("You have left %(name)s.", name=org.name), "info")
    return _back(org)


@bp.route("/orgs/<slug>/requests/<id:user_id>/<any(approve, decline):answer>", methods=["POST"])
@login_required
def answer_request(slug: str, user_id: int, answer: str):
    org = services.get_organisation(slug)
    try:
        row = members.decide_request(current_user, org, user_id, approve=answer == "approve")
    except ValidationError as error:
        flash_error(error)
    else:
        flash(_("%(name)s is now a member.", name=row.user.name) if answer == "approve"
              else _("The request of %(name)s has been declined.", name=row.user.name), "success")
    return _back(org)


@bp.route("/orgs/<slug>/members/<id:user_id>/<any('make-admin', 'remove-admin'):change>",
          methods=["POST"])
@login_required
def change_admin(slug: str, user_id: int, change: str):
    org = services.get_organisation(slug)
    try:
        row = members.set_admin(current_user, org, user_id, make_admin=change == "make-admin")
    except ValidationError as error:
        flash_error(error)
    else:
        flash(_("%(name)s is now an administrator of %(org)s.", name=row.user.name, org=org.name)
              if row.is_admin else _("%(name)s is no longer an administrator.", name=row.user.name),
              "success")
    return _back(org)


@bp.route("/orgs/verification")
@login_required
def verification_queue():
    authorize(current_user, "organisation.verify")
    return render_template("orgs/verification.html", claims=verification.organisation_queue(),
                           requests=verification.unanswered_requests())


@bp.route("/orgs/<slug>/<any('verify', 'decline-verification'):decision>", methods=["POST"])
@login_required
def decide_verification(slug: str, decision: str):
    org = services.get_organisation(slug)
    try:
        if decision == "verify":
            verification.verify_organisation(current_user, org,
                                             checked_otherwise=bool(request.form.get("checked")))
            flash(_("%(name)s is verified.", name=org.name), "success")
        else:
            verification.decline_organisation(current_user, org)
            flash(_("%(name)s has not been verified.", name=org.name), "info")
    except ValidationError as error:
        flash_error(error)
    return _back(org)
