"""The versioned JSON API (/api/v1/...). Feature modules add their endpoints to `bp`."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
