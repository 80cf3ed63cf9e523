"""The administrators' editor of the footer's pages."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from ..core.forms import Form


class SitePageForm(Form):
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=50_000)],
                         description=_l("Headings, lists and links are allowed. Leave empty to "
                                        "show the English text."))
