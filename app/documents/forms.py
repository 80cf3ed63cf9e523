"""Forms for documents. Field-level checks only; the services validate again and decide."""
from flask_babel import lazy_gettext as _l
from ..core.forms import Form
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .models import SUMMARY_MAX, TITLE_MAX

SUMMARY_HINT = _l("Optional: a few words on what changed, shown in the history.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def parent_choices(tree, *, exclude=None, top_label=None) -> list[tuple[str, str]]:
    """Options for a parent select: the tree indented, without `exclude` and its sub-pages."""
    choices = [("", str(top_label or _l("— Top level —")))]
    skipping_depth = None
    for document, depth in tree:
        if skipping_depth is not None and depth > skipping_depth:
            continue
        skipping_depth = None
        if exclude is not None and document.id == exclude.id:
            skipping_depth = depth
            continue
        choices.append((str(document.id), "\u2003" * depth + document.title))
    return choices


class NewDocumentForm(Form):
    title = StringField(_l("Title"), filters=[strip],
                        validators=[DataRequired(), Length(max=TITLE_MAX)])
    parent = SelectField(_l("Inside"), choices=[], validate_choice=False, validators=[Optional()])
    is_folder = BooleanField(_l("This is a folder (a page that mainly groups other pages)"))
    body = TextAreaField(_l("Text"), validators=[Optional()])
    summary = StringField(_l("Summary of this version"), filters=[strip], description=SUMMARY_HINT,
                          validators=[Optional(), Length(max=SUMMARY_MAX)])


class EditDocumentForm(Form):
    title = StringField(_l("Title"), filters=[strip],
                        validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[Optional()])
    summary = StringField(_l("Summary of this change"), filters=[strip], description=SUMMARY_HINT,
                          validators=[Optional(), Length(max=SUMMARY_MAX)])
    base_revision = HiddenField(validators=[DataRequired()])
    #: "1" when the live co-editor ran on the page: the text is already in the shared state,
    #: so the save takes the title and summary and cuts a revision, and leaves the text alone
    live = HiddenField()


class RenameForm(Form):
    title = StringField(_l("New title"), filters=[strip],
                        validators=[DataRequired(), Length(max=TITLE_MAX)])


class MoveForm(Form):
    parent = SelectField(_l("Move inside"), choices=[], validate_choice=False,
                         validators=[Optional()])


class ConfirmForm(Form):
    """A button-only form (delete, restore): CSRF protection and nothing else."""
