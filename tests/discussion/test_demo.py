"""The demo loader writes believable discussions once, on whatever projects exist."""
from sqlalchemy import select

from app.discussion import services
from app.discussion.demo import load_demo
from app.discussion.models import Thread
from app.extensions import db
from app.notifications.models import Notification

from ..factories import make_project, make_user


def test_demo_discussions_are_loaded_once_with_decisions_mentions_and_a_resolution(app):
    lead, member, other = make_user("Anna Bianchi"), make_user("Kadri Tamm"), make_user("Giulia R")
    project = make_project(lead=lead, members={"member": [member, other]})
    make_project(members={"observer": [member]})  # nobody may post there: skipped
    assert "5 threads" in load_demo()
    assert "0 threads" in load_demo()
    threads = db.session.execute(select(Thread).where(Thread.project_id == project.id)
                                 ).scalars().all()
    assert {t.category for t in threads} >= {"decision", "question", "meeting", "idea"}
    resolved = [t for t in threads if t.resolved_post_id]
    assert len(resolved) == 1 and any(t.pinned and t.locked for t in threads)
    view = services.load_thread_view(resolved[0], lead)
    assert max(node.depth for node in view.nodes) >= 3
    assert "/users/" in "".join(view.html.values())
    welcome = next(t for t in threads if t.pinned)
    rendered = "".join(services.load_thread_view(welcome, lead).html.values())
    assert "type @" in rendered and "Link button" in rendered
    assert "@[" not in rendered and "[[" not in rendered  # no syntax to learn, no stray brackets
    assert db.session.execute(select(Notification).where(
        Notification.user_id == lead.id, Notification.kind == "mention")).first()
