"""The catalogues keep to translations/GLOSSARY.md: where a language's section names its word for
"grant", every string about grants uses that word (not a second one for the same idea); every
string about a pilot uses the language's word for "pilot" ("proyecto piloto", never "Piloto")."""
import re

import pytest

from .test_catalogues import LOCALES, TRANSLATIONS, entries, load

GRANT = re.compile(r"\bgrants?\b", re.I)


def glossary_terms(term: str) -> dict[str, str]:
    """locale → the glossary's word for `term` (the first cell after it in that language's table)."""
    found, locale = {}, None
    for line in (TRANSLATIONS / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## .*\((\w+)\)\s*$", line)
        if heading:
            locale = heading.group(1)
        row = re.match(r"\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|", line)
        if locale and row and row.group(1) == term:
            found[locale] = row.group(2)
    return found


GRANT_WORDS = glossary_terms("grant")


def test_the_glossary_names_the_word_for_grant():
    assert GRANT_WORDS["es"] == "ayuda" and GRANT_WORDS["pt"] == "apoio"


@pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale in GRANT_WORDS])
def test_strings_about_grants_use_the_glossary_word(locale):
    stem = GRANT_WORDS[locale].lower()[:-1]  # "ayud" also matches "ayudas", "apoi" "apoios"
    stray = []
    for message in entries(load(locale)):
        source = message.id if isinstance(message.id, str) else message.id[0]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if GRANT.search(source) and not all(stem in form.lower() for form in forms):
            stray.append((source, forms))
    assert not stray, f"{locale}: say {GRANT_WORDS[locale]!r} for a grant: {stray[:5]}"


#: "pilot(s)" as a word of the sentence, not inside a slug such as digital-pilots-2027
PILOT = re.compile(r"(?<![\w-])pilots?(?![\w-])", re.I)
PILOT_WORDS = glossary_terms("pilot")


def inflected(term: str) -> re.Pattern:
    """The glossary's word (before any note in brackets) with each part's ending free, so that
    "proyecto piloto" also matches "proyectos piloto", "projeto-piloto" "projetos-piloto" and
    "Pilotprojekt" "Pilotprojekte", but "Piloto" alone does not."""
    word = term.split("(")[0].strip().lower()
    parts = re.split(r"([\s-]+)", word)
    return re.compile("".join(part if re.fullmatch(r"[\s-]+", part) else re.escape(part[:-1]) + r"\w*"
                              for part in parts), re.I)


def test_the_glossary_names_the_word_for_pilot_in_every_language():
    assert set(LOCALES) <= set(PILOT_WORDS)
    assert inflected(PILOT_WORDS["es"]).search("Los proyectos piloto")
    assert not inflected(PILOT_WORDS["es"]).search("Piloto")
    assert inflected(PILOT_WORDS["pt"]).search("O projeto-piloto")
    assert not inflected(PILOT_WORDS["pt"]).search("Pilotos financiados")


@pytest.mark.parametrize("locale", LOCALES)
def test_strings_about_pilots_use_the_glossary_word(locale):
    word = inflected(PILOT_WORDS[locale])
    stray = []
    for message in entries(load(locale)):
        source = message.id if isinstance(message.id, str) else message.id[0]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if PILOT.search(source) and not all(word.search(form) for form in forms):
            stray.append((source, forms))
    assert not stray, f"{locale}: say {PILOT_WORDS[locale]!r} for a pilot: {stray[:5]}"
