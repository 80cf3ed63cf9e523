"""Account pages about sign-in sessions: /auth/sessions (device, last seen, sign out one or all
others) and, for administrators, disabling an account. Thin views over `sessions`/`services`."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from . import bp, services, sessions


@bp.route("/auth/sessions")
@login_required
def sessions_page():
    return render_template("auth/sessions.html", sessions=sessions.sessions_of(current_user),
                           current_id=current_user.auth_session.id,
                           device_label=sessions.device_label)


@bp.route("/auth/sessions/<id:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    was_current = session_id == current_user.auth_session.id
    sessions.end_session(current_user, session_id)
    if was_current:
        logout_user()
        flash(_("You are signed out."), "info")
        return redirect(url_for("main.home"))
    flash(_("That device has been signed out."), "success")
    return redirect(url_for("auth.sessions_page"))


@bp.route("/auth/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    count = sessions.end_other_sessions(current_user)
    flash(_("Signed out everywhere else (%(n)d sessions).", n=count) if count
          else _("You were not signed in anywhere else."), "success")
    return redirect(url_for("auth.sessions_page"))


@bp.route("/users/<id:user_id>/disable", methods=["POST"])
@login_required
def disable_account(user_id: int):
    user = services.get_user(user_id)
    if services.set_account_active(current_user, user, False):
        flash(_("%(name)s's account is disabled and every session of it has ended.",
                name=user.name), "success")
    return redirect(url_for("auth.profile", user_id=user.id))


@bp.route("/users/<id:user_id>/enable", methods=["POST"])
@login_required
def enable_account(user_id: int):
    user = services.get_user(user_id)
    if services.set_account_active(current_user, user, True):
        flash(_("%(name)s's account is enabled again.", name=user.name), "success")
    return redirect(url_for("auth.profile", user_id=user.id))
