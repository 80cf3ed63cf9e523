"""Word analysis for every language a case study may be written in: the accent and case fold,
and each language's stemmer or lemmatiser (docs/search.md has the table).

- Snowball stemmers (PyStemmer, the C implementation: fast enough for a full reindex) for the
  languages Snowball covers; Polish and Portuguese words are lemmatised first (simplemma), so
  `muzea` meets `muzeum` and `museus` `museu`, and a Polish relational adjective meets its
  noun (`bursztynowym` -> `bursztynowy` -> `bursztyn`).
- `simplemma` lemmas (its dictionaries ship inside the package) where Snowball has no stemmer:
  Bulgarian, Croatian, Latvian, Slovak, Slovenian, and Ukrainian and Albanian among the other
  archive languages; and Estonian, whose Snowball stemmer (new in Snowball 3) leaves plurals
  apart (`näitus` / `näitused`). A dictionary loads on first use of its language (seconds).
- Maltese has neither: a light stemmer of our own strips the regular ("sound") plural endings
  (`mużewijiet` → `mużew`); broken plurals (`kelb` / `klieb`) are not conflated.

Every form is folded: lower case, accents and marks removed (Polish ł, German ß, Greek tonos
and final sigma, Romanian ș and the older ş), so accentless queries meet accented texts.
`stem_forms(lang)(word)` gives the two forms a word is indexed and searched under: the folded
stem of the word as written and the stem of the folded word (stemmers disagree about accents).
Both are cached per token: a lemmatiser call costs far more than a dictionary lookup.
"""
import re
import unicodedata
from functools import cache, lru_cache

import simplemma
import Stemmer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import DefaultDictionaryFactory
from whoosh.support.charset import accent_map

#: language -> Snowball algorithm (PyStemmer)
SNOWBALL = {
    "cs": "czech", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "ga": "irish",
    "hu": "hungarian", "it": "italian", "lt": "lithuanian", "nl": "dutch", "no": "norwegian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish",
}
#: language -> simplemma's language code (Croatian is in its Serbo-Croatian dictionary)
LEMMATISED = {"bg": "bg", "et": "et", "hr": "hbs", "lv": "lv", "sk": "sk", "sl": "sl", "sq": "sq",
              "uk": "uk"}
#: Snowball languages whose words are first lemmatised (simplemma), then stemmed: Snowball
#: alone leaves Polish `muzeum` / `muzea` and Portuguese `museu` / `museus` apart
LEMMA_FIRST = {"pl": "pl", "pt": "pt"}
#: languages with our own light stemmer
LIGHT = {"mt"}
#: simplemma's own `lemmatize` keeps eight dictionaries per process; we lemmatise ten languages,
#: so an archive holding all of them would load one again (seconds) whenever a query or an
#: update moved between them. Our lemmatiser keeps every one it has loaded (the same lemmas:
#: simplemma's default strategy, not greedy).
DICTIONARIES = DefaultDictionaryFactory(
    cache_max_size=len(set(LEMMATISED.values()) | set(LEMMA_FIRST.values())))
LEMMATIZER = simplemma.Lemmatizer(
    lemmatization_strategy=DefaultStrategy(dictionary_factory=DICTIONARIES))
ANALYSED_LANGUAGES = tuple(sorted(set(SNOWBALL) | set(LEMMATISED) | LIGHT))
#: the 24 official languages of the European Union
EU_LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
                "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")
#: bump when the analysis changes: the index fingerprints change, `search check` reports
#: every record as stale and `search reindex` rebuilds with the new analysis
ANALYSIS_VERSION = 4
#: a word, as every analysis splits text
WORD_RE = re.compile(r"\w+")


def _fold_map() -> dict[int, str]:
    """Whoosh's accent map, every Latin, Greek and Cyrillic letter without its marks, and the
    letters that decompose to nothing useful."""
    table = dict(accent_map)
    for code in list(range(0x00C0, 0x0250)) + list(range(0x0370, 0x0400)) + \
            list(range(0x0400, 0x0530)) + list(range(0x1E00, 0x2000)):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char)
                       if not unicodedata.combining(c))
        if base and base != char and len(base) == 1:
            table[code] = base
    table.update({ord(k): v for k, v in {
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h",
        "ı": "i", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ſ": "s", "’": "'", "ς": "σ",
    }.items()})
    return table


FOLD_MAP = _fold_map()


def fold(text: str) -> str:
    return text.lower().translate(FOLD_MAP)


#: Maltese sound-plural endings, longest first
_MALTESE_ENDINGS = ("ijiet", "jiet", "iet", "ati", "at", "i")


def maltese_stem(word: str) -> str:
    for ending in _MALTESE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word


#: Polish relational adjectives made from a noun with -owy (`bursztynowy` from `bursztyn`);
#: the stem left must keep four letters (`nowy`, `gotowy` stay whole)
_POLISH_OWY = "owy"


def polish_noun_of(lemma: str) -> str:
    """The noun a Polish relational adjective's lemma is made from: `bursztynowy` -> `bursztyn`,
    `narodowy` -> `narod` (folded `naród`), `cyfrowy` -> `cyfr`."""
    if lemma.endswith(_POLISH_OWY) and len(lemma) - len(_POLISH_OWY) >= 4:
        return lemma[:-len(_POLISH_OWY)]
    return lemma


@cache
def word_stemmer(lang: str):
    """`word -> stem or lemma` for one language (lower-case input), or None when unknown."""
    if lang in LEMMA_FIRST:
        stem, code = Stemmer.Stemmer(SNOWBALL[lang]).stemWord, LEMMA_FIRST[lang]
        relational = polish_noun_of if lang == "pl" else (lambda lemma: lemma)
        return lambda word: stem(relational(LEMMATIZER.lemmatize(word, code).lower()))
    if lang in SNOWBALL:
        return Stemmer.Stemmer(SNOWBALL[lang]).stemWord
    if lang in LEMMATISED:
        code = LEMMATISED[lang]
        return lambda word: LEMMATIZER.lemmatize(word, code).lower()
    if lang in LIGHT:
        return maltese_stem
    return None


@cache
def stem_forms(lang: str):
    """A cached `word -> (fold(stem(word)), stem(fold(word)))` for one language."""
    stem = word_stemmer(lang)
    if stem is None:
        raise ValueError(f"no analysis for language {lang!r}")

    @lru_cache(maxsize=200_000)
    def forms(word: str) -> tuple[str, str]:
        word = word.lower()
        folded = word.translate(FOLD_MAP)
        return stem(word).translate(FOLD_MAP), stem(folded).translate(FOLD_MAP)

    return forms


def load_dictionaries(languages) -> list[str]:
    """Load now the simplemma dictionaries of those `languages` that are lemmatised (seconds each,
    once per process), so that no query or indexing waits for them; returns those languages.
    All of them stay loaded (`DICTIONARIES`)."""
    loaded = []
    for lang in sorted(set(languages)):
        code = LEMMATISED.get(lang) or LEMMA_FIRST.get(lang)
        if code is not None:
            LEMMATIZER.lemmatize("muzeum", code)
            loaded.append(lang)
    return loaded
