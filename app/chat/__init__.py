"""Live chat in each workspace over Socket.IO: messages, history, presence, typing, unread counts."""
from flask import Blueprint

bp = Blueprint("chat", __name__)


def register(app) -> None:
    from .services import unread_count_for

    @app.template_global("chat_unread_count")
    def chat_unread_count(project) -> int:
        from flask_login import current_user

        return unread_count_for(current_user, project)


from . import events, models, routes  # noqa: E402,F401
