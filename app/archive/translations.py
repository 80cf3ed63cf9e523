"""Translations of published case studies: the lead of the project or a curator adds a
translated title, summary and sections in another language; it is public at once beside the
original ("Read in: …"), indexed with it, and shown to readers whose language it is.

Write side (`save_translation`, `delete_translation`) validates, authorizes through the policy
(`archive.translate`), commits once with its search change-log row and applies it after the commit.
Read side (`translations_of`, `translated_snapshot`) is used by `queries.py`.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.errors import NotFound, PermissionDenied, ValidationError
from ..core.text import clean_text
from ..extensions import db
from ..policy import can
from ..search.services import enqueue_index_change
from .models import CaseStudy, CaseStudyTranslation
from .services import drain_index
from .validation import SUMMARY_MAX, TITLE_MAX, clean_sections
from .vocabulary import LANGUAGES


def load_translatable(user, slug) -> CaseStudy:
    """The published case study `slug`, when `user` may translate it."""
    case_study = db.session.execute(
        select(CaseStudy).where(CaseStudy.slug == str(slug)[:120],
                                CaseStudy.published_revision_id.is_not(None))
    ).scalar_one_or_none()
    if case_study is None:
        raise NotFound()
    if not can(user, "archive.translate", case_study):
        raise PermissionDenied(_("Only the project's lead or a curator may translate this "
                                 "case study."))
    return case_study


def original_language(case_study: CaseStudy) -> str:
    return (case_study.published_revision.snapshot.get("language") or "en") \
        if case_study.published_revision else case_study.language


def clean_translation(case_study: CaseStudy, language, data: dict) -> dict:
    """Validate a translation's fields; raise ValidationError naming the field."""
    language = str(language or "").strip().lower()
    if language not in LANGUAGES:
        raise ValidationError(_("Choose the language of the translation."), field="language")
    if language == original_language(case_study):
        raise ValidationError(_("The case study is written in this language already."),
                              field="language")
    title = clean_text(data.get("title"), field="title", max_length=TITLE_MAX, required=True,
                       empty=_("A title is required."),
                       too_long=_("The title is too long (at most %(n)d characters).",
                                  n=TITLE_MAX))
    summary = clean_text(data.get("summary"), field="summary", max_length=SUMMARY_MAX,
                         multiline=True, too_long=_(
                             "The summary is too long (at most %(n)d characters).",
                             n=SUMMARY_MAX))
    sections = clean_sections(data.get("sections"))
    return {"language": language, "title": title, "summary": summary, "sections": sections}


def save_translation(user, case_study: CaseStudy, language, data: dict) -> CaseStudyTranslation:
    """Add or replace the translation of `case_study` into `language`."""
    if not can(user, "archive.translate", case_study):
        raise PermissionDenied()
    cleaned = clean_translation(case_study, language, data)
    translation = translation_of(case_study, cleaned["language"])
    if translation is None:
        translation = CaseStudyTranslation(case_study_id=case_study.id,
                                           language=cleaned["language"])
        db.session.add(translation)
    translation.title = cleaned["title"]
    translation.summary = cleaned["summary"]
    translation.sections = cleaned["sections"]
    translation.translated_by_id = user.id
    enqueue_index_change(case_study, "upsert")
    db.session.commit()
    drain_index()
    return translation


def delete_translation(user, case_study: CaseStudy, language) -> None:
    if not can(user, "archive.translate", case_study):
        raise PermissionDenied()
    translation = translation_of(case_study, str(language or "")[:5])
    if translation is None:
        raise NotFound()
    db.session.delete(translation)
    enqueue_index_change(case_study, "upsert")
    db.session.commit()
    drain_index()


def translation_of(case_study: CaseStudy, language: str) -> CaseStudyTranslation | None:
    return db.session.execute(
        select(CaseStudyTranslation).where(CaseStudyTranslation.case_study_id == case_study.id,
                                           CaseStudyTranslation.language == language)
    ).scalar_one_or_none()


# ---------------------------------------------------------------- read side

def translations_of(case_study_ids, language: str | None = None) -> dict[int, list]:
    """{case study id: [translations]} for these ids (one language, or all), in ONE query."""
    ids = set(case_study_ids)
    if not ids:
        return {}
    statement = select(CaseStudyTranslation).where(CaseStudyTranslation.case_study_id.in_(ids))
    if language is not None:
        statement = statement.where(CaseStudyTranslation.language == language)
    found: dict[int, list] = {}
    for row in db.session.execute(statement.order_by(CaseStudyTranslation.language)).scalars():
        found.setdefault(row.case_study_id, []).append(row)
    return found


def translated_snapshot(snapshot: dict, translation: CaseStudyTranslation) -> dict:
    """The published snapshot as the translation reads: its language, title, summary and
    sections (untranslated sections are left out, not shown in another language)."""
    return dict(snapshot, language=translation.language, title=translation.title,
                summary=translation.summary, sections=dict(translation.sections or {}))
