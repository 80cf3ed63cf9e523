"""Discussion services: threads, replies as a tree, edits with history, deletion placeholders,
pin/lock/resolve, subscriptions, read marks, and the page loader for a thread.

Each write validates first, authorizes through `app.policy`, commits once, and then delivers the
notifications it created (after the commit, never before).
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..core.errors import NotFound, PermissionDenied, ValidationError
from ..core.pagination import Page, clamp_int, paginate
from ..core.text import clean_text
from ..core.urls import MAX_ID
from ..core.time import utcnow
from ..extensions import db
from ..notifications.services import deliver
from ..policy import authorize, can
from ..projects.activity import record_activity
from ..projects.models import ProjectMember
from . import notifying
from .markup import PostRenderer, link_targets
from .models import CATEGORIES, MUTED, SUBSCRIBED, Post, PostEdit, Thread, ThreadRead, \
    ThreadSubscription
from .tree import PostNode, build_tree

TITLE_MAX = 200
BODY_MAX = 20_000
THREADS_PER_PAGE = 20
BRANCHES_PER_PAGE = 20


# --- validation --------------------------------------------------------------------------

def _clean_title(title) -> str:
    return clean_text(title, field="title", max_length=TITLE_MAX, required=True,
                      empty=_("Give the thread a title."),
                      too_long=_("The title is too long (%(n)d characters at most).", n=TITLE_MAX))


def _clean_body(body) -> str:
    return clean_text(body, field="body", max_length=BODY_MAX, required=True, multiline=True,
                      empty=_("Write something first."),
                      too_long=_("The post is too long (%(n)d characters at most).", n=BODY_MAX))


def _clean_category(category) -> str | None:
    category = (category or "").strip() or None
    if category is not None and category not in CATEGORIES:
        raise ValidationError(_("Choose one of the listed categories."), field="category")
    return category


# --- reading -----------------------------------------------------------------------------

def get_thread(project, thread_id) -> Thread:
    thread = db.session.get(Thread, thread_id) if isinstance(thread_id, int) else None
    if thread is None or thread.project_id != project.id:
        raise NotFound()
    return thread


def get_post(thread: Thread, post_id) -> Post:
    post = db.session.get(Post, post_id) if isinstance(post_id, int) else None
    if post is None or post.thread_id != thread.id:
        raise NotFound()
    return post


def opening_post(thread: Thread) -> Post:
    return db.session.execute(
        select(Post).options(joinedload(Post.author))
        .where(Post.thread_id == thread.id, Post.parent_id.is_(None))
    ).scalar_one()


@dataclass
class ThreadListing:
    page: Page
    unread: set = field(default_factory=set)
    participants: dict = field(default_factory=dict)


def list_threads(project, user, page=1, category: str | None = None) -> ThreadListing:
    """Pinned first, then latest activity; one query for the page, one for participants."""
    statement = (
        select(Thread, ThreadRead.last_read_post_id)
        .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id,
                                    ThreadRead.user_id == user.id))
        .where(Thread.project_id == project.id)
        .order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
    )
    if category in CATEGORIES:
        statement = statement.where(Thread.category == category)
    rows = paginate(statement, page, THREADS_PER_PAGE, default_per_page=THREADS_PER_PAGE,
                    scalars=False)
    threads = [row[0] for row in rows.items]
    unread = {thread.id for thread, last_read in rows.items
              if last_read is None or (thread.last_post_id or 0) > last_read}
    participants: dict[int, list] = {thread.id: [] for thread in threads}
    if threads:
        for thread_id, user_id, name in db.session.execute(
            select(Post.thread_id, User.id, User.name).join(User, User.id == Post.author_id)
            .where(Post.thread_id.in_(participants), Post.deleted_at.is_(None))
            .distinct().order_by(Post.thread_id, User.name)
        ):
            participants[thread_id].append((user_id, name))
    rows.items = threads
    return ThreadListing(page=rows, unread=unread, participants=participants)


@dataclass
class ThreadView:
    thread: Thread
    opening: Post
    nodes: list[PostNode]
    branches: Page
    resolved: Post | None
    html: dict[int, str]
    last_read_post_id: int
    subscription: str | None


def load_thread_view(thread: Thread, user, page=1) -> ThreadView:
    """One page of a thread (a slice of top-level branches) in a fixed number of statements.

    Marks the thread read up to its newest post for `user` (one commit) first: a commit expires
    every loaded object, so doing it after loading the posts would reload them one by one.
    """
    last_read = _mark_read(thread, user)
    opening = opening_post(thread)
    branches = paginate(
        select(Post.id).where(Post.thread_id == thread.id, Post.parent_id == opening.id)
        .order_by(Post.created_at, Post.id),
        page, BRANCHES_PER_PAGE, default_per_page=BRANCHES_PER_PAGE,
    )
    posts = []
    if branches.items:
        posts = list(db.session.execute(
            select(Post).options(joinedload(Post.author))
            .where(Post.thread_id == thread.id, Post.branch_id.in_(branches.items))
        ).scalars())
    nodes = build_tree(posts, opening.id)
    resolved = None
    if thread.resolved_post_id:
        resolved = next((p for p in posts if p.id == thread.resolved_post_id), None) or \
            db.session.execute(select(Post).options(joinedload(Post.author))
                               .where(Post.id == thread.resolved_post_id)).scalar_one_or_none()
    shown = [opening] + posts + ([resolved] if resolved is not None else [])
    renderer = PostRenderer(thread.project, [p.body for p in shown if not p.is_deleted])
    html = {p.id: renderer.render(p.body) for p in shown if not p.is_deleted}
    subscription = db.session.execute(
        select(ThreadSubscription.state).where(ThreadSubscription.thread_id == thread.id,
                                               ThreadSubscription.user_id == user.id)
    ).scalar_one_or_none()
    return ThreadView(thread=thread, opening=opening, nodes=nodes, branches=branches,
                      resolved=resolved, html=html, last_read_post_id=last_read,
                      subscription=subscription)


def _mark_read(thread: Thread, user) -> int:
    """Record that `user` has seen the thread; returns what they had read before."""
    read = db.session.execute(
        select(ThreadRead).where(ThreadRead.thread_id == thread.id, ThreadRead.user_id == user.id)
    ).scalar_one_or_none()
    before = read.last_read_post_id if read else 0
    newest = thread.last_post_id or 0
    if read is None:
        db.session.add(ThreadRead(thread_id=thread.id, user_id=user.id,
                                  last_read_post_id=newest, last_read_at=utcnow()))
    elif newest > read.last_read_post_id:
        read.last_read_post_id, read.last_read_at = newest, utcnow()
    else:
        return before
    try:
        db.session.commit()
    except IntegrityError:  # the same reader in two tabs at once: the other one recorded it
        db.session.rollback()
    return before


def page_of_post(thread: Thread, post: Post) -> int:
    """The page of the thread on which `post` is shown (1 for the opening post)."""
    if post.branch_id is None:
        return 1
    branch = db.session.get(Post, post.branch_id)
    earlier = db.session.execute(
        select(func.count()).select_from(Post).where(
            Post.thread_id == thread.id, Post.parent_id == branch.parent_id,
            or_(Post.created_at < branch.created_at,
                and_(Post.created_at == branch.created_at, Post.id < branch.id)))
    ).scalar_one()
    return earlier // BRANCHES_PER_PAGE + 1


def post_history(user, post: Post) -> list[PostEdit]:
    authorize(user, "project.view", post.thread.project)
    return list(db.session.execute(
        select(PostEdit).where(PostEdit.post_id == post.id).order_by(PostEdit.edited_at.desc(),
                                                                      PostEdit.id.desc())
    ).scalars())


def render_for_project(project, sources: list[str]) -> list[str]:
    renderer = PostRenderer(project, sources)
    return [renderer.render(source) for source in sources]


#: the picker asks as the user types; a longer query is not a name or a title someone types
SEARCH_MAX = 60
SEARCH_LIMIT = 10


def _picker_query(query) -> str:
    query = " ".join(str(query or "").split()).lower()
    if len(query) > SEARCH_MAX:
        raise ValidationError(_("Type at most %(n)d characters to search.", n=SEARCH_MAX))
    return query


def search_members(user, project, query: str, limit: int = SEARCH_LIMIT) -> list[User]:
    """Members with a name word or email starting with `query`, for the @ mention picker."""
    authorize(user, "project.view", project)
    query = _picker_query(query)
    limit = clamp_int(limit, SEARCH_LIMIT, 1, SEARCH_LIMIT)
    statement = (select(User).join(ProjectMember, ProjectMember.user_id == User.id)
                 .where(ProjectMember.project_id == project.id, User.active.is_(True))
                 .order_by(User.name).limit(limit))
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        name = func.lower(User.name)
        statement = statement.where(or_(  # a word of the name, or the email, starts with it
            name.like(f"{escaped}%", escape="\\"), name.like(f"% {escaped}%", escape="\\"),
            func.lower(User.email).like(f"{escaped}%", escape="\\")))
    return list(db.session.execute(statement).scalars())


def search_link_targets(user, project, query: str) -> list[dict]:
    """Documents and files of the workspace for the Link picker: title and `[[…]]` text."""
    authorize(user, "project.view", project)
    return link_targets(project, _picker_query(query), SEARCH_LIMIT)


# --- writing -----------------------------------------------------------------------------

def _subscribe_author(thread_id: int, user) -> None:
    existing = db.session.execute(
        select(ThreadSubscription).where(ThreadSubscription.thread_id == thread_id,
                                         ThreadSubscription.user_id == user.id)
    ).scalar_one_or_none()
    if existing is None:  # an explicit mute stays a mute
        db.session.add(ThreadSubscription(thread_id=thread_id, user_id=user.id, state=SUBSCRIBED))


def _read_up_to(thread_id: int, user, post_id: int) -> None:
    read = db.session.execute(
        select(ThreadRead).where(ThreadRead.thread_id == thread_id, ThreadRead.user_id == user.id)
    ).scalar_one_or_none()
    if read is None:
        db.session.add(ThreadRead(thread_id=thread_id, user_id=user.id,
                                  last_read_post_id=post_id, last_read_at=utcnow()))
    else:
        read.last_read_post_id, read.last_read_at = post_id, utcnow()


def create_thread(user, project, title, body, category=None) -> Thread:
    authorize(user, "project.converse", project)
    title, body, category = _clean_title(title), _clean_body(body), _clean_category(category)
    now = utcnow()
    thread = Thread(project_id=project.id, author_id=user.id, title=title, category=category,
                    created_at=now, last_activity_at=now)
    db.session.add(thread)
    db.session.flush()
    post = Post(thread_id=thread.id, parent_id=None, branch_id=None, depth=0, author_id=user.id,
                body=body, created_at=now)
    db.session.add(post)
    db.session.flush()
    thread.last_post_id = post.id
    _subscribe_author(thread.id, user)
    _read_up_to(thread.id, user, post.id)
    record_activity(project, user, "discussion.thread", target_type="thread",
                    target_id=thread.id, summary=title)
    created = notifying.notify_new_thread(project, thread, post, user)
    db.session.commit()
    deliver(created)
    return thread


def reply(user, thread: Thread, parent_id, body) -> Post:
    project = thread.project
    authorize(user, "project.converse", project)
    if thread.locked:
        raise PermissionDenied(_("This thread is locked: no new replies."))
    body = _clean_body(body)
    parent = opening_post(thread) if parent_id in (None, "") else get_post(
        thread, clamp_int(parent_id, 0, 0, MAX_ID))
    if parent.is_deleted:
        raise ValidationError(_("That post was deleted; reply to another one."), field="body")
    now = utcnow()
    post = Post(thread_id=thread.id, parent_id=parent.id, depth=parent.depth + 1,
                author_id=user.id, body=body, created_at=now, branch_id=parent.branch_id)
    db.session.add(post)
    db.session.flush()
    if post.branch_id is None:  # a top-level reply starts its own branch
        post.branch_id = post.id
    thread.reply_count += 1
    thread.last_post_id, thread.last_activity_at = post.id, now
    _subscribe_author(thread.id, user)
    _read_up_to(thread.id, user, post.id)
    record_activity(project, user, "discussion.reply", target_type="thread",
                    target_id=thread.id, summary=thread.title)
    created = notifying.notify_reply(project, thread, post, parent, user)
    db.session.commit()
    deliver(created)
    return post


def edit_post(user, post: Post, body, title=None) -> Post:
    """Save a new body (and title, for an opening post), keeping the previous one as history."""
    authorize(user, "authored.edit", post)
    if post.is_deleted:
        raise ValidationError(_("A deleted post cannot be edited."))
    thread = post.thread
    body = _clean_body(body)
    new_title = _clean_title(title) if post.parent_id is None and title is not None else None
    title_changed = new_title is not None and new_title != thread.title
    if body == post.body and not title_changed:
        return post
    db.session.add(PostEdit(post_id=post.id, editor_id=user.id, previous_body=post.body,
                            previous_title=thread.title if title_changed else None,
                            edited_at=utcnow()))
    previous_body = post.body
    post.body, post.edited_at = body, utcnow()
    if title_changed:
        thread.title = new_title
    created = notifying.notify_edit_mentions(thread.project, thread, post, user, previous_body)
    db.session.commit()
    deliver(created)
    return post


def delete_post(user, post: Post) -> Post:
    """Leave a placeholder so the replies below keep their place; leads may delete any post."""
    if not can(user, "authored.edit", post):
        authorize(user, "project.manage", post.thread.project)
    if post.is_deleted:
        return post
    thread = post.thread
    db.session.add(PostEdit(post_id=post.id, editor_id=user.id, previous_body=post.body,
                            edited_at=utcnow()))
    post.body, post.deleted_at = "", utcnow()
    if thread.resolved_post_id == post.id:
        thread.resolved_post_id = None
    if post.parent_id is not None:
        thread.reply_count = max(0, thread.reply_count - 1)
    db.session.commit()
    return post


def set_pinned(user, thread: Thread, pinned: bool) -> Thread:
    authorize(user, "project.manage", thread.project)
    thread.pinned = bool(pinned)
    db.session.commit()
    return thread


def set_locked(user, thread: Thread, locked: bool) -> Thread:
    authorize(user, "project.manage", thread.project)
    thread.locked = bool(locked)
    db.session.commit()
    return thread


def resolve(user, thread: Thread, post_id) -> Thread:
    """Mark the thread resolved by one of its replies, or reopen it (`post_id` None)."""
    authorize(user, "project.manage", thread.project)
    if post_id in (None, ""):
        thread.resolved_post_id = None
    else:
        post = get_post(thread, clamp_int(post_id, 0, 0, MAX_ID))
        if post.parent_id is None or post.is_deleted:
            raise ValidationError(_("Choose a reply that answers the thread."))
        thread.resolved_post_id = post.id
        record_activity(thread.project, user, "discussion.resolved", target_type="thread",
                        target_id=thread.id, summary=thread.title)
    db.session.commit()
    return thread


def set_subscription(user, thread: Thread, state: str | None) -> None:
    """Follow (`subscribed`), mute (`muted`) or go back to the default (None)."""
    authorize(user, "project.view", thread.project)
    if state not in (SUBSCRIBED, MUTED, None):
        raise ValidationError(_("Unknown subscription choice."))
    existing = db.session.execute(
        select(ThreadSubscription).where(ThreadSubscription.thread_id == thread.id,
                                         ThreadSubscription.user_id == user.id)
    ).scalar_one_or_none()
    if state is None:
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(ThreadSubscription(thread_id=thread.id, user_id=user.id, state=state))
    else:
        existing.state = state
    db.session.commit()
