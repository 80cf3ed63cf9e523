"""The technology vocabulary: canonical keys, a name in every interface language and known
synonyms in the EU languages (data in `technologies.json`), and the matching of tags typed by
authors to it.

A tag matches a technology when it equals one of its names or synonyms, ignoring case,
accents, hyphens, dots and spacing ("3D-Druck", "stampa 3d" and "3d printing" are all
`3d-printing`); a tag that matches nothing is kept as typed (lower case), a free tag.
Case studies store keys and free tags side by side; `flask --app wsgi archive vocabulary check`
lists the free tags worth adding here.

No database or Flask dependency: the migration that converted existing tags uses it, and
search learns the synonyms through the record source (`indexing.py`).
"""
import json
import re
from functools import cache
from pathlib import Path

from ..search.analysis import fold

DATA_FILE = Path(__file__).with_name("technologies.json")
#: interface languages every technology has a name in
NAME_LANGUAGES = ("en", "it", "fr", "de", "es", "pl", "nl", "pt")
#: the shortest word "did you mean" offers from the vocabulary
MIN_SUGGESTED_WORD = 5

_PUNCTUATION = re.compile(r"[\s\-_./·'’]+")
_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)\s*")


def spaced(text: str) -> str:
    """Folded, with hyphens, dots and runs of spaces made one space: the text-match form."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def squeezed(text: str) -> str:
    """`spaced` without spaces: the tag-match form ("3d-druck" = "3d druck" = "3ddruck")."""
    return spaced(text).replace(" ", "")


@cache
def technologies() -> dict[str, dict]:
    """key -> {"names": {lang: name}, "synonyms": [...]}, as in technologies.json."""
    with open(DATA_FILE, encoding="utf-8") as handle:
        return json.load(handle)["technologies"]


def _phrases(key: str, entry: dict) -> set[str]:
    """Every way of writing one technology: key, names (with and without the part in
    brackets, and that part alone) and synonyms."""
    phrases = {key, *entry["synonyms"]}
    for name in entry["names"].values():
        phrases.add(name)
        bare = _PARENTHESIS.sub(" ", name).strip()
        phrases.add(bare)
        phrases.update(part.strip() for inner in _PARENTHESIS.findall(name)
                       for part in inner.split("/"))
    return {phrase for phrase in phrases if phrase}


@cache
def tag_table() -> dict[str, str]:
    """squeezed phrase -> key. Built once; a phrase of two technologies belongs to neither."""
    table: dict[str, str] = {}
    clashes: set[str] = set()
    for key, entry in technologies().items():
        for phrase in _phrases(key, entry):
            form = squeezed(phrase)
            if form in table and table[form] != key:
                clashes.add(form)
            table[form] = key
    for form in clashes:
        del table[form]
    return table


def match_tag(tag: str) -> str | None:
    """The key of the technology `tag` names, or None for a free tag."""
    table = tag_table()
    form = squeezed(tag or "")
    if not form:
        return None
    if form in table:
        return table[form]
    if form.endswith("s") and form[:-1] in table:  # plural of an English name
        return table[form[:-1]]
    return None


def canonical_tags(tags: list[str]) -> list[str]:
    """Keys for the tags the vocabulary knows, free tags (lower case) for the rest, no repeats."""
    out: list[str] = []
    for tag in tags:
        clean = " ".join(str(tag).lower().split())
        value = match_tag(clean) or clean
        if value and value not in out:
            out.append(value)
    return out


def technology_name(value: str, lang: str | None) -> str:
    """The name of a technology key in `lang` (else English); a free tag as it is."""
    entry = technologies().get(value)
    if entry is None:
        return value
    names = entry["names"]
    return names.get((lang or "en")[:2]) or names["en"]


def editable_name(value: str, lang: str | None) -> str:
    """The name to put back in the editor's comma-separated field: without the part in
    brackets (it may hold commas), which still matches the same technology."""
    return _PARENTHESIS.sub(" ", technology_name(value, lang)).strip()


def text_synonyms() -> dict[str, str]:
    """spaced phrase -> key, for finding technologies in queries and running text (search
    receives it through the record source and decides which short words to trust in text)."""
    table: dict[str, str] = {}
    clashes: set[str] = set()
    for key, entry in technologies().items():
        for phrase in _phrases(key, entry):
            form = spaced(phrase)
            if form in table and table[form] != key:
                clashes.add(form)
            if form:
                table[form] = key
    for form in clashes:
        del table[form]
    return table


def vocabulary_words() -> list[str]:
    """The single words of every name and synonym, folded (for "did you mean")."""
    words = {word for phrase in text_synonyms() for word in phrase.split()
             if len(word) >= MIN_SUGGESTED_WORD and word.isalpha()}
    return sorted(words)
