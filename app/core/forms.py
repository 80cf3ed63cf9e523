"""Glue between domain errors and WTForms: the base `Form` (text checked like everywhere else)
and `apply_error`, which shows a service's refusal next to its field."""
from flask import flash
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField

from .errors import DomainError
from .text import text_problem


def apply_error(form, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)
        flash(error.message, "error")


class Form(FlaskForm):
    """The base of every form: each text field is refused (with an error beside it) when it
    holds control characters or invalid Unicode — the same `check_text` the services, the API
    and the socket events apply."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in _leaf_fields(self):
            values = field.data if isinstance(field.data, list) else [field.data]
            problems = [text_problem(value) for value in values if isinstance(value, str)]
            problem = next((p for p in problems if p), None)
            if problem:
                field.errors = list(field.errors) + [problem]
                valid = False
        return valid


def _leaf_fields(form):
    """Every field of `form`, looking inside FieldList entries and FormField sub-forms."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from _leaf_fields(entry.form) if isinstance(entry, FormField) else [entry]
        elif isinstance(field, FormField):
            yield from _leaf_fields(field.form)
        else:
            yield field
