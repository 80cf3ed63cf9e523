"""The site's own pages linked from every footer: privacy notice, imprint and contact,
accessibility statement (the EU Web Accessibility Directive asks public-sector sites for one).

Administrators write each page in Markdown, per language; a reader gets their language, else
English, else a short note that the page is not written yet. Rendered by the one renderer
(`core/markdown.py`) in the template, like every other user text.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import NotFound, ValidationError
from ..core.text import clean_text
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize
from .models import SitePage

SITE_PAGES = {
    "privacy": _l("Privacy notice"),
    "imprint": _l("Imprint and contact"),
    "accessibility": _l("Accessibility statement"),
}
MAX_BODY = 50_000


@dataclass
class PageText:
    key: str
    title: str
    body: str
    language: str  # the language the body is in ("" when not written yet)


def _check(key: str, language: str | None = None) -> None:
    if key not in SITE_PAGES:
        raise NotFound()
    if language is not None and language not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("Unknown language."), field="language")


def page_text(key: str, locale: str) -> PageText:
    """The page in `locale`, else in English (one statement)."""
    _check(key)
    rows = {row.language: row for row in db.session.execute(
        select(SitePage).where(SitePage.key == key, SitePage.language.in_({locale, "en"}))
    ).scalars() if row.body.strip()}
    row = rows.get(locale) or rows.get("en")
    return PageText(key, str(SITE_PAGES[key]), row.body if row else "",
                    row.language if row else "")


def stored_body(key: str, language: str) -> str:
    """What is stored for exactly this language (the editor's starting point)."""
    _check(key, language)
    row = db.session.get(SitePage, (key, language))
    return row.body if row else ""


def save_page(user, key: str, language: str, body: str) -> SitePage:
    authorize(user, "site.admin")
    _check(key, language)
    body = clean_text(body, field="body", max_length=MAX_BODY, multiline=True,
                      too_long=_("The text is too long (50,000 characters at most)."))
    row = db.session.get(SitePage, (key, language)) or SitePage(key=key, language=language)
    row.body, row.updated_at, row.updated_by_id = body, utcnow(), user.id
    db.session.add(row)
    db.session.commit()
    return row
