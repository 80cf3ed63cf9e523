"""Finding English left on a page rendered in another language.

Two kinds of text reach a page: what the template writes literally, and what `{{ … }}` prints
(translations, content, numbers). While a test renders, `mark_expressions` wraps every printed
value in two private-use characters, so the page's text can be split:

- **Literal text** must have no words at all in a translated page (beyond the allow-list): a
  template literal is never translated, so any word there is a string someone forgot to wrap.
- **Printed text** holds translations and content. A word in it is a leak when it belongs to
  the English of the interface (every msgid's words, plus common English words) and not to the
  language's own catalogue; the test world's content is invented words, so it never matches.

Only what a reader meets counts: text outside <script>/<style>, plus the title, alt,
placeholder, aria-label and button values; text marked with another `lang` (the language
switch's "Deutsch", "English") is that language's, not a leak.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import wtforms as wtforms_module
from babel.messages.pofile import read_po
from markupsafe import Markup

OPEN, CLOSE = "\ue000", "\ue001"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
WORD = re.compile(r"[^\W\d_]{2,}")
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
SKIPPED = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}

#: frequent English words a forgotten sentence would carry even if no msgid uses them
ENGLISH = set("""the and of to is are was were be been this that these those with without for
from your you yours our we they them their there here not no yes all any some more most less
can could will would should must may might has have had do does did done into onto over under
about after before again also only just than then when where which who whom why how what while
new old add edit save delete remove send show hide open close back next previous page please
sign log in out up down by on at as or if it its an a""".split())

#: words that are the same in every language: the brand, formats, codes, standards
ALLOWED = {"eu", "json", "csv", "atom", "pdf", "zip", "iiif", "utc", "gltf", "glb", "obj",
           "ply", "stl", "markdown", "url", "id", "cc", "by", "sa", "nc", "nd", "xr", "webxr",
           "ar", "vr", "mb", "kb", "gb", "mail"}


def mark_expressions(value):
    """Jinja `finalize`: wrap each printed value; composed output (a macro) keeps its inner marks."""
    if value is None:
        return value
    if isinstance(value, Markup):
        return value if OPEN in value else Markup("\ue000") + value + Markup("\ue001")
    return f"{OPEN}{value}{CLOSE}"


URL = re.compile(r"(?:https?://|/)[^\s\ue000\ue001]*[/.][^\s\ue000\ue001]*|\S+@\S+"
                 r"|\b(?:text|image|video|audio|application|model)/[\w.+-]+")  # and MIME types
CODE = re.compile(r"\b[A-Z]{2,3}\b")        # country and language codes: "IT", "EUR"
HEX = re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{7,}\b")  # digests: "6a49be7a…" is not the word "be"
#: an application's reference, `A-` and eight random upper-case hex digits: "A-5ADD5D86" is
#: not the word "add" (app/calls/applications.py)
REFERENCE = re.compile(r"\bA-[0-9A-F]{8}")


def words(text: str) -> set[str]:
    return {word.casefold() for word in WORD.findall(text or "")}


def reader_words(text: str) -> set[str]:
    """The words a reader meets: addresses, upper-case codes and hex digests left out."""
    return words(HEX.sub(" ", CODE.sub(" ", URL.sub(" ", REFERENCE.sub(" ", text)))))


def catalogue_words(locale: str, *, source: bool) -> set[str]:
    """The words of a catalogue's msgids (source=True) or of its translations, together with
    WTForms' own translations (its built-in validators' messages, "Email inválido.")."""
    path = TRANSLATIONS / ("messages.pot" if source else f"{locale}/LC_MESSAGES/messages.po")
    found = _words_of(path, source)
    if not source:
        wtforms = Path(wtforms_module.__file__).parent / "locale" / locale / "LC_MESSAGES"
        if (wtforms / "wtforms.po").exists():
            found |= _words_of(wtforms / "wtforms.po", source)
    return found


def _words_of(path: Path, source: bool) -> set[str]:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    found: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        texts = message.id if source else message.string
        for text in (texts if isinstance(texts, tuple) else (texts,)):
            found |= words(re.sub(r"%\(\w+\)[sdif]|\{\w+\}|<[^>]+>", " ", text or ""))
    return found


class _VisibleText(HTMLParser):
    """Collects (text, where) pieces a reader sees, skipping scripts and other-language parts."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool]] = []     # (tag, hidden from this check)
        self.pieces: list[tuple[str, str]] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").replace(OPEN, "").replace(CLOSE, "")
        skip = tag in SKIPPED or bool(lang and lang.split("-")[0] != self.page_lang)
        if not (skip or self._skipping()):
            for name, value in attributes.items():
                visible = name in VISIBLE_ATTRIBUTES or (
                    tag == "input" and name == "value" and attributes.get("type") in (
                        "submit", "button")) or (
                    name == "content" and attributes.get("name") == "description")
                if visible and value:
                    self.pieces.append((value, f"<{tag} {name}>"))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if data.strip() and not self._skipping():
            where = self.stack[-1][0] if self.stack else "document"
            self.pieces.append((data, f"<{where}>"))


def split_marked(text: str, depth: int = 0) -> tuple[str, str, int]:
    """(literal part, printed part, depth after): marks may open in one piece, close in another."""
    literal, printed = [], []
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth = max(depth - 1, 0)
        else:
            (printed if depth else literal).append(char)
    return "".join(literal), "".join(printed), depth


def find_english(html: str, page_lang: str, english: set[str], native: set[str]) -> list[str]:
    """Every piece of English on the page, as "where: word in 'context'"."""
    parser = _VisibleText(page_lang)
    parser.feed(html)
    found, depth = [], 0
    for text, where in parser.pieces:
        is_attribute = " " in where
        literal, printed, after = split_marked(text, 0 if is_attribute else depth)
        if not is_attribute:
            depth = after
        context = " ".join((literal + printed).split())[:80]
        for word in sorted(reader_words(literal) - ALLOWED):
            found.append(f"{where} literal {word!r} in {context!r}")
        for word in sorted((reader_words(printed) & english) - native - ALLOWED):
            found.append(f"{where} {word!r} in {context!r}")
    return found
