"""A thread with 1,000 posts loads its tree in a bounded number of SQL statements."""
import time
from contextlib import contextmanager

from sqlalchemy import event

from app.core.time import utcnow
from app.discussion import services
from app.discussion.models import Post, Thread
from app.extensions import db

from ..conftest import client_for
from .conftest import start_thread


@contextmanager
def count_statements():
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _grow_thread(team, thread: Thread, replies: int, branches: int) -> None:
    """Add `replies` posts in bulk: `branches` top-level ones, the rest nested under them."""
    opening = services.opening_post(thread)
    authors = [team.lead.id, team.member.id]
    now = utcnow()
    tops = []
    for n in range(branches):
        post = Post(thread_id=thread.id, parent_id=opening.id, depth=1, created_at=now,
                    author_id=authors[n % 2], body=f"Top {n} @[Anna Bianchi] [[Plan]]")
        db.session.add(post)
        tops.append(post)
    db.session.flush()
    for post in tops:
        post.branch_id = post.id
    parents = list(tops)
    for n in range(replies - branches):
        parent = parents[n % len(parents)]
        child = Post(thread_id=thread.id, parent_id=parent.id, branch_id=parent.branch_id,
                     depth=parent.depth + 1, created_at=now, author_id=authors[n % 2],
                     body=f"Reply {n} to @lucia")
        db.session.add(child)
        if n % 3 == 0:
            db.session.flush()
            parents.append(child)
    thread.reply_count = replies
    db.session.commit()


def _statements_for_thread_page(app, team, thread) -> int:
    client = client_for(app, team.member)
    started = time.perf_counter()
    with count_statements() as statements:
        response = client.get(f"/projects/{team.project.slug}/discussion/{thread.id}")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    print(f"\n{thread.title}: {len(statements)} statements, {elapsed * 1000:.0f} ms, "
          f"{len(response.data) // 1024} KiB")
    return len(statements)


def test_a_thousand_post_thread_loads_in_a_bounded_number_of_statements(app, team):
    small = start_thread(team, title="Small")
    _grow_thread(team, small, replies=10, branches=5)
    big = start_thread(team, title="Big")
    _grow_thread(team, big, replies=1000, branches=5)  # all 1,000 posts on page one
    db.session.expire_all()

    with count_statements() as statements:
        view = services.load_thread_view(big, team.lead)  # unread news: marks read, commits
    assert len(view.nodes) == 1000
    service_count = len(statements)
    # first visits (each marks the thread read and commits), then a repeat visit
    small_page, big_page, big_again = (_statements_for_thread_page(app, team, t)
                                       for t in (small, big, big))
    print(f"\nthread view service: {service_count} statements for 1,000 posts; full page: "
          f"{small_page} (10 posts), {big_page} (1,000 posts), {big_again} (1,000, re-read)")
    assert service_count <= 16
    # the page's own header and tabs (other features' badges) add a few; the size adds none
    assert big_page == small_page and big_page <= 40 and big_again <= big_page
