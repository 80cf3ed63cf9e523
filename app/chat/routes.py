"""Chat pages: the chat room of a workspace (the conversation itself flows over Socket.IO)."""
from flask import jsonify, render_template
from flask_login import current_user, login_required

from ..policy import permissions
from ..projects.services import load_project
from .services import load_chat_project, unread_count_for
from . import bp


@bp.route("/projects/<slug>/chat")
@login_required
def room(slug: str):
    project = load_project(slug, current_user, "project.view")
    return render_template("chat/room.html", project=project, active_tab="chat",
                           perms=permissions(current_user, project))


@bp.route("/projects/<slug>/chat/unread")
@login_required
def unread(slug: str):
    """The unread count for the Chat tab badge (static/js/chatbadge.js)."""
    project = load_chat_project(slug, current_user, "project.view")
    return jsonify(unread=unread_count_for(current_user, project))
