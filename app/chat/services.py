"""Chat services: post, edit, delete, read history, unread counts, and the per-user rate limit.

Plain functions: validation, then the policy, then one commit. They return domain objects and
plain dicts (`message_payload`) and raise `app.core.errors` DomainErrors. Socket emits are the
door's business (events.py), always after the commit.
"""
import uuid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from ..core.errors import NotFound, RateLimited, ValidationError
from ..core.markdown import render_markdown
from ..core.time import isoformat_utc, utcnow
from ..extensions import db
from ..policy import authorize
from ..projects.models import Project
from .models import ChatMessage, ChatReadMarker

MAX_BODY = 4000
HISTORY_MAX = 100
AFTER_MAX = 500
RECENT_ON_FIRST_JOIN = 50


def message_payload(message: ChatMessage, project_slug: str) -> dict:
    """The one wire format of a message (see docs/realtime.md)."""
    author = message.author
    return {
        "id": message.id,
        "seq": message.seq,
        "project": project_slug,
        "author": {"id": author.id, "name": author.name} if author else {"id": None, "name": ""},
        "body": "" if message.deleted else message.body,
        "html": "" if message.deleted else message.html,
        "created_at": isoformat_utc(message.created_at),
        "client_id": message.client_id,
        "edited_at": isoformat_utc(message.edited_at),
        "deleted": bool(message.deleted),
    }


def clean_body(body) -> str:
    if not isinstance(body, str):
        raise ValidationError(_("The message must be text."))
    body = body.strip()
    if not body:
        raise ValidationError(_("The message is empty."))
    if len(body) > MAX_BODY:
        raise ValidationError(_("The message is longer than %(max)s characters.", max=MAX_BODY))
    return body


def clean_client_id(client_id) -> str:
    try:
        return str(uuid.UUID(client_id)) if isinstance(client_id, str) else _bad_client_id()
    except ValueError:
        return _bad_client_id()


def _bad_client_id():
    raise ValidationError(_("client_id must be a UUID."))


def _existing(project: Project, user, client_id: str) -> ChatMessage | None:
    return db.session.execute(
        select(ChatMessage).where(ChatMessage.project_id == project.id,
                                  ChatMessage.author_id == user.id,
                                  ChatMessage.client_id == client_id)
    ).scalar_one_or_none()


def load_chat_project(slug, user, action: str = "project.view") -> Project:
    """Like `projects.services.load_project`, without loading the project's areas, partners…

    The chat asks for the project on every socket event; the workspace page relationships
    would cost four queries each time. Access is decided by the same policy call.
    """
    if not isinstance(slug, str) or not slug or len(slug) > 80:
        raise NotFound()
    project = db.session.execute(
        select(Project).where(Project.slug == slug).options(lazyload("*"))
    ).scalar_one_or_none()
    if project is None:
        raise NotFound()
    authorize(user, action, project)
    return project


def post_message(user, project: Project, body, client_id, *,
                 rate_limited: bool = True) -> tuple[ChatMessage, bool]:
    """Store a message once per client_id; returns (message, created). A retry gets the original.

    `rate_limited=False` is for the demo loader only, never for a door.
    """
    body = clean_body(body)
    client_id = clean_client_id(client_id)
    authorize(user, "project.contribute", project)
    original = _existing(project, user, client_id)
    if original is not None:
        return original, False
    if rate_limited:
        check_rate_limit(user)
    if db.session.get_bind().dialect.name == "postgresql":
        # Serialise inserts per project so that ids (and seq) are handed out in commit order: a
        # reader that saw id N never later meets a smaller id. SQLite has one writer anyway.
        db.session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    next_seq = select(func.coalesce(func.max(ChatMessage.seq), 0) + 1).where(
        ChatMessage.project_id == project.id).scalar_subquery()
    message = ChatMessage(project_id=project.id, seq=next_seq, author_id=user.id, body=body,
                          html=str(render_markdown(body)), client_id=client_id,
                          created_at=utcnow(), deleted=False)
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:  # the same retry raced us: answer with the one that won
        db.session.rollback()
        original = _existing(project, user, client_id)
        if original is None:
            raise
        return original, False
    _commit_keeping(message)
    return message, True


def _commit_keeping(message: ChatMessage) -> None:
    """Commit without expiring `message`: the caller serialises it next, and reloading a row
    we have just written would cost a query per message (the door closes the session anyway)."""
    message.author  # noqa: B018 - load the author before the commit, from the identity map
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def get_message(project: Project, message_id) -> ChatMessage:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ValidationError(_("The message id must be a number."))
    message = db.session.get(ChatMessage, message_id)
    if message is None or message.project_id != project.id:
        raise NotFound(_("That message does not exist."))
    return message


