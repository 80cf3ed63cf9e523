"""Notifications: the in-app list, unread badge, preferences, live delivery and email digest."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)

from . import models, routes  # noqa: E402,F401


def register(app) -> None:
    from ..core.templating import HEADER_BADGE_PROVIDERS
    from .cli import notifications_cli
    from .receivers import connect_receivers
    from .routes import header_badge

    if header_badge not in HEADER_BADGE_PROVIDERS:
        HEADER_BADGE_PROVIDERS.append(header_badge)
    connect_receivers()
    app.cli.add_command(notifications_cli)
