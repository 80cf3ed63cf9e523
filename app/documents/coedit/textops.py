"""A plain-text edit expressed as operations on the shared Y.Text.

The no-JS form sends a whole text edited from some revision (`base`); meanwhile the shared text
(`current`) may have moved on. `rebase` finds what the person changed (base -> mine) and where
those places are now (base -> current), and returns the edit as (position, deleted, inserted)
operations in `current`'s coordinates, last position first: someone else's changes are kept,
and a change to text someone else already deleted is only an insertion. No conflict page.
"""
from difflib import SequenceMatcher


def _trim(a: str, b: str) -> tuple[int, int]:
    """Common prefix and suffix lengths (most edits touch one place: keep the diff small)."""
    prefix = 0
    limit = min(len(a), len(b))
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _opcodes(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    prefix, suffix = _trim(a, b)
    middle = SequenceMatcher(None, a[prefix:len(a) - suffix], b[prefix:len(b) - suffix],
                             autojunk=False)
    codes = [("equal", 0, prefix, 0, prefix)] if prefix else []
    codes += [(tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix)
              for tag, i1, i2, j1, j2 in middle.get_opcodes() if i2 > i1 or j2 > j1]
    if suffix:
        codes.append(("equal", len(a) - suffix, len(a), len(b) - suffix, len(b)))
    return codes


def _positions(base: str, current: str) -> list[int | None]:
    """For each character of `base`, its index in `current`, or None where it is gone."""
    where: list[int | None] = [None] * len(base)
    for tag, i1, i2, j1, _j2 in _opcodes(base, current):
        if tag == "equal":
            for offset in range(i2 - i1):
                where[i1 + offset] = j1 + offset
    return where


def rebase(base: str, mine: str, current: str) -> list[tuple[int, int, str]]:
    """The edit base -> mine as (position, delete count, insert text) on `current`, in
    decreasing position order (apply them in the order given)."""
    if base == current:
        where = list(range(len(base)))
    else:
        where = _positions(base, current)
    operations = []
    for tag, i1, i2, j1, j2 in reversed(_opcodes(base, mine)):
        if tag == "equal":
            continue
        # delete what is still there of base[i1:i2], one contiguous run at a time
        runs: list[list[int]] = []
        for index in range(i1, i2):
            position = where[index]
            if position is None:
                continue
            if runs and runs[-1][0] + runs[-1][1] == position:
                runs[-1][1] += 1
            else:
                runs.append([position, 1])
        for position, count in reversed(runs):
            operations.append((position, count, ""))
        if j2 > j1:
            operations.append((_anchor(where, i1), 0, mine[j1:j2]))
    return operations


def _anchor(where: list[int | None], index: int) -> int:
    """Where text inserted before base[index] goes in current: just after the last surviving
    character before it."""
    for previous in range(index - 1, -1, -1):
        if where[previous] is not None:
            return where[previous] + 1
    return 0


def apply_operations(text, operations: list[tuple[int, int, str]]) -> None:
    """Apply `rebase`'s operations to a pycrdt Text (inside the caller's transaction)."""
    for position, count, inserted in operations:
        if count:
            del text[position:position + count]
        if inserted:
            text.insert(position, inserted)
