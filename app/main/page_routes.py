"""The footer's pages: /about/privacy, /about/imprint, /about/accessibility, their editor for
administrators, and the footer's language links for people who are not signed in."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import ValidationError
from ..core.forms import apply_error
from ..core.i18n import LANG_COOKIE
from ..core.urls import safe_next
from ..policy import authorize
from . import bp, site_pages
from .forms import SitePageForm

PAGE_KEYS = "any(privacy, imprint, accessibility)"


@bp.route(f"/about/<{PAGE_KEYS}:key>")
def site_page(key: str):
    """The same bytes for every anonymous reader of one language (cacheable)."""
    text = site_pages.page_text(key, str(get_locale() or "en"))
    return render_template("main/site_page.html", page=text)


@bp.route(f"/about/<{PAGE_KEYS}:key>/edit", methods=["GET", "POST"])
@login_required
def edit_site_page(key: str):
    authorize(current_user, "site.admin")
    language = request.args.get("language", "en")
    form = SitePageForm()
    if request.method == "GET":
        form.body.data = site_pages.stored_body(key, language)
    if form.validate_on_submit():
        try:
            site_pages.save_page(current_user, key, language, form.body.data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(_("The page is saved."), "success")
            return redirect(url_for("main.site_page", key=key))
    return render_template("main/edit_site_page.html", form=form, key=key, language=language,
                           title=str(site_pages.SITE_PAGES[key])), 400 if form.errors else 200


@bp.route("/language/<lang>")
def language_link(lang: str):
    """The footer's language links for people not signed in: no form, so anonymous pages
    carry no per-visitor token. Only the cookie changes; a profile's language is changed by
    the form (with its token), which the footer shows to signed-in people."""
    response = redirect(safe_next(request.args.get("next"), url_for("main.home")))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
