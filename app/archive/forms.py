"""Case study forms: the editor (fields + one textarea per section), attachments, review."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from ..core.forms import Form
from wtforms import (HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField,
                     widgets)
from wtforms.validators import Length, Optional

from ..projects.areas import area_choices
from .technologies import editable_name
from .vocabulary import IMPACT_FIGURES, LANGUAGES, LICENSES, SECTIONS


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CoverForm(Form):
    """The cover: one of the workspace's images, and what it shows for who cannot see it."""
    cover_file = SelectField(_l("Cover image"), validate_choice=False)
    cover_alt = StringField(_l("Description of the image (alt text)"),
                            description=_l("What the image shows, in one sentence, for people "
                                           "who cannot see it. Required with an image."),
                            render_kw={"maxlength": 300})

    def fill(self, case_study, images, saved: bool) -> None:
        self.cover_file.choices = [("", str(_l("No cover: a drawing for the area")))] + [
            (str(item.id), item.name) for item in images]
        if saved:
            self.cover_file.data = str(case_study.cover_file_id or "")
            self.cover_alt.data = case_study.cover_alt


class CaseStudyForm(Form):
    base_revision = HiddenField()
    title = StringField(_l("Title"), validators=[Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=600)],
                            description=_l("At most 600 characters: what you did and what it "
                                           "changed, for someone deciding whether to read on."),
                            render_kw={"rows": 4, "maxlength": 600})
    language = SelectField(_l("Language of the text"))
    year = StringField(_l("Year completed"), validators=[Optional()],
                       render_kw={"inputmode": "numeric"})
    areas = MultiCheckboxField(_l("Application areas"))
    technologies = StringField(_l("Technologies"),
                               description=_l("Comma-separated, e.g. photogrammetry, IIIF"))
    budget_eur = StringField(_l("Total budget (EUR)"), render_kw={"inputmode": "numeric"})
    license = SelectField(_l("Licence of reusable outputs"))
    contact = StringField(_l("Contact"), description=_l("A name and an e-mail or web address."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [(k, str(v)) for k, v in LANGUAGES.items()]
        self.license.choices = [(k, v) for k, v in LICENSES.items()]
        self.areas.choices = area_choices()

    def to_input(self) -> dict:
        return {
            "title": self.title.data, "summary": self.summary.data,
            "language": self.language.data, "year": self.year.data,
            "areas": self.areas.data or [], "technologies": self.technologies.data or "",
            "budget_eur": self.budget_eur.data, "license": self.license.data,
            "contact": self.contact.data,
            "impact": {key: getattr(self, f"impact_{key}").data for key in IMPACT_FIGURES},
            "sections": {key: getattr(self, f"section_{key}").data for key in SECTIONS},
        }

    def fill_from(self, case_study) -> None:
        self.base_revision.data = case_study.current_revision_id
        for name in ("title", "summary", "language", "year", "budget_eur", "license",
                     "contact"):
            value = getattr(case_study, name)
            getattr(self, name).data = "" if value is None else value
        self.areas.data = list(case_study.areas or [])
        lang = str(get_locale() or "en")
        self.technologies.data = ", ".join(editable_name(value, lang)
                                           for value in case_study.technologies or [])
        for key in IMPACT_FIGURES:
            getattr(self, f"impact_{key}").data = (case_study.impact or {}).get(key, "")
        for key in SECTIONS:
            getattr(self, f"section_{key}").data = (case_study.sections or {}).get(key, "")

    def section_fields(self):
        return [getattr(self, f"section_{key}") for key in SECTIONS]

    def impact_fields(self):
        return [getattr(self, f"impact_{key}") for key in IMPACT_FIGURES]


for _key, (_label, _prompt) in SECTIONS.items():
    setattr(CaseStudyForm, f"section_{_key}",
            TextAreaField(_label, description=_prompt, render_kw={"rows": 6}))
for _key, _label in IMPACT_FIGURES.items():
    setattr(CaseStudyForm, f"impact_{_key}",
            StringField(_label, render_kw={"inputmode": "numeric"}))


class ReviewForm(Form):
    comment = TextAreaField(_l("Comment for the authors"), render_kw={"rows": 5},
                            description=_l("Required when returning the case study."))


class TranslationForm(Form):
    """A translated version of a published case study: language, title, summary, sections."""

    language = SelectField(_l("Language of the translation"))
    title = StringField(_l("Title"), validators=[Length(max=200)],
                        render_kw={"maxlength": 200})
    summary = TextAreaField(_l("Summary"), validators=[Length(max=600)],
                            render_kw={"rows": 4, "maxlength": 600})

    def __init__(self, *args, original_language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [(k, str(v)) for k, v in LANGUAGES.items()
                                 if k != original_language]

    def to_input(self) -> dict:
        return {"title": self.title.data, "summary": self.summary.data,
                "sections": {key: getattr(self, f"section_{key}").data for key in SECTIONS}}

    def fill_from(self, translation) -> None:
        self.language.data = translation.language
        self.title.data = translation.title
        self.summary.data = translation.summary
        for key in SECTIONS:
            getattr(self, f"section_{key}").data = (translation.sections or {}).get(key, "")

    def section_fields(self):
        return [getattr(self, f"section_{key}") for key in SECTIONS]


for _key, (_label, _prompt) in SECTIONS.items():
    setattr(TranslationForm, f"section_{_key}", TextAreaField(_label, render_kw={"rows": 5}))
