"""Home page, health check, and language switch."""
from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.services import set_locale, set_start_dismissed
from ..core import metrics
from ..core.i18n import LANG_COOKIE
from ..core.capacity import connection_stats
from ..core.pagecache import public_page
from ..core.fanout import fanout_stats
from ..core.subscription import is_listening
from ..core.forms import Form
from ..core.urls import safe_next
from ..extensions import csrf, socketio
from ..policy import authorize
from . import bp
from .health import check_health, readiness, search_index_lag


@bp.route("/")
@public_page()
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
    """The process answers and its database (and Redis) do, with this process's counters."""
    results = check_health()
    failed = {name: state for name, state in results.items() if state != "ok"}
    if failed:
        return jsonify(status="unavailable", failed=failed, checks=results), 503
    return jsonify(status="ok", checks=results, fanout=fanout_stats(socketio.server),
                   listening=is_listening(socketio.server),
                   connections=connection_stats(current_app))


@bp.route("/healthz/live")
@csrf.exempt
def liveness():
    """Liveness: the process answers (nothing else is asked: restart it only if it does not)."""
    return jsonify(status="alive")


@bp.route("/healthz/ready")
@bp.route("/readyz")  # the earlier name, kept for proxies already pointed at it
@csrf.exempt
def readiness_check():
    """Readiness: dependencies answer, the other processes are heard, there is room for
    connections and the search index is not too far behind (app/main/health.py)."""
    is_ready, report = readiness()
    return jsonify(report), 200 if is_ready else 503


@bp.route("/metrics")
def metrics_text():
    """Prometheus text of this process, for scrapers the policy admits (`metrics.read`)."""
    authorize(current_user, "metrics.read", metrics.scrape_request())
    body, content_type = metrics.exposition(connection_stats(current_app), search_index_lag())
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})


@bp.route("/language", methods=["POST"])
@csrf.exempt
def switch_language():
    """Switch the interface language: stored on the profile when signed in, else in a cookie.

    Anonymous, it only sets the cookie `?lang=` could set as well, so it needs no CSRF token
    (and the public pages carrying the switch hold none: they can be cached); signed in, it
    changes the profile, so the token is checked."""
    if current_user.is_authenticated and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    lang = request.form.get("lang", "")
    response = redirect(safe_next(request.form.get("next"), url_for("main.home")))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
        if current_user.is_authenticated:
            set_locale(current_user, lang)
    return response
