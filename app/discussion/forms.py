"""Discussion forms: new thread, reply, edit. Validation of content lives in services."""
from flask_babel import lazy_gettext as _l
from ..core.forms import Form
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from .models import CATEGORIES

BODY_HINT = _l("Type @ to mention someone; use Link to point to a document or file.")


class ThreadForm(Form):
    title = StringField(_l("Title"))
    category = SelectField(_l("Category"), validate_choice=False)
    body = TextAreaField(_l("Message"), description=BODY_HINT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("No category"))] + list(CATEGORIES.items())


class ReplyForm(Form):
    parent_id = HiddenField()
    body = TextAreaField(_l("Your reply"), description=BODY_HINT)


class EditPostForm(Form):
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Message"), description=BODY_HINT)
