"""Readable diffs between two document texts: line-based rows with word-level highlights.

`diff_rows(old, new)` returns rows for a template: unchanged context (long unchanged runs are
folded), removed and added lines, each with its line numbers and safe, escaped HTML in which the
changed words are wrapped in <del>/<ins>. No database, no Flask request.
"""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape

from .merge import split_lines

CONTEXT = 3
SIMILAR = 0.4  # below this token similarity, a changed line is shown whole, not word by word
_token = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class DiffRow:
    kind: str                  # "context", "removed", "added" or "fold"
    old_number: int | None
    new_number: int | None
    html: Markup
    folded: int = 0            # for "fold": how many unchanged lines are hidden


@dataclass
class DiffStats:
    added: int = 0
    removed: int = 0


_WRAP = {"del": Markup("<del>%s</del>"), "ins": Markup("<ins>%s</ins>")}


def _whole(line: str, tag: str) -> Markup:
    return _WRAP[tag] % line if line else Markup("")


def _words(old: str, new: str) -> tuple[Markup, Markup]:
    """The two lines with changed words wrapped in <del> (old) and <ins> (new)."""
    old_tokens, new_tokens = _token.findall(old), _token.findall(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    if matcher.ratio() < SIMILAR:
        # Lines that share little are easier to read as one removal and one addition.
        return _whole(old, "del"), _whole(new, "ins")
    old_out, new_out = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = escape("".join(old_tokens[i1:i2]))
        new_part = escape("".join(new_tokens[j1:j2]))
        if tag == "equal":
            old_out.append(old_part)
            new_out.append(new_part)
            continue
        if old_part:
            old_out.append(Markup("<del>%s</del>") % old_part)
        if new_part:
            new_out.append(Markup("<ins>%s</ins>") % new_part)
    return Markup("").join(old_out), Markup("").join(new_out)


def _context(rows: list[DiffRow], old_lines, new_lines, i1, i2, j1, j2, first, last) -> None:
    count = i2 - i1
    keep_head = 0 if first else CONTEXT
    keep_tail = 0 if last else CONTEXT
    if count <= keep_head + keep_tail + 1:
        spans = [(0, count)]
    else:
        spans = [(0, keep_head), None, (count - keep_tail, count)]
    for span in spans:
        if span is None:
            rows.append(DiffRow("fold", None, None, Markup(""), count - keep_head - keep_tail))
            continue
        for k in range(*span):
            rows.append(DiffRow("context", i1 + k + 1, j1 + k + 1, escape(old_lines[i1 + k])))


def diff_rows(old: str, new: str) -> tuple[list[DiffRow], DiffStats]:
    old_lines, new_lines = split_lines(old), split_lines(new)
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    opcodes = matcher.get_opcodes()
    rows: list[DiffRow] = []
    stats = DiffStats()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            _context(rows, old_lines, new_lines, i1, i2, j1, j2,
                     first=index == 0, last=index == len(opcodes) - 1)
            continue
        removed, added = old_lines[i1:i2], new_lines[j1:j2]
        stats.removed += len(removed)
        stats.added += len(added)
        pairs = min(len(removed), len(added)) if tag == "replace" else 0
        highlighted = [_words(removed[k], added[k]) for k in range(pairs)]
        for k, line in enumerate(removed):
            html = highlighted[k][0] if k < pairs else _whole(line, "del")
            rows.append(DiffRow("removed", i1 + k + 1, None, html))
        for k, line in enumerate(added):
            html = highlighted[k][1] if k < pairs else _whole(line, "ins")
            rows.append(DiffRow("added", None, j1 + k + 1, html))
    return rows, stats
