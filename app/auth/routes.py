"""Account pages: /auth/register, /auth/login, /auth/logout (POST), /auth/password, profiles."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from ..core.errors import ValidationError
from ..core.forms import apply_error
from ..core.urls import safe_next
from ..extensions import limiter
from . import bp, services, sessions, signin_limit
from .forms import ChangePasswordForm, LoginForm, ProfileForm, RegisterForm


def _safe_next(default: str) -> str:
    return safe_next(request.args.get("next") or request.form.get("next"), default)


@bp.route("/auth/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("projects.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(form.email.data, form.name.data, form.password.data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            sessions.start_session(user, request.user_agent.string)
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(_safe_next(url_for("main.start")))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("projects.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        address = get_remote_address()
        if not signin_limit.may_try(form.email.data, address):
            abort(429)
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            signin_limit.record_failure(form.email.data, address)
        else:
            sessions.start_session(user, request.user_agent.string)
            login_user(user, remember=form.remember.data)
            flash(_("Signed in. Welcome back, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(url_for("projects.dashboard")))
        form.password.errors.append(_("The email or password is not correct."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/auth/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.end_current_session(current_user)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/auth/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            # Every session ends, this one too (a copy of its cookie may be what leaked); this
            # browser goes on in a new one.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") \
                in request.cookies
            sessions.end_all_sessions(current_user)
            sessions.start_session(current_user, request.user_agent.string)
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("Your password has been changed. Every other device has been signed out."),
                  "success")
            return redirect(url_for("auth.profile", user_id=current_user.id))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.route("/users/<id:user_id>")
@login_required
def profile(user_id: int):
    user = services.get_user(user_id)
    return render_template("auth/profile.html", user=user)


@bp.route("/auth/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, name=form.name.data, bio=form.bio.data,
                                    locale=form.locale.data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("auth.profile", user_id=current_user.id))
    return render_template("auth/edit_profile.html", form=form), 400 if form.errors else 200
