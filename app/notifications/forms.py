"""Notification preference form."""
from flask_babel import lazy_gettext as _l
from ..core.forms import Form
from wtforms import BooleanField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PreferencesForm(Form):
    kinds = MultiCheckboxField(_l("Notify me when"), validate_choice=True)
    email_digest = BooleanField(_l("Send me a daily email digest of unread notifications"))
