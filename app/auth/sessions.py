"""Sign-in sessions kept on the server: started at sign-in, checked on every request and socket
event, listed on the account's sessions page, and ended by signing out, by "sign out
everywhere else", by a password change or when an administrator disables the account.

Flask-Login keeps `"<user id>:<token>"` (`User.sign_in_id`) in the session and remember cookies;
`load_signed_in_user` accepts it only while a `UserSession` with that token's hash exists, in the
same statement that loads the user. Ending a session deletes its row, so every copy of the cookie
stops working at once, and asks `app.core.connections` to close its live sockets (in whichever
process holds them). The last-seen time is written at most once per `LAST_SEEN_EVERY` per
session: no request or socket event writes anything otherwise.
"""
import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import DateTime, and_, bindparam, delete, select, update

from ..core import connections
from ..core.errors import NotFound
from ..core.rawsql import raw_executor
from ..core.time import utcnow
from ..extensions import db
from .models import User, UserSession

LAST_SEEN_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_limit():
    return utcnow() - timedelta(days=current_app.config.get("SESSION_IDLE_DAYS", 30))


def start_session(user: User, user_agent: str = "") -> UserSession:
    """A new session for `user` (call before `login_user`); drops their long-idle sessions."""
    token = secrets.token_urlsafe(32)
    record = UserSession(user_id=user.id, token_hash=_hash(token),
                         user_agent=(user_agent or "")[:300])
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.last_seen_at < _idle_limit()))
    db.session.add(record)
    db.session.commit()
    user.auth_session, user.session_token = record, token
    return record


def start_sessions(users: list[User], user_agent: str = "") -> list[str]:
    """One new session per user in one commit; their `sign_in_id`s (benchmarks mint cookies)."""
    tokens = [secrets.token_urlsafe(32) for _ in users]
    db.session.add_all(UserSession(user_id=user.id, token_hash=_hash(token),
                                   user_agent=user_agent[:300])
                       for user, token in zip(users, tokens, strict=True))
    db.session.commit()
    return [f"{user.id}:{token}" for user, token in zip(users, tokens, strict=True)]


class SessionRef(NamedTuple):
    """The signed-in request's session as `touch`, `session_of` and signing out read it (its id
    and when it was last seen): two columns of the user loader's row, not a second ORM object
    to build and track on every request."""

    id: int
    last_seen_at: datetime


# Built once: every signed-in request runs it, and a prebuilt statement's cache key is computed
# once rather than per request (a third of the statement's Python time).
_SIGNED_IN = (
    select(User, UserSession.id, UserSession.last_seen_at)
    .join(UserSession, UserSession.user_id == User.id)
    .where(UserSession.token_hash == bindparam("token_hash"), User.id == bindparam("user_id"),
           User.active.is_(True),
           UserSession.last_seen_at >= bindparam("since", type_=DateTime))
)


def load_signed_in_user(sign_in_id) -> User | None:
    """Flask-Login's user loader: the active user whose session `"<id>:<token>"` still exists."""
    user_id, _sep, token = str(sign_in_id or "").partition(":")
    if not user_id.isdigit() or not token or len(token) > 100:
        return None
    row = db.session.execute(_SIGNED_IN, {"token_hash": _hash(token), "user_id": int(user_id),
                                          "since": _idle_limit()}).first()
    if row is None:
        return None
    user, session_id, last_seen_at = row
    user.auth_session, user.session_token = SessionRef(session_id, last_seen_at), token
    return user


def touch(user: User) -> None:
    """Note that the user's session was seen now, at most once per LAST_SEEN_EVERY.

    Called at the start of a request, before the view has changed anything, so the commit
    carries only this."""
    record = getattr(user, "auth_session", None)
    now = utcnow()
    if record is None or now - record.last_seen_at < LAST_SEEN_EVERY:
        return
    db.session.execute(update(UserSession).where(
        UserSession.id == record.id, UserSession.last_seen_at < now - LAST_SEEN_EVERY
    ).values(last_seen_at=now))
    db.session.commit()


