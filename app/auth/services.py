"""Accounts: registering, signing in, changing passwords and profiles. Plain functions."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..core.errors import NotFound, ValidationError
from ..core.text import clean_text, normalise_email
from ..core.time import utcnow
from ..extensions import db
from .models import User
from .passwords import hash_password, verify_password

_DUMMY_HASH: str | None = None


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def check_password_rules(password: str, email: str) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise ValidationError(_("The password must have at least %(n)d characters.", n=minimum),
                              field="password")
    if len(password) > 256:
        raise ValidationError(_("The password is too long (256 characters at most)."),
                              field="password")
    if normalise_email(password) == normalise_email(email):
        raise ValidationError(_("The password must not be your email address."), field="password")


def validate_name(name: str) -> str:
    return clean_text(name, field="name", max_length=120, required=True,
                      empty=_("Please give your name."),
                      too_long=_("The name is too long (120 characters at most)."))


def register_user(email: str, name: str, password: str, *, is_admin: bool = False,
                  is_manager: bool = False) -> User:
    """Create an account; raise ValidationError for a taken email or weak password."""
    email = normalise_email(email)
    if not email or "@" not in email or len(email) > 254:
        raise ValidationError(_("Please give a valid email address."), field="email")
    name = validate_name(name)
    check_password_rules(password, email)
    if db.session.execute(
        select(func.count()).select_from(User).where(User.email == email)
    ).scalar_one():
        raise ValidationError(_("An account with this email already exists."), field="email") from None
    user = User(email=email, name=name, password_hash=hash_password(password), is_admin=is_admin,
                is_manager=is_manager)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent registration won the race
        db.session.rollback()
        raise ValidationError(_("An account with this email already exists."), field="email") from None
    return user


SITE_ROLES = ("manager", "admin")


def set_site_role(email: str, role: str, granted: bool) -> User:
    """Grant or revoke a site-level role (`manager` or `admin`); the operator's command line
    is the only door, so there is no acting user to authorize."""
    if role not in SITE_ROLES:
        raise ValidationError(_("Unknown role: %(role)s.", role=role), field="role")
    user = find_user_by_email(email)
    if user is None:
        raise NotFound(_("No account with this email address."))
    setattr(user, f"is_{role}", granted)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None. Takes equal time for unknown emails."""
    global _DUMMY_HASH
    user = find_user_by_email(email)
    if user is None or not user.active:
        _DUMMY_HASH = _DUMMY_HASH or hash_password("not-a-real-password")
        verify_password(_DUMMY_HASH, password or "")
        return None
    if not verify_password(user.password_hash, password or ""):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password or ""):
        raise ValidationError(_("The current password is not correct."), field="current_password")
    check_password_rules(new_password, user.email)
    user.password_hash = hash_password(new_password)
    db.session.commit()


def update_profile(user: User, *, name: str, bio: str, locale: str | None) -> User:
    """Check every field first, then change the user: a refusal leaves nothing half-written."""
    name = validate_name(name)
    bio = clean_text(bio, field="bio", max_length=1000, multiline=True,
                     too_long=_("The bio is too long (1,000 characters at most)."))
    if locale and locale not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("Unknown language."), field="locale")
    user.name, user.bio, user.locale = name, bio, locale or None
    db.session.commit()
    return user


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
        db.session.commit()


def set_start_dismissed(user: User, dismissed: bool) -> None:
    """Put the start page away (the menu stops offering it) or bring it back."""
    user.start_dismissed_at = utcnow() if dismissed else None
    db.session.commit()


def get_user_or_none(user_id) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def has_users() -> bool:
    """Whether anyone has an account yet (`seed demo --if-empty`)."""
    return db.session.execute(select(User.id).limit(1)).first() is not None


def set_account_active(actor, user: User, active: bool, *, as_operator: bool = False) -> bool:
    """Disable (or enable again) an account; disabling ends every session and socket of it.

    Administrators only (the CLI is a trusted door: `as_operator`); nobody disables themselves.
    Returns False when the account already was in that state."""
    from ..policy import authorize
    from . import sessions

    if not as_operator:
        authorize(actor, "account.disable", user)
        if actor.id == user.id:
            raise ValidationError(_("You cannot disable your own account."))
    if user.active == active:
        return False
    user.active = active
    db.session.commit()
    if not active:
        sessions.end_all_sessions(user)
    return True
