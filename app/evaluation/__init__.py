"""Evaluation of a call's applications and the balanced selection (issue 14): evaluators,
conflicts, assignment, scores, consensus, and the selection solved as an integer program
(`selection.py`, docs/selection.md). Adds `propose` to the `calls` command group."""
from flask import Blueprint

bp = Blueprint("evaluation", __name__)

from . import evaluator_routes, models, results_routes, routes  # noqa: E402,F401


def register(app) -> None:
    from ..core.pagecache import watch_models
    from ..core.panels import register_panel
    from .cli import register_commands
    from .models import SelectionDecision
    from .panels import decision_panel

    register_commands()
    register_panel(app, "application", "evaluation/_decision_panel.html", decision_panel)
    watch_models(app, "calls", SelectionDecision)  # published results show on the call pages
