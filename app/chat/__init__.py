"""Live chat in each workspace over Socket.IO: messages, history, presence, typing, unread counts."""
from flask import Blueprint

bp = Blueprint("chat", __name__)


from . import events, models, routes  # noqa: E402,F401
