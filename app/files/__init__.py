"""Files in a workspace: uploads checked by content, thumbnails, PDF text, versions, downloads."""
from flask import Blueprint

bp = Blueprint("files", __name__)

from . import api, models, routes  # noqa: E402,F401


def register(app) -> None:
    from .cli import files_cli

    app.jinja_env.filters["filesize"] = human_size
    app.cli.add_command(files_cli)


def human_size(size) -> str:
    """A byte count for people: 532 B, 14.2 KB, 3.1 MB (binary units, one decimal)."""
    from flask_babel import format_decimal

    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            shown = format_decimal(round(value, 1 if unit != "B" else 0))
            return f"{shown} {unit}"
        value /= 1024
    return str(size)
