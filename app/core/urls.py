"""What the app accepts from URLs: same-site redirect targets and database ids in paths.

`same_site_path` decides where `?next=` may send someone (sign-in, the language switch);
`IdConverter` (`<id:name>` in every blueprint) refuses path numbers the database cannot hold,
so `/documents/99999999999999999999` is a 404 rather than an OverflowError.
"""
import unicodedata
from urllib.parse import urlsplit

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

#: the largest id any of our databases holds: PostgreSQL's INTEGER (SQLite's is wider)
MAX_ID = 2**31 - 1


def is_id(value) -> bool:
    """A positive int that fits an id column (bools are not ids)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


class IdConverter(IntegerConverter):
    """`<id:doc_id>`: a positive integer within MAX_ID; other numbers are a 404.

    Raised rather than "no match" (ValidationError): for a URL whose rule exists for other
    methods, Werkzeug would otherwise answer 405 before it ever looked at the number.
    """

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise NotFound()
        return number


def _drop_controls(value: str) -> str:
    # Browsers drop tab and newline anywhere in a URL and C0 controls/spaces at its ends, so
    # `/\t/evil.com` reaches them as `//evil.com`: judge the string without them.
    return "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))


def same_site_path(target) -> str | None:
    """`target` if it is a path on this site (`/…`, not `//…`), else None.

    Judged after removing control and format characters, with backslashes (which browsers read
    as slashes) refused, and after NFKC folding (`／／` must not become `//` anywhere later);
    the cleaned path is what is returned, so the Location header is what was checked.
    """
    if not isinstance(target, str):
        return None
    try:
        target.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not text at all
        return None
    cleaned = _drop_controls(target).strip()
    folded = unicodedata.normalize("NFKC", cleaned)
    if not cleaned.startswith("/") or folded.startswith("//") or "\\" in folded:
        return None
    parts = urlsplit(folded)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return cleaned


def safe_next(candidate, default: str) -> str:
    """The `next` to redirect to: `candidate` when it is a same-site path, else `default`."""
    return same_site_path(candidate) or default
