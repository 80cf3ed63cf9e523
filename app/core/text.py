"""Small text helpers: slugs, tag lists, initials, email normalisation."""
import re
import unicodedata

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