_users, _sessions = User.__table__, UserSession.__table__
# One row while the session exists and its account is active; `stale`: last seen long enough ago
# to write it again. Integer-only results, so it runs on the raw hot-path executor.
_CURRENT = (
    select(_sessions.c.id, (_sessions.c.last_seen_at < bindparam("before", type_=DateTime))
           .label("stale"))
    .select_from(_sessions.join(_users, and_(_users.c.id == _sessions.c.user_id,
                                             _users.c.active.is_(True))))
    .where(_sessions.c.id == bindparam("session_id"), _sessions.c.user_id == bindparam("user_id"))
)
_TOUCH = (
    update(_sessions)
    .where(_sessions.c.id == bindparam("session_id"),
           _sessions.c.last_seen_at < bindparam("before", type_=DateTime))
    .values(last_seen_at=bindparam("now", type_=DateTime))
)


def session_is_current(user_id: int, session_id) -> bool:
    """For socket connections: is this sign-in session still there and its account active?

    One primary-key read, prebuilt and run on a pooled DBAPI connection of its own (socket
    handlers may hold another; `app/core/rawsql.py`), plus the throttled last-seen write."""
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        return False
    now = utcnow()
    before = now - LAST_SEEN_EVERY
    with raw_executor(db.engine) as connection:
        row = connection.execute(_CURRENT, {"session_id": session_id, "user_id": user_id,
                                            "before": before}).first()
        if row is None:
            return False
        if row.stale:
            connection.execute(_TOUCH, {"session_id": session_id, "now": now, "before": before})
            connection.commit()
    return True


def session_of(user) -> str | None:
    record = getattr(user, "auth_session", None)
    return None if record is None else str(record.id)


def _end(user_id: int, statement, session_ids: list[int] | None) -> int:
    removed = db.session.execute(statement).rowcount or 0
    db.session.commit()
    connections.disconnect_sessions(user_id, session_ids)
    return removed


def end_session(user: User, session_id: int) -> None:
    """End one of `user`'s sessions (their own: NotFound for anyone else's)."""
    record = db.session.get(UserSession, session_id) if isinstance(session_id, int) else None
    if record is None or record.user_id != user.id:
        raise NotFound(_("That session has already ended."))
    _end(user.id, delete(UserSession).where(UserSession.id == record.id), [record.id])


def end_current_session(user) -> None:
    """Signing out: this browser's session ends, and with it every copy of its cookie."""
    record = getattr(user, "auth_session", None)
    if record is not None:
        _end(user.id, delete(UserSession).where(UserSession.id == record.id), [record.id])


def end_other_sessions(user: User) -> int:
    """"Sign out everywhere else": every session of `user` but this one."""
    keep = getattr(getattr(user, "auth_session", None), "id", None)
    others = [s.id for s in sessions_of(user) if s.id != keep]
    if not others:
        return 0
    return _end(user.id, delete(UserSession).where(UserSession.id.in_(others)), others)


def end_all_sessions(user: User) -> int:
    """A password change or a disabled account: every session, every socket."""
    return _end(user.id, delete(UserSession).where(UserSession.user_id == user.id), None)


def sessions_of(user: User) -> list[UserSession]:
    return list(db.session.execute(
        select(UserSession).where(UserSession.user_id == user.id,
                                  UserSession.last_seen_at >= _idle_limit())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).scalars())


# --- the device, said simply --------------------------------------------------------------

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
             ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"),
             ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = ((re.compile(r"iPhone"), "iPhone"), (re.compile(r"iPad"), "iPad"),
            (re.compile(r"Android"), "Android"), (re.compile(r"CrOS"), "ChromeOS"),
            (re.compile(r"Windows"), "Windows"), (re.compile(r"Mac OS X|Macintosh"), "macOS"),
            (re.compile(r"Linux"), "Linux"))


def device_label(user_agent: str) -> str:
    """"Firefox on Windows" from a User-Agent header; good enough to recognise one's devices."""
    agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in agent), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(agent)), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser or system:
        return browser or system
    return _("Unknown device")
