"""Notifications: creating them (respecting preferences), delivering them live after the commit,
listing, marking read, and preferences. Other features call `notify(...)` inside their own
transaction, commit, then call `deliver(...)`.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update

from ..auth.models import User
from ..core.errors import NotFound, ValidationError
from ..core.pagination import paginate
from ..core.realtime import emit_to_user
from ..core.time import isoformat_utc, utcnow
from ..extensions import db
from .models import KINDS, Notification, NotificationPreference

KIND_LABELS = {
    "mention": lambda: _("Someone mentions me"),
    "reply": lambda: _("Replies to my posts and in threads I follow"),
    "new_thread": lambda: _("New threads in my projects"),
    "invitation": lambda: _("Invitations and being added to a project"),
    "role_change": lambda: _("Changes to my role in a project"),
    "status_change": lambda: _("Status changes of my projects"),
    "organisation": lambda: _("Requests to join my organisations and their answers, "
                              "verification"),
    "application": lambda: _("Applications to calls: invitations to a draft, receipts"),
    "partners": lambda: _("Requests to join my projects, and the answers to mine"),
}


def _enabled_recipients(user_ids, kind: str) -> set[int]:
    """The users among `user_ids` who have not turned `kind` off (one query)."""
    ids = {int(i) for i in user_ids if i}
    if not ids:
        return set()
    disabled = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.disabled_kinds)
        .where(NotificationPreference.user_id.in_(ids))
    ).all()
    return ids - {user_id for user_id, kinds in disabled if kind in (kinds or [])}


def notify(user_ids, kind: str, *, project=None, actor=None, subject: str = "",
           detail: str = "", url: str = "", verb: str = "") -> list[Notification]:
    """Add one notification per recipient who wants `kind` (never the actor); caller commits."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    actor_id = getattr(actor, "id", None)
    recipients = _enabled_recipients(user_ids, kind) - {actor_id}
    now = utcnow()
    created = []
    for user_id in sorted(recipients):
        notification = Notification(
            user_id=user_id, kind=kind, verb=verb, project_id=getattr(project, "id", None),
            actor_id=actor_id, actor_name=(getattr(actor, "name", "") or "")[:120],
            subject=(subject or "")[:200], detail=(detail or "")[:300], url=(url or "")[:500],
            created_at=now,
        )
        db.session.add(notification)
        created.append(notification)
    return created


def notification_text(notification: Notification) -> str:
    """The sentence for one notification, in the current locale."""
    from ..projects.models import PROJECT_STATUSES, ROLES

    n = notification
    actor = n.actor_name or _("Someone")
    if n.kind == "mention":
        return _("%(actor)s mentioned you in “%(subject)s”", actor=actor, subject=n.subject)
    if n.kind == "reply" and n.verb == "reply_to_post":
        return _("%(actor)s replied to your post in “%(subject)s”", actor=actor, subject=n.subject)
    if n.kind == "reply":
        return _("%(actor)s replied in “%(subject)s”", actor=actor, subject=n.subject)
    if n.kind == "new_thread":
        return _("%(actor)s started the thread “%(subject)s”", actor=actor, subject=n.subject)
    if n.kind == "invitation" and n.verb == "added":
        return _("%(actor)s added you to the project %(subject)s as %(role)s", actor=actor,
                 subject=n.subject, role=str(ROLES.get(n.detail, n.detail)))
    if n.kind == "invitation":
        return _("%(actor)s invited you to join the project %(subject)s", actor=actor,
                 subject=n.subject)
    if n.kind == "role_change":
        return _("%(actor)s changed your role in %(subject)s to %(role)s", actor=actor,
                 subject=n.subject, role=str(ROLES.get(n.detail, n.detail)))
    if n.kind == "status_change":
        return _("The project %(subject)s is now %(status)s", subject=n.subject,
                 status=str(PROJECT_STATUSES.get(n.detail, n.detail)))
    if n.kind == "organisation":
        return _organisation_text(n, actor)
    if n.kind == "partners":
        return _partners_text(n, actor)
    if n.kind == "application" and n.verb == "invited":
        return _("%(actor)s invited you to co-write the application “%(subject)s”",
                 actor=actor, subject=n.subject)
    if n.kind == "application" and n.verb == "submitted":
        return _("The application “%(subject)s” was submitted (receipt %(sha)s)",
                 subject=n.subject, sha=n.detail[:12])
    if n.kind == "application" and n.verb == "decided" and n.detail == "selected":
        return _("Your application “%(subject)s” is selected: its pilot's workspace is ready",
                 subject=n.subject)
    if n.kind == "application" and n.verb == "decided":
        return _("The decision on your application “%(subject)s” is published",
                 subject=n.subject)
    return n.subject


def _partners_text(n: Notification, actor: str) -> str:
    if n.verb == "requested":
        return _("%(actor)s asks to join the project %(subject)s", actor=actor,
                 subject=n.subject)
    return _("%(actor)s declined your request to join the project %(subject)s", actor=actor,
             subject=n.subject)


