"""Who hears about a new post: mentioned members, the parent's author, the thread's subscribers.

Everything here runs inside the caller's transaction (nothing commits); the caller commits and
then calls `app.notifications.services.deliver` with what these functions returned.
"""
from sqlalchemy import select

from ..extensions import db
from ..notifications.services import notify
from ..projects.models import ProjectMember
from .markup import MentionDirectory, project_member_users, scan
from .models import MUTED, SUBSCRIBED, ThreadSubscription


def post_url(project, thread_id: int, post_id: int) -> str:
    return f"/projects/{project.slug}/discussion/{thread_id}/posts/{post_id}"


def _member_ids(project, user_ids) -> set[int]:
    if not user_ids:
        return set()
    return set(db.session.execute(
        select(ProjectMember.user_id).where(ProjectMember.project_id == project.id,
                                            ProjectMember.user_id.in_(set(user_ids)))
    ).scalars())


def _subscriptions(thread_id: int) -> dict[int, str]:
    return dict(db.session.execute(
        select(ThreadSubscription.user_id, ThreadSubscription.state)
        .where(ThreadSubscription.thread_id == thread_id)
    ).all())


def mentioned_member_ids(project, body: str, previous_body: str = "") -> set[int]:
    """Members mentioned in `body` and not already in `previous_body` (only members resolve)."""
    if not scan(body)[2]:
        return set()
    directory = MentionDirectory(project_member_users(project))
    before = {u.id for u in directory.mentioned_users(previous_body)} if previous_body else set()
    return {u.id for u in directory.mentioned_users(body)} - before


def notify_new_thread(project, thread, post, actor) -> list:
    url = post_url(project, thread.id, post.id)
    mentioned = mentioned_member_ids(project, post.body)
    created = notify(mentioned, "mention", project=project, actor=actor, subject=thread.title,
                     url=url)
    everyone = set(db.session.execute(
        select(ProjectMember.user_id).where(ProjectMember.project_id == project.id)
    ).scalars())
    created += notify(everyone - mentioned, "new_thread", project=project, actor=actor,
                      subject=thread.title, url=url)
    return created


def notify_reply(project, thread, post, parent, actor) -> list:
    url = post_url(project, thread.id, post.id)
    mentioned = mentioned_member_ids(project, post.body)
    created = notify(mentioned, "mention", project=project, actor=actor, subject=thread.title,
                     url=url)
    states = _subscriptions(thread.id)
    muted = {user_id for user_id, state in states.items() if state == MUTED}
    told = set(mentioned) | {actor.id}
    parent_author = {parent.author_id} if parent is not None and parent.author_id else set()
    parent_author = _member_ids(project, parent_author - muted - told)
    created += notify(parent_author, "reply", project=project, actor=actor,
                      subject=thread.title, url=url, verb="reply_to_post")
    told |= parent_author
    followers = {user_id for user_id, state in states.items() if state == SUBSCRIBED} - told
    created += notify(_member_ids(project, followers), "reply", project=project, actor=actor,
                      subject=thread.title, url=url, verb="reply_in_thread")
    return created


def notify_edit_mentions(project, thread, post, actor, previous_body: str) -> list:
    """An edit that adds a mention tells the newly mentioned members (and nobody twice)."""
    mentioned = mentioned_member_ids(project, post.body, previous_body)
    return notify(mentioned, "mention", project=project, actor=actor, subject=thread.title,
                  url=post_url(project, thread.id, post.id))
