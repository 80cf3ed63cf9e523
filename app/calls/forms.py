"""The managers' call editor: one form for create and edit. Fields stay strings so typed text
comes back as typed when the service refuses it; the service does the checking."""
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField, \
    widgets

from ..core.i18n import LANGUAGE_LABELS, LANGUAGE_NAMES, language_choices
from ..orgs.models import MUSEUM_SIZES, ORG_KINDS
from ..projects.areas import area_choices

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
TEXT_FIELDS = ("title", "description", "faq")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):  # the service names unknown choices, translated
        pass


class CallForm(FlaskForm):
    slug = StringField(_l("Web address"), description=_l("Lower-case letters, digits and hyphens, as "
                                                     "in digital-pilots-2027."))
    language = SelectField(_l("Main language"), description=_l(
        "Title and description are required in this language; the others fall back to it."))
    # title_<code>, description_<code>, faq_<code> for every interface language: added below
    timezone = StringField(_l("Time zone"), description=_l("Opening and closing are entered "
                                                           "in this zone, e.g. Europe/Brussels."))
    opens = StringField(_l("Opens"), render_kw={"type": "datetime-local"})
    closes = StringField(_l("Closes"), render_kw={"type": "datetime-local"})
    budget_eur = StringField(_l("Total budget (EUR)"), render_kw={"inputmode": "numeric"})
    max_grant_eur = StringField(_l("Maximum grant per project (EUR)"),
                                render_kw={"inputmode": "numeric"})
    countries = TextAreaField(_l("Eligible countries"), render_kw={"rows": 3},
                              description=_l("Two-letter country codes separated by spaces, "
                                             "e.g. IT FR DE."))
    lead_kinds = MultiCheckboxField(_l("Kinds of lead organisation"))
    museum_sizes = MultiCheckboxField(_l("Museum sizes"))
    min_partners = StringField(_l("At least this many partners"),
                               render_kw={"inputmode": "numeric"})
    partner_kinds = MultiCheckboxField(_l("Kinds of partner that count"))
    areas = MultiCheckboxField(_l("Application areas"))
    criteria = TextAreaField(_l("Evaluation criteria"), render_kw={"rows": 4},
                             description=_l("One a line, “Title | weight”; weights add up "
                                            "to 100. Each is scored from 0 to 5."))
    threshold = StringField(_l("Minimum score (weighted, out of 5)"),
                            render_kw={"inputmode": "decimal"})
    evaluators_per_application = StringField(_l("Evaluators per application"),
                                             render_kw={"inputmode": "numeric"})
    applications_per_lead = StringField(_l("Applications one lead organisation may submit"),
                                        render_kw={"inputmode": "numeric"})
    declarations = TextAreaField(_l("Declarations"), render_kw={"rows": 3}, description=_l(
        "One statement a line; applicants tick each before submitting."))
    max_per_country = StringField(_l("At most this many selected pilots per country"),
                                  render_kw={"inputmode": "numeric"},
                                  description=_l("Leave empty for no limit."))
    min_small_share = StringField(_l("Share of selected pilots led by small museums"),
                                  render_kw={"inputmode": "decimal"},
                                  description=_l("From 0 to 1: 0.5 means at least half; leave "
                                                 "empty for none."))
    two_stage = BooleanField(_l("Second stage for the applications selected in the first"))
    results = TextAreaField(_l("Results (shown once the call is past)"), render_kw={"rows": 4},
                            description=_l("Formatting: **bold**, *italic*, - lists, [links](https://…)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shipped = current_app.config["LANGUAGES"]
        #: the languages a call's texts can be written in: the shipped interface languages
        self.text_languages = [code for code in LANGUAGE_NAMES if code in shipped]
        for code in LANGUAGE_NAMES:
            if code not in shipped:
                for name in TEXT_FIELDS:
                    del self[f"{name}_{code}"]
        self.language.choices = [SelectChoice(code, name, render_kw={"lang": code})
                                 for code, name in language_choices(shipped).items()]
        self.lead_kinds.choices = [(k, str(v)) for k, v in ORG_KINDS.items()]
        self.partner_kinds.choices = [(k, str(v)) for k, v in ORG_KINDS.items()]
        self.museum_sizes.choices = [(k, str(v)) for k, v in MUSEUM_SIZES.items()]
        self.areas.choices = area_choices()

    def to_input(self) -> dict:
        locales = current_app.config["LANGUAGES"]
        data = {name: getattr(self, name).data for name in (
            "slug", "language", "timezone", "opens", "closes", "budget_eur", "max_grant_eur",
            "countries", "lead_kinds", "museum_sizes", "min_partners", "partner_kinds", "areas",
            "criteria", "threshold", "evaluators_per_application", "two_stage", "results",
            "applications_per_lead", "declarations", "max_per_country", "min_small_share")}
        data["texts"] = {locale: {field: getattr(self, f"{field}_{locale}", None) and
                                  getattr(self, f"{field}_{locale}").data
                                  for field in TEXT_FIELDS}
                         for locale in locales}
        return data

    def fill(self, values: dict, call=None) -> None:
        """Prefill from a call (edit) or from the programme's defaults (new)."""
        for name in ("slug", "language", "timezone", "lead_kinds", "museum_sizes",
                     "partner_kinds", "areas", "two_stage", "results"):
            if name in values:
                getattr(self, name).data = values[name]
        self.countries.data = " ".join(values.get("countries", []))
        self.criteria.data = "\n".join(f"{c[0]} | {c[1]}" for c in values.get("criteria", []))
        self.declarations.data = "\n".join(values.get("declarations") or [])
        for name in ("min_partners", "threshold", "evaluators_per_application",
                     "applications_per_lead", "max_per_country", "min_small_share"):
            if values.get(name) is not None:
                getattr(self, name).data = f"{values[name]:g}" if isinstance(
                    values[name], float) else str(values[name])
        for locale, texts in (values.get("texts") or {}).items():
            for field, text in texts.items():
                if getattr(self, f"{field}_{locale}", None) is not None:
                    getattr(self, f"{field}_{locale}").data = text
        if call is not None:
            zone = ZoneInfo(call.timezone)
            for name, moment in (("opens", call.opens_at), ("closes", call.closes_at)):
                getattr(self, name).data = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(
                    zone).strftime(LOCAL_FORMAT)
            self.budget_eur.data = str(call.budget_eur)
            self.max_grant_eur.data = str(call.max_grant_eur)


for _code in LANGUAGE_NAMES:
    _language = LANGUAGE_LABELS[_code]
    setattr(CallForm, f"title_{_code}", StringField(_l("Title (%(language)s)", language=_language)))
    setattr(CallForm, f"description_{_code}", TextAreaField(
        _l("Description (%(language)s)", language=_language), render_kw={"rows": 8}))
    setattr(CallForm, f"faq_{_code}", TextAreaField(
        _l("Questions and answers (%(language)s)", language=_language),
        render_kw={"rows": 5}))


def values_of(call) -> dict:
    """A call's stored values in the editor's shape."""
    return {name: getattr(call, name) for name in (
        "slug", "language", "timezone", "texts", "countries", "lead_kinds", "museum_sizes",
        "min_partners", "partner_kinds", "areas", "threshold", "evaluators_per_application",
        "two_stage", "results", "applications_per_lead", "declarations", "max_per_country",
        "min_small_share")} | {"criteria": [(c.title, c.weight) for c in call.criteria]}
