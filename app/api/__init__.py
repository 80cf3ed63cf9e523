"""The versioned JSON API (/api/v1/...). Feature modules add their endpoints to `bp`.

Every endpoint needs a session (401 with a JSON error without one) unless its view is marked
`@public_endpoint` (the archive's open data): one check here, so a new endpoint cannot forget it.
"""
from flask import Blueprint, abort, current_app, request
from flask_login import current_user

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def public_endpoint(view):
    """Mark an API view as open to anonymous callers."""
    view.api_public = True
    return view


@bp.before_request
def _require_session():
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and not getattr(view, "api_public", False) \
            and not current_user.is_authenticated:
        abort(401)
