"""Chat services: post, edit, delete, read history and unread counts (the per-user rate limit
is app.core.ratelimit's).

Plain functions: validation, then the policy, then one commit. They return domain objects and
plain dicts (`message_payload`) and raise `app.core.errors` DomainErrors. Socket emits are the
door's business (events.py), always after the commit.
"""
import uuid
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from ..core.errors import NotFound, RateLimited, ValidationError
from ..core.markdown import render_markdown
from ..core.ratelimit import within_rate_limit
from ..core.text import clean_text
from ..core.time import isoformat_utc, utcnow
from ..core.urls import MAX_ID, is_id
from ..extensions import db
from ..policy import authorize
from ..projects.models import Project, ProjectRef
from .models import ChatMessage, ChatReadMarker

MAX_BODY = 4000
HISTORY_MAX = 100
AFTER_MAX = 500
RECENT_ON_FIRST_JOIN = 50


def message_payload(message: ChatMessage, project_slug: str) -> dict:
    """The one wire format of a message (see docs/realtime.md)."""
    author = message.author
    return _wire(message.id, message.seq, project_slug, author.id if author else None,
                 author.name if author else "", message.body, message.html, message.created_at,
                 message.client_id, message.edited_at, message.deleted)


def _wire(message_id, seq, project_slug, author_id, author_name, body, html, created_at,
          client_id, edited_at, deleted) -> dict:
    return {
        "id": message_id,
        "seq": seq,
        "project": project_slug,
        "author": {"id": author_id, "name": author_name},
        "body": "" if deleted else body,
        "html": "" if deleted else html,
        "created_at": isoformat_utc(created_at),
        "client_id": client_id,
        "edited_at": isoformat_utc(edited_at),
        "deleted": bool(deleted),
    }


def clean_body(body) -> str:
    if not isinstance(body, str):
        raise ValidationError(_("The message must be text."))
    # lazy messages: choosing the locale reads the user, a query the hot path does not pay
    return clean_text(body, multiline=True, max_length=MAX_BODY, required=True,
                      empty=_l("The message is empty."),
                      too_long=_l("The message is longer than %(max)s characters.", max=MAX_BODY))


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


def project_ref(slug) -> ProjectRef | None:
    """The project named by `slug` as (id, slug), or None; no access decided here."""
    if not isinstance(slug, str) or not slug or len(slug) > 80:
        return None
    project_id = db.session.execute(
        select(Project.id).where(Project.slug == slug)).scalar_one_or_none()
    db.session.close()
    return None if project_id is None else ProjectRef(project_id, slug)


def project_slugs(project_ids) -> dict[int, str]:
    """{id: slug} of the given projects (presence broadcasts name projects by slug)."""
    if not project_ids:
        return {}
    slugs = dict(db.session.execute(
        select(Project.id, Project.slug).where(Project.id.in_(list(project_ids)))).all())
    db.session.close()
    return slugs


_messages = ChatMessage.__table__
_LOCK_PROJECT = (select(Project.__table__.c.id)
                 .where(Project.__table__.c.id == bindparam("p_project_id")).with_for_update())
# `seq` is the project's next number, computed inside the INSERT. Prebuilt with bound parameters
# (and the plain, cacheable Insert: the dialects' ON CONFLICT variants are compiled anew on each
# call), so a message costs no statement construction or compilation.
_INSERT_MESSAGE = (
    insert(_messages)
    .values(project_id=bindparam("p_project_id"),
            seq=select(func.coalesce(func.max(_messages.c.seq), 0) + 1)
            .where(_messages.c.project_id == bindparam("p_project_id")).scalar_subquery(),
            author_id=bindparam("p_author_id"), body=bindparam("p_body"),
            html=bindparam("p_html"), client_id=bindparam("p_client_id"),
            created_at=bindparam("p_created_at"), deleted=bindparam("p_deleted"))
    .returning(_messages.c.id, _messages.c.seq)
)


def post_message(user, project, body, client_id, *, connection=None, rate_limited: bool = True,
                 created_at: datetime | None = None) -> tuple[dict, bool]:
    """Store a message once per client_id; returns (its wire payload, created).

    A retry (same author and client_id) gets the original and stores nothing. `user` needs
    `id` and `name`, `project` `id` and `slug` (ORM objects or ChatUser/ProjectRef). With a
    `connection` (a Core connection or `rawsql.RawExecutor`) the message is written and
    committed through it instead of the session.
    `rate_limited=False` and `created_at` are for the demo loader only, never for a door.
    """
    body = clean_body(body)
    client_id = clean_client_id(client_id)
    authorize(user, "project.converse", project)
    if rate_limited and not within_rate_limit(user, "CHAT_RATE_LIMIT"):
        original = _existing(project, user, client_id)  # a retry is answered, not refused
        if original is None:
            raise RateLimited(_("Slow down: you are sending messages too fast."))
        return message_payload(original, project.slug), False
    executor = db.session if connection is None else connection
    html, created_at = str(render_markdown(body)), created_at or utcnow()
    try:
        if db.engine.dialect.name == "postgresql":
            # Serialise inserts per project so that ids (and seq) are handed out in commit order:
            # a reader that saw id N never later meets a smaller id. SQLite has one writer anyway.
            executor.execute(_LOCK_PROJECT, {"p_project_id": project.id})
        row = executor.execute(_INSERT_MESSAGE, {
            "p_project_id": project.id, "p_author_id": user.id, "p_body": body, "p_html": html,
            "p_client_id": client_id, "p_created_at": created_at, "p_deleted": False}).one()
        executor.commit()
    except IntegrityError:  # a retry whose original is stored: answer with the original
        executor.rollback()
        original = _existing(project, user, client_id)
        if original is None:
            raise
        return message_payload(original, project.slug), False
    return _wire(row.id, row.seq, project.slug, user.id, user.name, body, html, created_at,
                 client_id, None, False), True


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
    message = db.session.get(ChatMessage, message_id) if is_id(message_id) else None
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


def clean_id(value, name: str) -> int | None:
    """A message id (0 = before the first) or None; anything else, including numbers beyond
    the database's range, is a ValidationError."""
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= MAX_ID:  # bools are not ids
        raise ValidationError(_("%(name)s must be a message id or null.", name=name))
    return value


def history(user, project: Project, before=None, limit=50) -> list[ChatMessage]:
    """Up to `limit` (≤100) messages older than `before` (or the newest), oldest first."""
    before = clean_id(before, "before")
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
    after = clean_id(after, "after")
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
    message_id = clean_id(message_id, "id")
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
