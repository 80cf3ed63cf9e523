"""Threads and replies: tree order, edit history, deletion placeholders, lock, pin, resolve."""
import pytest

from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.discussion import services
from app.discussion.models import Post, PostEdit
from app.discussion.tree import MAX_INDENT, build_tree
from app.extensions import db

from .conftest import start_thread


def test_replies_form_a_tree_in_depth_first_order_oldest_first(team):
    thread = start_thread(team)
    a = services.reply(team.member, thread, None, "A")
    b = services.reply(team.lead, thread, None, "B")
    a1 = services.reply(team.lead, thread, a.id, "A1")
    a2 = services.reply(team.member, thread, a.id, "A2")
    a1x = services.reply(team.member, thread, a1.id, "A1x")
    view = services.load_thread_view(thread, team.member)
    assert [n.post.body for n in view.nodes] == ["A", "A1", "A1x", "A2", "B"]
    assert [n.depth for n in view.nodes] == [1, 2, 3, 2, 1]
    assert a1x.branch_id == a.id and b.branch_id == b.id and a2.depth == 2
    assert thread.reply_count == 5


def test_deep_replies_are_indented_up_to_a_limit_then_flattened(team):
    thread = start_thread(team)
    parent = None
    for n in range(MAX_INDENT + 3):
        parent = services.reply(team.member, thread, parent.id if parent else None, f"level {n}")
    nodes = services.load_thread_view(thread, team.member).nodes
    assert max(n.indent for n in nodes) == MAX_INDENT
    deepest = nodes[-1]
    assert deepest.flattened and deepest.parent.body == f"level {MAX_INDENT + 1}"


def test_build_tree_handles_a_thousand_deep_chain_without_recursion():
    class P:
        def __init__(self, i):
            self.id, self.parent_id, self.created_at = i, (i - 1) if i > 1 else 0, i
    nodes = build_tree([P(i) for i in range(1, 1001)], 0)
    assert len(nodes) == 1000 and nodes[-1].depth == 1000


def test_editing_keeps_the_previous_versions_visible_to_members(team, app):
    thread = start_thread(team, author=team.member, body="First words")
    post = services.opening_post(thread)
    services.edit_post(team.member, post, "Second words", "Better title")
    services.edit_post(team.member, post, "Second words", "Better title")  # no change, no entry
    history = services.post_history(team.observer, post)
    assert [(h.previous_body, h.previous_title) for h in history] == [
        ("First words", "Which scanner?")]
    assert post.body == "Second words" and thread.title == "Better title" and post.edited_at


def test_only_the_author_edits_a_post(team):
    thread = start_thread(team, author=team.member)
    post = services.opening_post(thread)
    with pytest.raises(PermissionDenied):
        services.edit_post(team.lead, post, "Hijacked")
    with pytest.raises(NotFound):
        services.edit_post(team.outsider, post, "Hijacked")
    assert db.session.get(Post, post.id).body == "Let us decide."


def test_deleting_a_post_keeps_its_replies_in_the_tree(team):
    thread = start_thread(team)
    a = services.reply(team.member, thread, None, "A")
    services.reply(team.lead, thread, a.id, "answer to A")
    services.delete_post(team.member, a)
    nodes = services.load_thread_view(thread, team.lead).nodes
    assert [(n.post.is_deleted, n.post.body) for n in nodes] == [(True, ""), (False, "answer to A")]
    assert thread.reply_count == 1
    with pytest.raises(ValidationError):
        services.reply(team.lead, thread, a.id, "to a deleted post")


def test_a_lead_may_delete_someone_elses_post_but_a_member_may_not(team):
    thread = start_thread(team)
    by_lead = services.reply(team.lead, thread, None, "lead's")
    with pytest.raises(PermissionDenied):
        services.delete_post(team.member, by_lead)
    by_member = services.reply(team.member, thread, None, "member's")
    services.delete_post(team.lead, by_member)
    assert by_member.is_deleted


