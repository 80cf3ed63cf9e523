"""Directory pages (placeholder until the directory is built)."""
from flask import abort

from . import bp


@bp.route("/directory/")
def directory():
    abort(404)


@bp.route("/orgs/<slug>")
def show(slug: str):
    abort(404)
