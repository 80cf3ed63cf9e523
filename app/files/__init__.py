"""Files in a workspace: uploads checked by content, thumbnails, PDF text, versions, downloads."""
from flask import Blueprint

bp = Blueprint("files", __name__)

from . import api, models, routes  # noqa: E402,F401


def register(app) -> None:
    from .cli import files_cli

    app.jinja_env.filters["filesize"] = human_size
    app.cli.add_command(files_cli)


def human_size(size) -> str:
    """A byte count for people: 532 B, 14.2 KB, 3.1 MB (binary units, one decimal); the units
    are the reader's (French writes Ko, Mo, Go)."""
    from flask_babel import format_decimal
    from flask_babel import lazy_gettext as _l

    units = (("B", _l("%(size)s B")), ("KB", _l("%(size)s KB")), ("MB", _l("%(size)s MB")),
             ("GB", _l("%(size)s GB")))
    if size is None:
        return ""
    value = float(size)
    for unit, label in units:
        if value < 1024 or unit == "GB":
            shown = format_decimal(round(value, 1 if unit != "B" else 0))
            return str(label) % {"size": shown}
        value /= 1024
    return str(size)
