"""Member pages: the members list, invite by email, invitation links, roles, remove, leave.

`/invitations/<token>` is the page a newcomer opens from a link: it shows the project title and
an Accept button; someone not signed in is sent to register or sign in and comes back here.
"""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import DomainError, ValidationError
from ..core.forms import apply_error
from ..policy import permissions
from . import bp, members, services
from .forms import InvitationLinkForm, InviteMemberForm, RoleForm

NEW_LINK_KEY = "projects_new_invitation_link"


def _members_page(project, invite_form=None, link_form=None, status=200):
    new_link = session.pop(NEW_LINK_KEY, None)
    if new_link and new_link.get("project") != project.slug:
        new_link = None
    perms = permissions(current_user, project)
    return render_template(
        "projects/members.html", project=project, active_tab="members", perms=perms,
        members=members.list_members(project),
        invitations=members.pending_invitations(project) if perms.manage else [],
        invite_form=invite_form or InviteMemberForm(formdata=None),
        link_form=link_form or InvitationLinkForm(formdata=None), new_link=new_link,
        role_choices=RoleForm(formdata=None).role.choices,
    ), status


@bp.route("/projects/<slug>/members")
@login_required
def members_page(slug: str):
    return _members_page(services.load_project(slug, current_user))


@bp.route("/projects/<slug>/members/invite", methods=["POST"])
@login_required
def invite_member(slug: str):
    project = services.load_project(slug, current_user, "project.manage")
    form = InviteMemberForm()
    if form.validate_on_submit():
        try:
            membership = members.invite_by_email(current_user, project, form.email.data,
                                                 form.role.data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("%(name)s is now a member of the project.", name=membership.user.name),
                  "success")
            return redirect(url_for("projects.members_page", slug=slug))
    return _members_page(project, invite_form=form, status=400)


@bp.route("/projects/<slug>/members/links", methods=["POST"])
@login_required
def create_link(slug: str):
    project = services.load_project(slug, current_user, "project.manage")
    form = InvitationLinkForm()
    if form.validate_on_submit():
        invitation, token = members.create_invitation(current_user, project, form.link_role.data)
        session[NEW_LINK_KEY] = {
            "project": slug, "role": invitation.role_label,
            "url": url_for("projects.invitation", token=token, _external=True),
        }
        flash(_("Invitation link created. Copy it now: it is shown only once."), "success")
        return redirect(url_for("projects.members_page", slug=slug) + "#new-link")
    return _members_page(project, link_form=form, status=400)


@bp.route("/projects/<slug>/members/links/<id:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_link(slug: str, invitation_id: int):
    project = services.load_project(slug, current_user, "project.manage")
    members.revoke_invitation(current_user, project, invitation_id)
    flash(_("The invitation link has been withdrawn."), "success")
    return redirect(url_for("projects.members_page", slug=slug))


def _member_action(slug: str, action, message: str):
    project = services.load_project(slug, current_user, "project.manage")
    try:
        action(project)
    except ValidationError as error:
        flash(error.message, "error")
        return _members_page(project, status=400)
    flash(message, "success")
    return redirect(url_for("projects.members_page", slug=slug))


@bp.route("/projects/<slug>/members/<id:user_id>/role", methods=["POST"])
@login_required
def change_role(slug: str, user_id: int):
    role = request.form.get("role", "")
    return _member_action(
        slug, lambda project: members.change_role(current_user, project, user_id, role),
        _("The role has been changed."))


@bp.route("/projects/<slug>/members/<id:user_id>/remove", methods=["POST"])
@login_required
def remove_member(slug: str, user_id: int):
    return _member_action(
        slug, lambda project: members.remove_member(current_user, project, user_id),
        _("The member has been removed from the project."))


@bp.route("/projects/<slug>/members/<id:user_id>/make-lead", methods=["POST"])
@login_required
def make_lead(slug: str, user_id: int):
    return _member_action(
        slug, lambda project: members.transfer_lead(current_user, project, user_id),
        _("The lead has been handed over."))


@bp.route("/projects/<slug>/leave", methods=["POST"])
@login_required
def leave(slug: str):
    project = services.load_project(slug, current_user)
    try:
        members.leave_project(current_user, project)
    except ValidationError as error:
        flash(error.message, "error")
        return _members_page(project, status=400)
    flash(_("You have left %(title)s.", title=project.title), "success")
    return redirect(url_for("projects.dashboard"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    invite = members.find_invitation(token)
    problem = members.invitation_problem(invite)
    project = invite.project
    if problem:
        return render_template("projects/invitation.html", invitation=invite, project=project,
                               problem=problem), 410
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        try:
            project, joined = members.accept_invitation(current_user, token)
        except DomainError as error:
            return render_template("projects/invitation.html", invitation=invite,
                                   project=project, problem=error.message), error.status
        flash(_("Welcome to %(title)s!", title=project.title) if joined else
              _("You are already a member of %(title)s.", title=project.title), "success")
        return redirect(url_for("projects.overview", slug=project.slug))
    return render_template("projects/invitation.html", invitation=invite, project=project,
                           problem=None)
