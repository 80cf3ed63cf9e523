"""JSON API for projects (/api/v1/projects...): my projects, one project, its members.

Same policy as the pages: 401 when not signed in, 404 for non-members, JSON errors throughout.
"""
from flask import jsonify, url_for
from flask_login import current_user

from ..api import bp
from ..core.time import isoformat_utc
from . import members, queries, services


def _signed_in_user():
    """The caller (the API blueprint has already answered 401 without a session)."""
    return current_user


def project_json(project, *, role: str | None = None, unread: int | None = None) -> dict:
    data = {
        "slug": project.slug,
        "title": project.title,
        "summary": project.summary,
        "status": project.status,
        "areas": project.area_keys,
        "technologies": project.technology_tags,
        "lead_organisation": ({"name": project.lead_organisation.name,
                               "slug": project.lead_organisation.slug,
                               "country": project.lead_organisation.country}
                              if project.lead_organisation else None),
        "partners": [{"name": p.organisation.name, "slug": p.organisation.slug, "role": p.role}
                     for p in project.partners],
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "last_activity_at": isoformat_utc(project.last_activity_at),
        "url": url_for("projects.overview", slug=project.slug),
    }
    if role is not None:
        data["role"] = role
    if unread is not None:
        data["unread"] = unread
    return data


@bp.get("/projects")
def api_my_projects():
    board = queries.dashboard_for(_signed_in_user(), with_details=True)
    return jsonify(projects=[project_json(row.project, role=row.role, unread=row.unread)
                             for row in board.rows])


@bp.get("/projects/<slug>")
def api_project(slug: str):
    return jsonify(project_json(services.load_project(slug, _signed_in_user())))


@bp.get("/projects/<slug>/members")
def api_project_members(slug: str):
    project = services.load_project(slug, _signed_in_user())
    return jsonify(members=[
        {"user_id": m.user_id, "name": m.user.name, "role": m.role,
         "joined_at": isoformat_utc(m.joined_at)}
        for m in members.list_members(project)
    ])
