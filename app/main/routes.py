"""Home page, health check, and language switch."""
from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.services import set_locale, set_start_dismissed
from ..core.i18n import LANG_COOKIE
from ..core.capacity import connection_stats, ready
from ..core.fanout import fanout_stats
from ..core.subscription import is_listening
from ..core.forms import Form
from ..core.urls import safe_next
from ..extensions import csrf, socketio
from . import bp
from .health import check_health


@bp.route("/")
def home():
    return render_template("main/home.html")


@bp.route("/start")
@login_required
def start():
    """First steps: where registering leads, and the menu until the person puts it away."""
    # imported here: `main` is imported first, before the features whose models it reads
    from .start import start_page_for

    return render_template("main/start.html", start=start_page_for(current_user), form=Form())


@bp.route("/start/dismiss", methods=["POST"])
@login_required
def dismiss_start():
    if Form().validate_on_submit():
        set_start_dismissed(current_user, True)
        flash(_("The start page is put away. You find it again under your profile."), "success")
    return redirect(url_for("projects.dashboard"))


@bp.route("/healthz")
@csrf.exempt
def healthz():
    """Liveness: the process answers and its database (and Redis) do."""
    results = check_health()
    failed = {name: state for name, state in results.items() if state != "ok"}
    if failed:
        return jsonify(status="unavailable", failed=failed, checks=results), 503
    return jsonify(status="ok", checks=results, fanout=fanout_stats(socketio.server),
                   listening=is_listening(socketio.server),
                   connections=connection_stats(current_app))


@bp.route("/readyz")
@csrf.exempt
def readyz():
    """Readiness: healthy, hearing the other processes, and with room for new connections."""
    results = check_health()
    connections = connection_stats(current_app)
    listening = is_listening(socketio.server)
    is_ready = all(state == "ok" for state in results.values()) and listening and ready(connections)
    return jsonify(status="ready" if is_ready else "not ready", checks=results,
                   listening=listening, connections=connections), 200 if is_ready else 503


@bp.route("/language", methods=["POST"])
def switch_language():
    """Switch the interface language: stored on the profile when signed in, else in a cookie."""
    lang = request.form.get("lang", "")
    response = redirect(safe_next(request.form.get("next"), url_for("main.home")))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
        if current_user.is_authenticated:
            set_locale(current_user, lang)
    return response