def _organisation_text(n: Notification, actor: str) -> str:
    if n.verb == "requested":
        return _("%(actor)s asks to join %(subject)s", actor=actor, subject=n.subject)
    if n.verb == "approved":
        return _("%(actor)s approved your request: you are a member of %(subject)s", actor=actor,
                 subject=n.subject)
    if n.verb == "declined":
        return _("%(actor)s declined your request to join %(subject)s", actor=actor,
                 subject=n.subject)
    if n.verb == "admin_named":
        return _("%(actor)s made you an administrator of %(subject)s", actor=actor,
                 subject=n.subject)
    if n.verb == "added":
        return _("%(actor)s added %(subject)s: it waits for verification", actor=actor,
                 subject=n.subject)
    if n.verb == "verified":
        return _("%(subject)s is verified: you can now act on its behalf", subject=n.subject)
    if n.verb == "verification_declined":
        return _("%(subject)s could not be verified", subject=n.subject)
    return n.subject


#: built once (the header asks it on every signed-in page): its cache key is computed once
_UNREAD_COUNT = (select(func.count()).select_from(Notification)
                 .where(Notification.user_id == bindparam("user_id"),
                        Notification.read_at.is_(None)))


def unread_count_for(user) -> int:
    return db.session.execute(_UNREAD_COUNT, {"user_id": user.id}).scalar_one()


def deliver(notifications: list[Notification]) -> None:
    """Push committed notifications to their recipients' live connections."""
    if not notifications:
        return
    user_ids = {n.user_id for n in notifications}
    counts = dict(db.session.execute(
        select(Notification.user_id, func.count()).where(
            Notification.user_id.in_(user_ids), Notification.read_at.is_(None)
        ).group_by(Notification.user_id)
    ).all())
    locales = dict(db.session.execute(
        select(User.id, User.locale).where(User.id.in_(user_ids))
    ).all())
    for n in notifications:
        with force_locale(locales.get(n.user_id) or "en"):
            text = notification_text(n)
        emit_to_user(n.user_id, "notification", {
            "id": n.id, "kind": n.kind, "text": text, "url": n.url,
            "created_at": isoformat_utc(n.created_at), "unread": counts.get(n.user_id, 0),
        })


def list_for(user, page=1, *, unread_only: bool = False):
    statement = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    statement = statement.order_by(Notification.created_at.desc(), Notification.id.desc())
    return paginate(statement, page, 30, default_per_page=30)


def get_own(user, notification_id) -> Notification:
    notification = db.session.get(Notification, notification_id) if isinstance(
        notification_id, int) else None
    if notification is None or notification.user_id != user.id:
        raise NotFound()
    return notification


def mark_read(user, notification_id: int) -> Notification:
    notification = get_own(user, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount or 0


def mark_group_read(user, project_id: int | None, day: date) -> int:
    """Mark read the user's notifications of one project (None: those of no project) on one
    day (UTC), as the notifications page groups them."""
    start = datetime.combine(day, time.min)
    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None),
        Notification.created_at >= start, Notification.created_at < start + timedelta(days=1),
        Notification.project_id.is_(None) if project_id is None
        else Notification.project_id == project_id)
    result = db.session.execute(statement.values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount or 0


@dataclass
class NotificationGroup:
    """One project's notifications of one day (project None: organisations, calls)."""

    day: date
    project: object
    items: list = field(default_factory=list)

    @property
    def unread(self) -> int:
        return sum(1 for n in self.items if n.unread)


def group_by_day_and_project(notifications) -> list[tuple[date, list[NotificationGroup]]]:
    """The notifications of one page, newest day first; within a day, one group per project
    in the order of its newest notification."""
    days: dict[date, dict[int | None, NotificationGroup]] = {}
    for n in notifications:
        day = n.created_at.date()
        groups = days.setdefault(day, {})
        if n.project_id not in groups:
            groups[n.project_id] = NotificationGroup(day, n.project)
        groups[n.project_id].items.append(n)
    return [(day, list(groups.values())) for day, groups in days.items()]


def preferences_for(user) -> NotificationPreference:
    """The user's preferences (a transient default row when never saved)."""
    found = db.session.get(NotificationPreference, user.id)
    return found or NotificationPreference(user_id=user.id, disabled_kinds=[], email_digest=True)


def save_preferences(user, enabled_kinds, email_digest: bool) -> NotificationPreference:
    enabled = set(enabled_kinds or [])
    unknown = enabled - set(KINDS)
    if unknown:
        raise ValidationError(_("Unknown notification kind."), field="kinds")
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id)
        db.session.add(preference)
    preference.disabled_kinds = [kind for kind in KINDS if kind not in enabled]
    preference.email_digest = bool(email_digest)
    db.session.commit()
    return preference
