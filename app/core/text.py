"""Text helpers: slugs, tag lists, initials, email normalisation, and the one check and
cleaner of text people send (`check_text`, `clean_text`), used by every feature's services,
forms (`app.core.forms.Form`), API and socket payloads."""
import re
import unicodedata

from flask_babel import gettext as _

from .errors import ValidationError

_slug_strip = re.compile(r"[^a-z0-9]+")


def slugify(value: str, max_length: int = 80) -> str:
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = _slug_strip.sub("-", ascii_value.lower()).strip("-")
    return slug[:max_length].strip("-")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def parse_tags(raw: str | list | None, max_tags: int = 30, max_length: int = 40) -> list[str]:
    """Split a comma-separated string (or list) into clean, unique, lower-case tags."""
    items = raw if isinstance(raw, list) else (raw or "").split(",")
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).strip().lower().split())[:max_length]
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:max_tags]


def initials(name: str) -> str:
    parts = [p for p in (name or "").split() if p[:1].isalpha()]
    if not parts:
        return "?"
    letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
    return letters.upper()


# --- the one check for text coming in (pages, API, sockets, services) -------------------------

#: C0 controls except tab, newline and carriage return (part of a textarea's newline), DEL,
#: and C1 controls. NUL alone breaks PostgreSQL; the rest are never typed by people.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` is not acceptable text (a translated sentence), or None when it is."""
    if _SURROGATE.search(value):
        return _("The text is not valid Unicode.")
    if _FORBIDDEN.search(value):
        return _("The text contains control characters.")
    return None


def check_text(value: str, *, field: str | None = None) -> str:
    """`value` unchanged, or ValidationError (on `field`) for control characters or text that
    is not valid Unicode (lone surrogates, which JSON and socket payloads can carry)."""
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, field=field)
    return value


def check_payload(value) -> None:
    """check_text on every string (keys too) inside a JSON-like value."""
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_payload(key)
            check_payload(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            check_payload(item)


def clean_text(value, *, field: str | None = None, max_length: int | None = None,
               required: bool = False, multiline: bool = False, empty: str | None = None,
               too_long: str | None = None) -> str:
    """The one cleaner of user text: a string (None counts as empty), checked by check_text,
    trimmed; one line has its whitespace collapsed, several lines keep theirs (CRLF -> LF).

    `empty` and `too_long` are the field's own messages, when it has them.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("This must be text."), field=field)
    check_text(value, field=field)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    else:
        value = " ".join(value.split())
    if required and not value:
        raise ValidationError(empty or _("Please fill this in."), field=field)
    if max_length is not None and len(value) > max_length:
        raise ValidationError(too_long or _("This is too long (at most %(n)s characters).",
                                            n=max_length), field=field)
    return value