def test_a_locked_thread_refuses_replies(team):
    thread = start_thread(team)
    services.set_locked(team.lead, thread, True)
    with pytest.raises(PermissionDenied, match="locked"):
        services.reply(team.member, thread, None, "Too late")
    services.set_locked(team.lead, thread, False)
    assert services.reply(team.member, thread, None, "Now it works").id


def test_only_leads_pin_lock_and_resolve(team):
    thread = start_thread(team)
    for action in (lambda u: services.set_pinned(u, thread, True),
                   lambda u: services.set_locked(u, thread, True),
                   lambda u: services.resolve(u, thread, None)):
        with pytest.raises(PermissionDenied):
            action(team.member)
        with pytest.raises(PermissionDenied):
            action(team.observer)


def test_resolving_marks_the_accepted_answer_and_shows_it_on_top(team):
    thread = start_thread(team)
    answers = [services.reply(team.member, thread, None, f"answer {n}") for n in range(25)]
    services.resolve(team.lead, thread, answers[-1].id)
    view = services.load_thread_view(thread, team.lead, page=1)
    assert view.resolved.id == answers[-1].id  # on page 2 of the tree, shown on page 1 anyway
    assert answers[-1].id not in [n.post.id for n in view.nodes]
    with pytest.raises(ValidationError):
        services.resolve(team.lead, thread, services.opening_post(thread).id)
    services.delete_post(team.member, answers[-1])
    assert thread.resolved_post_id is None


def test_threads_list_pinned_first_then_latest_activity(team):
    old = start_thread(team, title="Old")
    pinned = start_thread(team, title="Pinned")
    new = start_thread(team, title="New")
    services.reply(team.member, old, None, "bump")
    services.set_pinned(team.lead, pinned, True)
    listing = services.list_threads(team.project, team.member)
    assert [t.title for t in listing.page.items] == ["Pinned", "Old", "New"]
    assert listing.participants[old.id] == [(team.member.id, "Anna Bianchi"),
                                            (team.lead.id, "Lucia Rossi")]
    assert new.id in listing.unread


def test_unread_markers_follow_what_each_user_has_read(team):
    thread = start_thread(team)
    assert thread.id in services.list_threads(team.project, team.member).unread
    assert thread.id not in services.list_threads(team.project, team.lead).unread
    view = services.load_thread_view(thread, team.member)
    assert view.last_read_post_id == 0
    assert thread.id not in services.list_threads(team.project, team.member).unread
    reply = services.reply(team.lead, thread, None, "news")
    assert thread.id in services.list_threads(team.project, team.member).unread
    view = services.load_thread_view(thread, team.member)
    assert view.last_read_post_id < reply.id  # the reply is marked new on this visit


def test_validation_refuses_empty_and_oversized_input_without_writing(team):
    with pytest.raises(ValidationError):
        services.create_thread(team.lead, team.project, "  ", "body")
    with pytest.raises(ValidationError):
        services.create_thread(team.lead, team.project, "t", "x" * 20_001)
    with pytest.raises(ValidationError):
        services.create_thread(team.lead, team.project, "t", "body", category="gossip")
    with pytest.raises(PermissionDenied):
        services.create_thread(team.observer, team.project, "t", "body")
    assert db.session.query(Post).count() == 0 and db.session.query(PostEdit).count() == 0


def test_long_threads_are_paginated_by_top_level_branches(team):
    thread = start_thread(team)
    branches = [services.reply(team.member, thread, None, f"b{n}") for n in range(45)]
    services.reply(team.lead, thread, branches[30].id, "deep in page two")
    page2 = services.load_thread_view(thread, team.lead, page=2)
    bodies = [n.post.body for n in page2.nodes]
    assert bodies[0] == "b20" and "deep in page two" in bodies and page2.branches.pages == 3
    child = db.session.query(Post).filter_by(body="deep in page two").one()
    assert services.page_of_post(thread, child) == 2
