"""Forms for projects and members. Field checks here; rules that need the database in services."""
import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField, EmailField, FieldList, FormField, HiddenField, SelectField,
    SelectMultipleField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.forms import Form
from .areas import area_choices
from .models import ASSIGNABLE_ROLES, PROJECT_STATUSES, ROLES
from .partners import PartnerSearch
from .services import ProjectInput

PARTNER_ROWS = 3


def strip(value):
    return value.strip() if isinstance(value, str) else value


def _role_choices():
    return [(key, str(ROLES[key])) for key in ASSIGNABLE_ROLES]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PartnerForm(wtforms.Form):
    organisation_id = SelectField(_l("Partner organisation"), coerce=int, validators=[Optional()])
    role = StringField(_l("Their role in the project"), filters=[strip],
                       validators=[Optional(), Length(max=200)])


class ProjectForm(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Web address"), filters=[strip],
                       validators=[Optional(), Length(max=80)],
                       description=_l("Letters, digits and hyphens. Leave empty to derive it "
                                      "from the title."))
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)],
                            description=_l("Formatting: **bold**, *italic*, - lists, [links](https://…)."))
    lead_organisation_id = SelectField(_l("Lead organisation (museum)"), coerce=int,
                                       validators=[Optional()])
    partners = FieldList(FormField(PartnerForm), min_entries=PARTNER_ROWS)
    areas = MultiCheckboxField(_l("Application areas"), choices=[],
                               validators=[DataRequired(_l("Choose at least one area."))])
    technologies = StringField(_l("Technologies"), filters=[strip],
                               validators=[Optional(), Length(max=800)],
                               description=_l("Comma-separated, e.g. photogrammetry, WebXR."))
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas.choices = area_choices()  # translated per request, not at import

    def set_choices(self, museums, organisations):
        self.lead_organisation_id.choices = [(0, str(_l("— none —")))] + museums
        for entry in self.partners:
            entry.organisation_id.choices = [(0, str(_l("— none —")))] + organisations

    def fill_from(self, project):
        self.title.data, self.slug.data, self.summary.data = (
            project.title, project.slug, project.summary)
        self.lead_organisation_id.data = project.lead_organisation_id or 0
        self.areas.data = project.area_keys
        self.technologies.data = ", ".join(project.technology_tags)
        self.start_date.data, self.end_date.data = project.start_date, project.end_date
        while len(self.partners.entries):
            self.partners.pop_entry()
        for partner in project.partners:
            self.partners.append_entry({"organisation_id": partner.organisation_id,
                                        "role": partner.role})
        for _ in range(max(1, PARTNER_ROWS - len(project.partners))):
            self.partners.append_entry()

    def to_input(self) -> ProjectInput:
        return ProjectInput(
            title=self.title.data or "", slug=self.slug.data or "",
            summary=self.summary.data or "",
            lead_organisation_id=self.lead_organisation_id.data or None,
            partners=[(entry.organisation_id.data, entry.role.data or "")
                      for entry in self.partners if entry.organisation_id.data],
            areas=list(self.areas.data or []), technologies=self.technologies.data or "",
            start_date=self.start_date.data, end_date=self.end_date.data,
        )


class StatusForm(Form):
    status = SelectField(_l("New status"), choices=[])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)],
                           description=_l("Required when moving the project back."))

    def set_choices(self, statuses):
        self.status.choices = [(key, str(PROJECT_STATUSES[key])) for key in statuses]


class InviteMemberForm(Form):
    email = EmailField(_l("Email of a registered user"), filters=[strip],
                       validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=[], default="member")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()


class InvitationLinkForm(Form):
    link_role = SelectField(_l("Role for whoever uses the link"), choices=[], default="member")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.link_role.choices = _role_choices()


class RoleForm(Form):
    user_id = HiddenField(validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()


class PartnerSearchForm(Form):
    looking = wtforms.BooleanField(_l("This project is looking for partners"))
    needs = TextAreaField(_l("What the project needs from a partner"),
                          validators=[Optional(), Length(max=3000)],
                          description=_l("Skills, kind of organisation, time."))
    areas = MultiCheckboxField(_l("Areas where you need help"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas.choices = area_choices()

    def fill_from(self, project):
        self.looking.data = project.looking_for_partners
        self.needs.data = project.partner_needs
        self.areas.data = project.wanted_area_keys

    def to_input(self) -> PartnerSearch:
        return PartnerSearch(looking=bool(self.looking.data), needs=self.needs.data or "",
                             areas=list(self.areas.data or []))


class JoinRequestForm(Form):
    message = TextAreaField(_l("Your message to the project's lead"),
                            validators=[DataRequired(), Length(max=2000)],
                            description=_l("Who you are, your organisation, and what you "
                                           "would bring."))
