"""The organisation form. Field shapes here; the rules (country list, museum size, website,
tags) are checked once in `services.validate_organisation`."""
from flask_babel import lazy_gettext as _l
from ..core.forms import Form
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..core.countries import country_choices
from .models import MUSEUM_SIZES, ORG_KINDS
from .services import OrganisationInput


def strip(value):
    return value.strip() if isinstance(value, str) else value


class OrganisationForm(Form):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    city = StringField(_l("City"), filters=[strip], validators=[Optional(), Length(max=120)])
    size = SelectField(_l("Size (museums only)"), validators=[Optional()],
                       description=_l("Required for museums; leave empty for other organisations."))
    website = StringField(_l("Website"), filters=[strip], validators=[Optional(), Length(max=300)],
                          description=_l("For example https://www.example.org"))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    expertise = StringField(_l("Expertise"), filters=[strip], validators=[Optional()],
                            description=_l("Comma-separated tags, e.g. 3d scanning, AR, "
                                           "audience research"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose = SelectChoice("", _l("Choose…"))
        self.kind.choices = [choose] + [SelectChoice(k, v) for k, v in ORG_KINDS.items()]
        self.country.choices = [choose] + [SelectChoice(k, v) for k, v in country_choices()]
        self.size.choices = [SelectChoice("", _l("Not a museum"))] + [
            SelectChoice(k, v) for k, v in MUSEUM_SIZES.items()]

    def to_input(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name.data or "", kind=self.kind.data or "", country=self.country.data or "",
            city=self.city.data or "", size=self.size.data or None, website=self.website.data or "",
            description=self.description.data or "", expertise=self.expertise.data or "",
        )
