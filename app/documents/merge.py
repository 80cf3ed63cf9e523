"""Three-way, line-based merge of document texts: `merge_texts(base, theirs, mine)`.

`theirs` is what was saved since the editor started from `base`; `mine` is what the editor
submits. Regions changed by only one side are taken from that side; regions changed by both
sides in the same way are taken once; regions changed differently by both sides (sharing a base
line, or an insertion at the edge of the other's change) are conflicts, written out between
diff3-style markers so that nothing either person typed is lost. Plain functions, no database, no Flask.
"""
from dataclasses import dataclass, field
from difflib import SequenceMatcher

MARK_THEIRS = "<<<<<<<"
MARK_SPLIT = "======="
MARK_MINE = ">>>>>>>"


@dataclass
class MergeResult:
    text: str
    conflicts: int = 0
    #: (their lines, my lines) for each conflicting region, for display
    regions: list[tuple[list[str], list[str]]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.conflicts == 0


@dataclass
class _Hunk:
    start: int          # first base line replaced
    end: int            # one past the last base line replaced (== start for an insertion)
    lines: list[str]    # the replacement
    side: str           # "theirs" or "mine"


def split_lines(text: str) -> list[str]:
    return normalise_newlines(text).split("\n")


def normalise_newlines(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _hunks(base: list[str], other: list[str], side: str) -> list[_Hunk]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [
        _Hunk(i1, i2, other[j1:j2], side)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def _apply(base: list[str], start: int, end: int, hunks: list[_Hunk]) -> list[str]:
    """base[start:end] with one side's hunks (all inside that range) applied."""
    out: list[str] = []
    cursor = start
    for hunk in sorted(hunks, key=lambda h: (h.start, h.end)):
        out.extend(base[cursor:hunk.start])
        out.extend(hunk.lines)
        cursor = hunk.end
    out.extend(base[cursor:end])
    return out


def _overlap(a: _Hunk, b: _Hunk) -> bool:
    """Base ranges share a line, or an insertion sits at/inside the other's range (ambiguous)."""
    if a.start < b.end and b.start < a.end:
        return True
    if a.start == a.end and b.start <= a.start <= b.end:
        return True
    return b.start == b.end and a.start <= b.start <= a.end


def _groups(hunks: list[_Hunk]) -> list[list[_Hunk]]:
    """Hunks chained together by overlap, in base order."""
    groups: list[list[_Hunk]] = []
    for hunk in sorted(hunks, key=lambda h: (h.start, h.end)):
        if groups and any(_overlap(hunk, other) for other in groups[-1]):
            groups[-1].append(hunk)
        else:
            groups.append([hunk])
    return groups


def merge_texts(base: str, theirs: str, mine: str, *, their_label: str = "their version",
                my_label: str = "your version", union: bool = False) -> MergeResult:
    """Merge `mine` into `theirs`, both edited from `base`. `union`: a conflicting region holds
    their lines then mine, without markers (still counted in `conflicts`)."""
    base_lines, their_lines, my_lines = split_lines(base), split_lines(theirs), split_lines(mine)
    if their_lines == my_lines:
        return MergeResult(normalise_newlines(mine))
    if their_lines == base_lines:
        return MergeResult(normalise_newlines(mine))
    if my_lines == base_lines:
        return MergeResult(normalise_newlines(theirs))

    hunks = _hunks(base_lines, their_lines, "theirs") + _hunks(base_lines, my_lines, "mine")
    out: list[str] = []
    result = MergeResult("")
    cursor = 0
    for group in _groups(hunks):
        start = min(h.start for h in group)
        end = max(h.end for h in group)
        out.extend(base_lines[cursor:start])
        cursor = end
        theirs_part = [h for h in group if h.side == "theirs"]
        mine_part = [h for h in group if h.side == "mine"]
        their_version = _apply(base_lines, start, end, theirs_part)
        my_version = _apply(base_lines, start, end, mine_part)
        if not theirs_part or not mine_part or their_version == my_version:
            out.extend(my_version if mine_part else their_version)
            continue
        result.conflicts += 1
        result.regions.append((their_version, my_version))
        if union:
            out.extend(their_version + [line for line in my_version if line not in their_version])
            continue
        out.append(f"{MARK_THEIRS} {their_label}")
        out.extend(their_version)
        out.append(MARK_SPLIT)
        out.extend(my_version)
        out.append(f"{MARK_MINE} {my_label}")
    out.extend(base_lines[cursor:])
    result.text = "\n".join(out)
    return result
