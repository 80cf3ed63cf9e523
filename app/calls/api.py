"""The calls' open API on `app.api.bp`, for other sites: the calls and one call. Public; a
draft appears only to a signed-in manager."""
from flask import jsonify, request, url_for
from flask_login import current_user

from ..api import bp, public_endpoint
from . import queries


def _json(call):
    return queries.public_json(call, request.args.get("lang"),
                               url_for("calls.call", slug=call.slug, _external=True))


@bp.route("/calls")
@public_endpoint
def calls():
    found = queries.list_calls(current_user)
    return jsonify(total=len(found), results=[_json(call) for call in found])


@bp.route("/calls/<slug>")
@public_endpoint
def call(slug: str):
    return jsonify(_json(queries.get_call(slug, current_user)))
