"""Every shipped catalogue is complete and faithful to its source strings.

A catalogue fails when an entry is untranslated or fuzzy, when a translation's placeholders
(`%(name)s`, `{name}`, `%s`) or HTML tags differ from the source, when it lacks a string the
template (messages.pot) has, or when its plural forms are wrong: the header must declare the
locale's CLDR plural rule (Polish has three forms) and every plural entry must carry exactly
that many msgstr forms. New catalogues under translations/ join these tests automatically.
"""
import re
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
LOCALES = [po.parts[-3] for po in CATALOGUES]

PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_]\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text or ""))


def tags(text: str) -> list[str]:
    return sorted(HTML_TAG.findall(text or ""))


def load(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source)


def entries(catalogue):
    return [message for message in catalogue if message.id]


def translated(message) -> bool:
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(form and form.strip() for form in forms)


def plural_form_counts(po: Path) -> dict[str, int]:
    """msgid_plural → how many msgstr[n] lines the file really has (read_po drops extras)."""
    counts = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        plural = re.search(r'^msgid_plural "(.*)"', block, re.M)
        if plural and not block.lstrip().startswith("#~"):
            singular = re.search(r'^msgid "(.*)"', block, re.M).group(1)
            counts[singular] = len(re.findall(r"^msgstr\[\d+\]", block, re.M))
    return counts


def test_catalogues_are_found():
    assert "it" in LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_no_entry_is_untranslated_or_fuzzy(locale):
    catalogue = load(locale)
    fuzzy = [message.id for message in entries(catalogue) if message.fuzzy]
    empty = [message.id for message in entries(catalogue) if not translated(message)]
    assert not fuzzy, f"{locale}: fuzzy entries {fuzzy[:10]}"
    assert not empty, f"{locale}: {len(empty)} untranslated entries, e.g. {empty[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_has_every_string_of_the_template(locale):
    with (TRANSLATIONS / "messages.pot").open("rb") as source:
        template = {message.id if isinstance(message.id, str) else message.id[0]
                    for message in read_po(source) if message.id}
    have = {message.id if isinstance(message.id, str) else message.id[0]
            for message in entries(load(locale))}
    missing = sorted(template - have)
    assert not missing, f"{locale}: run `make translations`; missing {missing[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_and_tags_match_the_source(locale):
    wrong = []
    for message in entries(load(locale)):
        if isinstance(message.id, tuple):
            source = set(placeholders(message.id[0])) | set(placeholders(message.id[1]))
            for form, text in enumerate(message.string):
                # a form may leave the number out ("one file"), never add one the source lacks
                if not set(placeholders(text)) <= source or tags(text) != tags(message.id[1]):
                    wrong.append((message.id[0], form, text))
            if placeholders(message.string[-1]) != placeholders(message.id[1]):
                wrong.append((message.id[1], "last", message.string[-1]))
        elif placeholders(message.string) != placeholders(message.id) or \
                tags(message.string) != tags(message.id):
            wrong.append((message.id, message.string))
    assert not wrong, f"{locale}: placeholders or tags differ: {wrong[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_follow_the_language(locale):
    expected, _rule = get_plural(locale)
    catalogue = load(locale)
    declared = re.search(r"nplurals=(\d+)", catalogue.plural_forms or "")
    assert declared and int(declared.group(1)) == expected, \
        f"{locale}: header declares {catalogue.plural_forms!r}, the language has {expected} forms"
    counts = plural_form_counts(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")
    wrong = {msgid: count for msgid, count in counts.items() if count != expected}
    assert not wrong, f"{locale}: plural entries need {expected} forms: {list(wrong.items())[:5]}"


def test_the_checks_catch_a_bad_translation():
    assert placeholders("%(num)d files in {name}: %s") == ["%(num)d", "%s", "{name}"]
    assert placeholders("%(num)d fichiers") != placeholders("%(count)d fichiers")
    assert tags("<strong>a</strong>") != tags("a")
    assert get_plural("pl")[0] == 3 and get_plural("de")[0] == 2
