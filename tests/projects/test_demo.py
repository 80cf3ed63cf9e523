"""The demo projects load on top of the demo organisations, idempotently."""
from sqlalchemy import func, select

from app.extensions import db
from app.projects import demo
from app.projects.models import Project, ProjectMember, ProjectStatusChange


def test_demo_projects_load_once_with_anna_leading_two(app):
    from app.orgs import demo as orgs_demo

    orgs_demo.load_demo()
    assert "8 projects created" in demo.load_demo()
    assert "already there" in demo.load_demo()
    assert db.session.execute(select(func.count()).select_from(Project)).scalar_one() == 8
    statuses = set(db.session.execute(select(Project.status)).scalars())
    assert statuses == {"planning", "active", "completed"}
    anna_leads = db.session.execute(
        select(func.count()).select_from(ProjectMember).join(ProjectMember.user)
        .where(ProjectMember.role == "lead")
        .where(ProjectMember.user.has(email=demo.ANNA))).scalar_one()
    assert anna_leads >= 2
    roles = set(db.session.execute(select(ProjectMember.role)).scalars())
    assert roles == {"lead", "member", "observer"}
    assert db.session.execute(select(ProjectStatusChange).where(
        ProjectStatusChange.reason != "")).first() is not None
