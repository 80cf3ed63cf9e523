"""Document pages under /projects/<slug>/documents/: tree, view, edit (merged into the shared text),
history, diff, old revisions and restore, rename/move/delete, and the deleted list for leads.

Thin views: load the workspace through `load_project`, call a service, render or redirect.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import TooLarge, ValidationError
from ..core.forms import apply_error
from ..policy import permissions
from ..projects.services import load_project
from . import bp, queries, services
from .diff import diff_rows
from .forms import (ConfirmForm, EditDocumentForm, MoveForm, NewDocumentForm, RenameForm,
                    parent_choices)

PREFIX = "/projects/<slug>/documents"


def _rights(project) -> dict:
    return {"perms": permissions(current_user, project)}


def _page(template: str, project, status: int = 200, **context):
    return render_template(f"documents/{template}", project=project, active_tab="documents",
                           **_rights(project), **context), status


def _to_document(project, document):
    return redirect(url_for("documents.view", slug=project.slug, doc_id=document.id))


@bp.route(f"{PREFIX}/")
@login_required
def index(slug):
    project = load_project(slug, current_user)
    return _page("index.html", project, tree=queries.document_tree(project))


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
@login_required
def new(slug):
    project = load_project(slug, current_user, "project.contribute")
    form = NewDocumentForm(parent=request.args.get("parent", ""))
    form.parent.choices = parent_choices(queries.document_tree(project))
    if form.validate_on_submit():
        try:
            document = services.create_document(
                current_user, project, title=form.title.data, body=form.body.data,
                parent_id=form.parent.data, is_folder=form.is_folder.data,
                summary=form.summary.data)
        except (ValidationError, TooLarge) as error:
            apply_error(form, error)
        else:
            flash(_("Document created."), "success")
            return _to_document(project, document)
    return _page("new.html", project, 400 if form.errors or form.form_errors else 200, form=form)


@bp.route(f"{PREFIX}/<id:doc_id>")
@login_required
def view(slug, doc_id):
    project = load_project(slug, current_user)
    document = queries.get_document(project, doc_id)
    return _page("view.html", project, document=document, revision=document.current_revision,
                 crumbs=queries.ancestors(document), children=queries.children_of(document))


@bp.route(f"{PREFIX}/<id:doc_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug, doc_id):
    project = load_project(slug, current_user, "project.contribute")
    document = queries.get_document(project, doc_id)
    form = EditDocumentForm()
    if request.method == "GET":
        form.title.data, form.body.data = document.title, document.body
        form.base_revision.data = str(document.revision_number)
    elif form.validate_on_submit():
        try:
            outcome = services.save_document(
                current_user, document, body=form.body.data, title=form.title.data,
                base_revision=form.base_revision.data, summary=form.summary.data,
                live=form.live.data == "1")
        except (ValidationError, TooLarge) as error:
            apply_error(form, error)
        else:
            _flash_outcome(outcome)
            return _to_document(project, document)
    return _page("edit.html", project, 400 if form.errors or form.form_errors else 200,
                 form=form, document=document)


def _flash_outcome(outcome) -> None:
    if outcome.revision is None:
        flash(_("Nothing changed, so no new revision was made."), "info")
    elif outcome.merged:
        flash(_("Someone saved this document while you were editing. Your changes did not "
                "overlap theirs, so both were merged into revision %(n)s.",
                n=outcome.revision.number), "success")
    else:
        flash(_("Saved as revision %(n)s.", n=outcome.revision.number), "success")


@bp.route(f"{PREFIX}/<id:doc_id>/history")
@login_required
def history(slug, doc_id):
    project = load_project(slug, current_user)
    document = queries.get_document(project, doc_id)
    page = queries.revision_page(document, request.args.get("page"), request.args.get("per_page"))
    return _page("history.html", project, document=document, page=page)


@bp.route(f"{PREFIX}/<id:doc_id>/diff")
@login_required
def diff(slug, doc_id):
    project = load_project(slug, current_user)
    document = queries.get_document(project, doc_id)
    old, new = queries.diff_pair(document, request.args.get("from"), request.args.get("to"))
    rows, stats = diff_rows(old.body, new.body)
    return _page("diff.html", project, document=document, old=old, new=new, rows=rows,
                 stats=stats)


@bp.route(f"{PREFIX}/<id:doc_id>/revisions/<id:number>")
@login_required
def revision(slug, doc_id, number):
    project = load_project(slug, current_user)
    document = queries.get_document(project, doc_id)
    return _page("revision.html", project, document=document,
                 revision=queries.get_revision(document, number), form=ConfirmForm())


@bp.route(f"{PREFIX}/<id:doc_id>/revisions/<id:number>/restore", methods=["POST"])
@login_required
def restore_revision(slug, doc_id, number):
    project = load_project(slug, current_user, "project.contribute")
    document = queries.get_document(project, doc_id)
    ConfirmForm().validate_on_submit() or _refuse_form()
    revision = services.restore_revision(current_user, document, number)
    if revision is None:
        flash(_("That revision is already the current text."), "info")
    else:
        flash(_("Revision %(old)s restored as revision %(new)s.", old=number,
                new=revision.number), "success")
    return _to_document(project, document)


def _refuse_form():
    raise ValidationError(_("The form expired. Reload the page and try again."))


@bp.route(f"{PREFIX}/<id:doc_id>/manage")
@login_required
def manage(slug, doc_id):
    project = load_project(slug, current_user, "project.contribute")
    document = queries.get_document(project, doc_id)
    return _manage_page(project, document)


def _manage_page(project, document, status=200, rename_form=None, move_form=None):
    rename_form = rename_form or RenameForm(title=document.title)
    move_form = move_form or MoveForm(parent=str(document.parent_id or ""))
    move_form.parent.choices = parent_choices(queries.document_tree(project), exclude=document)
    return _page("manage.html", project, status, document=document, rename_form=rename_form,
                 move_form=move_form, delete_form=ConfirmForm())


def _manage_form_action(slug, doc_id, form_class, form_name: str, apply, done: str):
    """Load, validate `form_class`, `apply(document, form)`; back to the manage page on errors."""
    project = load_project(slug, current_user, "project.contribute")
    document = queries.get_document(project, doc_id)
    form = form_class()
    if form.validate_on_submit():
        try:
            apply(document, form)
        except ValidationError as error:
            apply_error(form, error)
        else:
            flash(done, "success")
            return _to_document(project, document)
    return _manage_page(project, document, 400, **{form_name: form})


@bp.route(f"{PREFIX}/<id:doc_id>/rename", methods=["POST"])
@login_required
def rename(slug, doc_id):
    return _manage_form_action(
        slug, doc_id, RenameForm, "rename_form",
        lambda document, form: services.rename_document(current_user, document, form.title.data),
        _("Document renamed."))


@bp.route(f"{PREFIX}/<id:doc_id>/move", methods=["POST"])
@login_required
def move(slug, doc_id):
    return _manage_form_action(
        slug, doc_id, MoveForm, "move_form",
        lambda document, form: services.move_document(current_user, document, form.parent.data),
        _("Document moved."))


@bp.route(f"{PREFIX}/<id:doc_id>/delete", methods=["POST"])
@login_required
def delete(slug, doc_id):
    project = load_project(slug, current_user, "project.contribute")
    document = queries.get_document(project, doc_id)
    ConfirmForm().validate_on_submit() or _refuse_form()
    services.delete_document(current_user, document)
    flash(_("“%(title)s” was deleted. A project lead can restore it.", title=document.title),
          "success")
    return redirect(url_for("documents.index", slug=project.slug))


@bp.route(f"{PREFIX}/deleted")
@login_required
def deleted(slug):
    project = load_project(slug, current_user, "project.manage")
    return _page("deleted.html", project, documents=queries.deleted_documents(project),
                 form=ConfirmForm())


@bp.route(f"{PREFIX}/<id:doc_id>/restore", methods=["POST"])
@login_required
def restore(slug, doc_id):
    project = load_project(slug, current_user, "project.manage")
    document = queries.get_document(project, doc_id, deleted=True)
    ConfirmForm().validate_on_submit() or _refuse_form()
    services.restore_document(current_user, document)
    flash(_("“%(title)s” was restored.", title=document.title), "success")
    return _to_document(project, document)
