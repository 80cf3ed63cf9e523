"""Panels other features add to the signed-in person's dashboard, so the dashboard's feature
need not import them: a feature registers `(template, load)` at start-up from its
`register(app)`; the dashboard asks `panels_for(user)` and includes each template with what
`load(user)` returned (None: the panel is left out)."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION_KEY = "dashboard_panels"


@dataclass
class Panel:
    template: str
    data: object


def register_dashboard_panel(app: Flask, template: str, load: Callable[[object], object]) -> None:
    panels = app.extensions.setdefault(EXTENSION_KEY, {})
    panels[template] = load  # once per template, however often a feature registers


def panels_for(user) -> list[Panel]:
    panels = []
    for template, load in current_app.extensions.get(EXTENSION_KEY, {}).items():
        data = load(user)
        if data is not None:
            panels.append(Panel(template, data))
    return panels
