"""The catalogues keep to translations/GLOSSARY.md: where a language's section names its word for
"grant", every string about grants uses that word (not a second one for the same idea)."""
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