def edit_message(user, project: Project, message_id, body) -> ChatMessage:
    body = clean_body(body)
    message = get_message(project, message_id)
    authorize(user, "authored.edit", message)
    if message.deleted:
        raise ValidationError(_("A deleted message cannot be edited."))
    if body != message.body:
        message.body = body
        message.html = str(render_markdown(body))
        message.edited_at = utcnow()
        db.session.flush()
    _commit_keeping(message)
    return message


def delete_message(user, project: Project, message_id) -> ChatMessage:
    message = get_message(project, message_id)
    authorize(user, "authored.edit", message)
    if not message.deleted:
        message.deleted = True
        message.body = ""
        message.html = ""
        message.edited_at = utcnow()
        db.session.flush()
    _commit_keeping(message)
    return message


def _clean_id(value, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError(_("%(name)s must be a message id or null.", name=name))
    return value


def history(user, project: Project, before=None, limit=50) -> list[ChatMessage]:
    """Up to `limit` (≤100) messages older than `before` (or the newest), oldest first."""
    before = _clean_id(before, "before")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise ValidationError(_("limit must be a positive number."))
    authorize(user, "project.view", project)
    query = select(ChatMessage).where(ChatMessage.project_id == project.id)
    if before is not None:
        query = query.where(ChatMessage.id < before)
    rows = db.session.execute(
        query.order_by(ChatMessage.id.desc()).limit(min(limit, HISTORY_MAX))
    ).scalars().all()
    return list(reversed(rows))


def messages_after(user, project: Project, after=None, limit=AFTER_MAX) -> tuple[list[ChatMessage], bool]:
    """Messages with id > after, oldest first, at most `limit`; `more` when cut.

    With `after` None (a first visit) it is the newest page instead, and `more` says that
    older messages exist (fetch them with `history`).
    """
    after = _clean_id(after, "after")
    authorize(user, "project.view", project)
    if after is None:
        rows = history(user, project, None, RECENT_ON_FIRST_JOIN + 1)
        return rows[-RECENT_ON_FIRST_JOIN:], len(rows) > RECENT_ON_FIRST_JOIN
    rows = db.session.execute(
        select(ChatMessage).where(ChatMessage.project_id == project.id, ChatMessage.id > after)
        .order_by(ChatMessage.id).limit(limit + 1)
    ).scalars().all()
    return list(rows[:limit]), len(rows) > limit


# --- read markers and unread counts ---------------------------------------------------------

def _advance_marker(project_id: int, user_id: int, message_id: int) -> None:
    marker = db.session.get(ChatReadMarker, (project_id, user_id))
    if marker is None:
        db.session.add(ChatReadMarker(project_id=project_id, user_id=user_id,
                                      last_read_id=message_id))
    elif message_id > marker.last_read_id:
        marker.last_read_id = message_id


def mark_read(user, project: Project, message_id) -> None:
    """Remember that `user` has seen the chat up to `message_id` (never moves backwards)."""
    message_id = _clean_id(message_id, "id")
    authorize(user, "project.view", project)
    if message_id is None:
        message_id = db.session.execute(
            select(func.max(ChatMessage.id)).where(ChatMessage.project_id == project.id)
        ).scalar_one() or 0
    _advance_marker(project.id, user.id, message_id)
    try:
        db.session.commit()
    except IntegrityError:  # two tabs created the marker at once; the other one counts
        db.session.rollback()


def unread_count_for(user, project: Project) -> int:
    """Messages by others after the user's read marker (0 for people outside the project)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    last_read = select(ChatReadMarker.last_read_id).where(
        ChatReadMarker.project_id == project.id, ChatReadMarker.user_id == user.id
    ).scalar_subquery()
    return db.session.execute(
        select(func.count(ChatMessage.id)).where(
            ChatMessage.project_id == project.id,
            ChatMessage.id > func.coalesce(last_read, 0),
            ChatMessage.author_id != user.id,
            ChatMessage.deleted.is_(False),
        )
    ).scalar_one()


# --- rate limit -------------------------------------------------------------------------------

def _rate_limiter():
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import MovingWindowRateLimiter

    app = current_app._get_current_object()
    setting = app.config["CHAT_RATE_LIMIT"]
    cached = app.extensions.get("chat_rate_limiter")
    if cached is None or cached[0] != setting:
        storage = storage_from_string(app.config["REDIS_URL"] or "memory://")
        cached = (setting, MovingWindowRateLimiter(storage), parse(setting))
        app.extensions["chat_rate_limiter"] = cached
    return cached[1], cached[2]


def check_rate_limit(user) -> None:
    """Count one message for `user`; refuse with "slow down" beyond CHAT_RATE_LIMIT."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    limiter, limit = _rate_limiter()
    namespace = current_app.config.get("SOCKETIO_CHANNEL", "socketio")
    if not limiter.hit(limit, namespace, "chat", str(user.id)):
        raise RateLimited(_("Slow down: you are sending messages too fast."))
