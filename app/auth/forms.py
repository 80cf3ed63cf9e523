"""Forms for accounts. Field-level checks here; rules that touch the database live in services."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from ..core.forms import Form
from ..core.i18n import language_choices
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional


def strip(value):
    return value.strip() if isinstance(value, str) else value


class RegisterForm(Form):
    name = StringField(_l("Your name"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), filters=[strip], validators=[
        DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             description=_l("At least 10 characters, not your email."))
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))])


class LoginForm(Form):
    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Remember me on this device"))


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))])


class ProfileForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    bio = TextAreaField(_l("Short bio"), validators=[Optional(), Length(max=1000)])
    locale = SelectField(_l("Language"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # each language by its own name, marked as that language (lang="de" on "Deutsch")
        self.locale.choices = [SelectChoice("", _l("Use my browser's language"))] + [
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in language_choices(current_app.config["LANGUAGES"]).items()]
