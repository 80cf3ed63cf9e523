"""Security headers on every response (CSP without inline scripts or external origins, and
more), and the text check of what arrives outside forms: the URL (path and query) and JSON
bodies. Form fields are checked beside the field by `app.core.forms.Form`, socket payloads by
the chat's event wrapper; all with the one `app.core.text.check_text`."""
from flask import Flask, request

from .text import check_payload

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def register(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters_outside_forms():
        check_payload(request.view_args or {})
        check_payload(list(request.args.items(multi=True)))
        if request.is_json:
            check_payload(request.get_json(silent=True))

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
