"""Concepts: the technologies of the registered vocabulary, found in records and in queries.

The record source may offer `synonyms()`: {phrase: concept key} in every language (the archive
offers its technology vocabulary). A record's `concepts` field holds the keys of its tags and
of every phrase found in its text; a query word or run of words that is a known phrase becomes
"(the words) OR concepts:key". So `photogrammétrie`, `fotogrametria` and `photogrammetry` find
the same case studies whatever language each is written in.

In running text a single word shorter than `MIN_TEXT_WORD` is not trusted ("ar", "ai" and
"app" are words of their own in many languages); in a query it is (a reader typing "VR" means
virtual reality).
"""
from functools import cache

from whoosh.qparser import Plugin, syntax
from whoosh.qparser.plugins import PhrasePlugin
from whoosh.spelling import ListCorrector

from .analysis import WORD_RE, fold
from .records import record_source

CONCEPT_FIELD = "concepts"
#: a concept named in another language or only in the tags counts like a body word
CONCEPT_BOOST = 1.0
MIN_TEXT_WORD = 5
LONGEST_PHRASE = 4  # words


class ConceptTable:
    """Phrases as tuples of folded words -> concept key, and the words "did you mean" offers."""

    def __init__(self, synonyms: dict[str, str]):
        self.phrases: dict[tuple[str, ...], str] = {}
        for phrase, key in synonyms.items():
            words = tuple(WORD_RE.findall(fold(phrase)))
            if words and len(words) <= LONGEST_PHRASE:
                self.phrases[words] = key
        self.keys = frozenset(self.phrases.values())
        self.text_phrases = {words: key for words, key in self.phrases.items()
                             if len(words) > 1 or len(words[0]) >= MIN_TEXT_WORD}
        self.first_words = frozenset(words[0] for words in self.text_phrases)
        words = sorted({word for phrase in self.phrases for word in phrase
                        if len(word) >= MIN_TEXT_WORD and word.isalpha()})
        self.corrector = ListCorrector(words)

    def in_text(self, text: str) -> set[str]:
        """Keys of every known phrase in `text`."""
        words = WORD_RE.findall(fold(text))
        phrases, found = self.text_phrases, set()
        # Only where a phrase can start: a set intersection in C first (a rebuild calls this for
        # every case study; trying every position was a fifth of the indexing time).
        if self.first_words.isdisjoint(words):
            return found
        first_words = self.first_words
        for start, word in enumerate(words):
            if word not in first_words:
                continue
            for length in range(1, LONGEST_PHRASE + 1):
                key = phrases.get(tuple(words[start:start + length]))
                if key is not None:
                    found.add(key)
        return found

    def covered_words(self, text: str) -> set[str]:
        """The folded words of `text` that are part of a known phrase ("did you mean" leaves
        them alone: "realtà" of "realtà aumentata" is no misspelling)."""
        words, covered, start = WORD_RE.findall(fold(text)), set(), 0
        while start < len(words):
            length, _key = self.longest_at(words, start)
            covered.update(words[start:start + length])
            start += max(length, 1)
        return covered

    def longest_at(self, words: list[str], start: int) -> tuple[int, str | None]:
        """(length, key) of the longest known phrase starting at `words[start]`."""
        for length in range(min(LONGEST_PHRASE, len(words) - start), 0, -1):
            key = self.phrases.get(tuple(words[start:start + length]))
            if key is not None:
                return length, key
        return 0, None


def concept_table() -> ConceptTable:
    """The table of the current application's record source (empty without synonyms)."""
    source = record_source()
    return _table_for(source.synonyms)


@cache
def _table_for(synonyms) -> ConceptTable:
    return ConceptTable(synonyms() if synonyms is not None else {})


def record_concepts(record: dict, text: str) -> list[str]:
    """The concept keys of one record: its technology tags the vocabulary knows, and every
    phrase found in its text."""
    table = concept_table()
    tags = {tag for tag in record.get("technologies") or [] if tag in table.keys}
    return sorted(tags | table.in_text(text))


class ConceptPlugin(Plugin):
    """Query parser plugin: a known phrase becomes "(its words) OR concepts:key". Runs after
    explicit field names (100) and before the words are spread over the fields (110)."""

    def __init__(self, table: ConceptTable):
        self.table = table

    def filters(self, parser):
        return [(self.expand, 105)]

    def expand(self, parser, group):
        nodes, out, position = list(group), group.empty_copy(), 0
        while position < len(nodes):
            node = nodes[position]
            if isinstance(node, syntax.GroupNode):
                out.append(self.expand(parser, node))
                position += 1
                continue
            if isinstance(node, PhrasePlugin.PhraseNode) and node.fieldname is None:
                key = self.table.phrases.get(tuple(WORD_RE.findall(fold(node.text))))
                out.append(self._either(node, key) if key else node)
                position += 1
                continue
            end, key = self._phrase_from(nodes, position)
            if key is None:
                out.append(node)
                position += 1
                continue
            words = [n for n in nodes[position:end] if isinstance(n, syntax.WordNode)]
            out.append(self._either(words[0] if len(words) == 1 else syntax.AndGroup(words), key))
            position = end
        return out

    @staticmethod
    def _either(node, key: str):
        concept = syntax.WordNode(key)
        concept.set_fieldname(CONCEPT_FIELD)
        concept.set_boost(CONCEPT_BOOST)
        concept.set_range(getattr(node, "startchar", 0), getattr(node, "endchar", 0))
        return syntax.OrGroup([node, concept])

    def _phrase_from(self, nodes, start: int) -> tuple[int, str | None]:
        """(index after the last node, key) of the longest known phrase of query words from
        `start` ("3D-Druck" is one query word and two phrase words)."""
        words, ends, position = [], [], start
        while position < len(nodes) and len(words) < LONGEST_PHRASE:
            node = nodes[position]
            if isinstance(node, syntax.Whitespace) and words:
                position += 1
                continue
            if type(node) is not syntax.WordNode or node.fieldname is not None:
                break
            words.append(WORD_RE.findall(fold(node.text)))
            ends.append(position + 1)
            position += 1
        for count in range(len(words), 0, -1):
            key = self.table.phrases.get(tuple(part for word in words[:count] for part in word))
            if key is not None:
                return ends[count - 1], key
        return start, None
