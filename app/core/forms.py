"""Glue between domain errors and WTForms: show a service's refusal next to its field."""
from flask import flash

from .errors import DomainError


def apply_error(form, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)
        flash(error.message, "error")
