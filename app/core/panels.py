"""Panels one feature adds to another feature's page without that feature importing it (as
`dashboard.py` does for the dashboard): a feature registers `(place, template, load)` at
start-up from its `register(app)`; the page asks `panels_for(place, *args)` and includes each
template with what `load(*args)` returned (None: left out).

Places: "workspace" (a project's overview; args: user, project) and "application" (an
application's page; args: user, application)."""
from collections.abc import Callable

from flask import Flask, current_app

from .dashboard import Panel

EXTENSION_KEY = "page_panels"


def register_panel(app: Flask, place: str, template: str, load: Callable[..., object]) -> None:
    panels = app.extensions.setdefault(EXTENSION_KEY, {}).setdefault(place, {})
    panels[template] = load  # once per template, however often a feature registers


def panels_for(place: str, *args) -> list[Panel]:
    panels = []
    for template, load in current_app.extensions.get(EXTENSION_KEY, {}).get(place, {}).items():
        data = load(*args)
        if data is not None:
            panels.append(Panel(template, data))
    return panels
