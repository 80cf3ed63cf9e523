"""The pilots of the programme (issue 14, part 2): each selected application becomes a pilot
with its own workspace (`workspaces.py`), a grant paid in instalments (`grants.py`), a mentor
and a mentoring log (`mentoring.py`). Publishing a call's decisions starts them; the archive's
publish signal makes a pilot's last instalment due."""
from flask import Blueprint

bp = Blueprint("pilots", __name__)


def register(app) -> None:
    from flask_babel import lazy_gettext as _l

    from ..core.panels import register_panel
    from ..core.signals import case_study_published
    from ..projects.queries import TARGET_ENDPOINTS, VERB_PHRASES
    from .grants import case_study_published_receiver
    from .queries import workspace_panel

    case_study_published.connect(case_study_published_receiver, weak=False)
    VERB_PHRASES["mentoring.logged"] = _l("wrote in the mentoring log about the meeting of")
    TARGET_ENDPOINTS["mentoring"] = ("pilots.mentoring_log", None)
    register_panel(app, "workspace", "pilots/_workspace_panel.html", workspace_panel)


from . import models, routes  # noqa: E402,F401
