"""Translated versions of published case studies: the public page of a version, and the form
where the lead or a curator adds, edits or removes one. Thin views over translations.py."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import ValidationError
from ..core.forms import apply_error
from ..policy import permissions
from . import attachments, bp, queries, translations
from .discovery import page_metadata
from .forms import TranslationForm
from .vocabulary import LICENSE_URLS, LICENSES


@bp.route("/archive/<slug>/in/<language>")
def case_study_in(slug: str, language: str):
    item = queries.get_public(slug, language=language[:5])
    return render_template(
        "archive/case_study.html", item=item, similar=queries.similar_to(slug),
        meta=page_metadata(item),
        documents=attachments.published_documents(item.snapshot), licenses=LICENSES,
        license_urls=LICENSE_URLS, perms=permissions(current_user),
        versions=queries.version_links(item))


@bp.route("/archive/<slug>/translate", methods=["GET", "POST"])
@login_required
def translate(slug: str):
    case_study = translations.load_translatable(current_user, slug)
    original = translations.original_language(case_study)
    form = TranslationForm(original_language=original)
    status = 200
    if request.method == "POST":
        try:
            saved = translations.save_translation(current_user, case_study, form.language.data,
                                                  form.to_input())
        except ValidationError as error:
            apply_error(form, error)
            status = error.status
        else:
            flash(_("The translation has been saved and published."), "success")
            return redirect(url_for("archive.case_study_in", slug=slug, language=saved.language))
    else:
        existing = translations.translation_of(case_study, request.args.get("language", "")[:5])
        if existing is not None:
            form.fill_from(existing)
    return render_template("archive/translate.html", case_study=case_study, form=form,
                           existing=translations.translations_of([case_study.id]).get(case_study.id, []),
                           original=original), status


@bp.route("/archive/<slug>/translations/<language>/delete", methods=["POST"])
@login_required
def delete_translation(slug: str, language: str):
    case_study = translations.load_translatable(current_user, slug)
    translations.delete_translation(current_user, case_study, language)
    flash(_("The translation has been removed."), "info")
    return redirect(url_for("archive.translate", slug=slug))
