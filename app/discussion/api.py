"""Discussion JSON API on /api/v1: what the pickers offer, members to @mention and the
documents and files to link with `[[…]]`."""
from flask import jsonify, request
from flask_login import current_user

from ..api import bp as api_bp
from ..projects.services import load_project
from . import services


@api_bp.route("/projects/<slug>/members/search", endpoint="discussion_member_search")
def member_search(slug):
    project = load_project(slug, current_user)
    members = services.search_members(current_user, project, request.args.get("q", ""))
    return jsonify(members=[
        {"id": user.id, "name": user.name, "initials": user.initials,
         "handle": f"@[{user.name}]"} for user in members
    ])


@api_bp.route("/projects/<slug>/linkables", endpoint="discussion_linkables")
def linkables(slug):
    project = load_project(slug, current_user)
    return jsonify(targets=services.search_link_targets(current_user, project,
                                                        request.args.get("q", "")))
