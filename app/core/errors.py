"""Domain errors and their one mapping to HTML pages, JSON (under /api/) and socket acks.

Services raise `DomainError` subclasses; doors (routes, api, events, cli) never build error
responses by hand. HTTP errors raised by Flask/Werkzeug get the same treatment.
"""
from flask import Flask, flash, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db


class DomainError(Exception):
    """A refusal a user can read. `status` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str | None = None, *, field: str | None = None):
        super().__init__(str(message or self.default_message))
        self.message = str(message or self.default_message)
        self.field = field

    default_message = _l("The request could not be processed.")

    def as_ack(self) -> dict:
        return {"ok": False, "error": self.message}


class ValidationError(DomainError):
    status = 400
    default_message = _l("Some of the input is not valid.")


class PermissionDenied(DomainError):
    status = 403
    default_message = _l("You do not have permission to do that.")


class NotFound(DomainError):
    status = 404
    default_message = _l("We could not find that page.")


class Conflict(DomainError):
    status = 409
    default_message = _l("Someone changed this in the meantime.")


class TooLarge(DomainError):
    status = 413
    default_message = _l("That is too large.")


class RateLimited(DomainError):
    """Not now: socket acks say `retry: true`, so clients try again after a back-off."""

    status = 429
    default_message = _l("Slow down: too many requests. Please wait a moment and try again.")

    def as_ack(self) -> dict:
        return {**super().as_ack(), "retry": True}


class Unavailable(DomainError):
    """Not now, but soon: the client should try again (socket acks say `retry: true`)."""

    status = 503
    default_message = _l("The server is busy. Trying again in a moment…")

    def as_ack(self) -> dict:
        return {**super().as_ack(), "retry": True}


TITLES = {
    400: _l("Bad request"),
    401: _l("Sign-in required"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Service unavailable"),
}

MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in first."),
    403: _l("You do not have permission to see this page."),
    404: _l("We could not find that page. It may have moved, or you may need to sign in."),
    405: _l("That action is not available here."),
    413: _l("The upload is larger than the allowed maximum."),
    429: _l("Too many attempts. Please wait a minute and try again."),
    500: _l("An unexpected error happened on our side. It has been logged."),
    503: _l("The service is temporarily unavailable."),
}


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz/")) or request.path in (
        "/healthz", "/metrics") or (
        request.accept_mimetypes.best == "application/json"
    )


def error_response(status: int, message: str | None = None):
    message = str(message or MESSAGES.get(status, TITLES.get(status, "Error")))
    if wants_json():
        return jsonify(error=message), status
    title = TITLES.get(status, _l("Error"))
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        return error_response(error.status, error.message)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        return error_response(400, _l("The form expired or was sent from elsewhere "
                                      "(missing or invalid security token). Reload the page "
                                      "and try again."))

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        if status == 413:
            limit = app.config["MAX_UPLOAD_MB"]
            return error_response(413, _l("The upload is larger than the allowed maximum "
                                          "of %(mb)s MB.", mb=limit))
        if status == 429:
            return error_response(429)
        custom = error.description if status == 400 and error.description and \
            not error.description.startswith("The browser (or proxy)") else None
        return error_response(status, custom)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        # a failed statement leaves PostgreSQL's transaction aborted: the error page (its
        # header badges read the database) must not fail on it too
        db.session.rollback()
        return error_response(500)


def flash_error(error: DomainError) -> None:
    flash(error.message, "error")
