"""Search-result snippets: the summary or body around the first matches, escaped, with the
matched words (exact, accent-folded or stemmed in the case study's language) in <mark>."""
import re

from markupsafe import Markup, escape

from .analysis import FOLD_MAP, WORD_RE, stem_forms
from .schema import TEXT_FIELDS

SNIPPET_CHARS = 260
HIGHLIGHT_SCAN_CHARS = 30_000
SCAN_STRETCH = 3_000  # characters folded and scanned at a time


def query_terms(query) -> dict[str, set[str]]:
    """Query words by field kind: {"": folded neutral words, "it": Italian stems, ...}."""
    terms: dict[str, set[str]] = {"": set()}
    try:
        pairs = list(query.iter_all_terms(phrases=True))
    except Exception:  # noqa: BLE001
        pairs = []
    for fieldname, text in pairs:
        text = text.decode() if isinstance(text, bytes) else str(text)
        if fieldname in TEXT_FIELDS:
            terms[""].add(text)
        elif fieldname.startswith("text_"):
            terms.setdefault(fieldname[5:], set()).add(text)
    return terms


def highlight(stored: dict, terms: dict[str, set[str]]) -> Markup:
    """An escaped snippet of the summary or body with the matched words in <mark>."""
    lang = stored.get("language") or ""
    for name in ("summary", "body"):
        text = stored.get(name) or ""
        spans = _matching_spans(text[:HIGHLIGHT_SCAN_CHARS], terms, lang)
        if spans:
            return _fragment(text, spans)
    summary = stored.get("summary") or ""
    return escape(_shorten(summary, 0, SNIPPET_CHARS)[0])


def _matching_spans(text: str, terms: dict[str, set[str]], lang: str) -> list[tuple[int, int]]:
    """Character spans of the matched words, up to one snippet's worth after the first, from
    the first stretch of `text` that has any: folding and scanning a whole long body for every
    hit of a page was most of a query's time."""
    start = 0
    while start < len(text):
        end = min(len(text), start + SCAN_STRETCH)
        if end < len(text):
            space = text.rfind(" ", start + SNIPPET_CHARS, end)
            end = space if space > start else end
        spans = _spans_in(text[start:end], terms, lang)
        if spans:
            return [(a + start, b + start) for a, b in spans]
        start = end
    return []


def _spans_in(text: str, terms: dict[str, set[str]], lang: str) -> list[tuple[int, int]]:
    lowered = text.lower()
    folded = lowered.translate(FOLD_MAP)
    if len(folded) != len(text):  # a fold changed lengths (ß → ss): positions would drift
        return _matching_spans_slowly(text, terms, lang)
    neutral, stems = terms.get("", set()), terms.get(lang) or set()
    spans = []
    if neutral:
        pattern = r"\b(?:" + "|".join(map(re.escape, sorted(neutral, key=len, reverse=True))) + r")\b"
        spans += [m.span() for m in _first_matches(re.finditer(pattern, folded))]
    if stems:
        forms = stem_forms(lang)
        prefixes = sorted({stem[:3] for stem in stems}, key=len, reverse=True)
        pattern = r"\b(?:" + "|".join(map(re.escape, prefixes)) + r")\w*"
        candidates = _first_matches(re.finditer(pattern, folded), verify=lambda m: not stems.isdisjoint(
            forms(lowered[m.start():m.end()])))
        spans += [m.span() for m in candidates]
    return sorted(set(spans))


def _first_matches(matches, verify=None) -> list:
    """Matches within one snippet of the first one (stop scanning long texts early)."""
    out = []
    for match in matches:
        if verify is not None and not verify(match):
            continue
        if out and match.start() > out[0].start() + SNIPPET_CHARS:
            break
        out.append(match)
    return out


def _matching_spans_slowly(text: str, terms: dict[str, set[str]], lang: str) -> list[tuple[int, int]]:
    neutral = terms.get("", set())
    stems = terms.get(lang) or set()
    forms = stem_forms(lang) if stems else None
    spans = []
    for match in WORD_RE.finditer(text):
        word = match.group().lower()
        if word.translate(FOLD_MAP) in neutral or (
                forms is not None and not stems.isdisjoint(forms(word))):
            spans.append(match.span())
            if len(spans) >= 20:
                break
    return spans


def _shorten(text: str, start: int, length: int) -> tuple[str, int]:
    """`length` characters of `text` from about `start`, cut at spaces; returns (text, offset)."""
    if start > 0:
        space = text.rfind(" ", max(0, start - 20), start)
        start = space + 1 if space >= 0 else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    return text[start:end], start


def _fragment(text: str, spans: list[tuple[int, int]]) -> Markup:
    first_start = spans[0][0]
    window_start = max(0, first_start - SNIPPET_CHARS // 3)
    piece, offset = _shorten(text, window_start, SNIPPET_CHARS)
    out, position = [], 0
    if offset > 0:
        out.append(escape("… "))
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < position or end > len(piece):
            continue
        out.append(escape(piece[position:start]))
        out.append(Markup("<mark>{}</mark>").format(piece[start:end]))
        position = end
    out.append(escape(piece[position:]))
    if offset + len(piece) < len(text):
        out.append(escape(" …"))
    return Markup("").join(out)
