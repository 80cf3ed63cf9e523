"""Search in every official language of the EU: an inflected form finds the base form and the
base form finds the inflected one, typed with or without diacritics, without the reader saying
which language the query is in."""
import pytest

from app.search.analysis import ANALYSED_LANGUAGES, EU_LANGUAGES, fold, stem_forms
from app.search.services import search_case_studies

from .factories import index, make_record

pytestmark = pytest.mark.one_database

#: language, base form, an inflected form (plural, case or mutation), at least one with marks
#: where the language writes them
EU_TABLE = [
    ("bg", "музей", "музеите"),
    ("cs", "výstava", "výstavy"),
    ("da", "kunstværk", "kunstværker"),
    ("de", "Gemälde", "Gemäldes"),
    ("el", "μουσείο", "μουσεία"),
    ("en", "collection", "collections"),
    ("es", "colección", "colecciones"),
    ("et", "näitus", "näitused"),
    ("fi", "näyttely", "näyttelyssä"),
    ("fr", "musée", "musées"),
    ("ga", "músaem", "mhúsaem"),
    ("hr", "muzej", "muzejima"),
    ("hu", "gyűjtemény", "gyűjtemények"),
    ("it", "attività", "attività"),
    ("it", "museo", "musei"),
    ("lt", "kolekcija", "kolekcijų"),
    ("lv", "glezna", "gleznās"),
    ("mt", "mużew", "mużewijiet"),
    ("nl", "tentoonstelling", "tentoonstellingen"),
    ("pl", "bursztyn", "bursztynu"),
    ("pl", "pamiątka", "pamiątki"),
    ("pt", "memória", "memórias"),
    ("ro", "colecție", "colecțiile"),
    ("sk", "múzeum", "múzeá"),
    ("sl", "knjižnica", "knjižnice"),
    ("sv", "utställning", "utställningar"),
]


def test_the_table_covers_every_official_language():
    assert {lang for lang, _base, _inflected in EU_TABLE} == set(EU_LANGUAGES)
    assert set(EU_LANGUAGES) <= set(ANALYSED_LANGUAGES)


def found(q) -> list[str]:
    return sorted(hit.slug for hit in search_case_studies(q, {}).hits)


@pytest.mark.parametrize("lang, base, inflected", EU_TABLE)
def test_inflected_and_base_forms_find_each_other(app, lang, base, inflected):
    index(make_record(slug="base", title="Project one", summary=f"Il {base} e altro", language=lang),
          make_record(slug="inflected", title="Project two", summary=f"Il {inflected} e altro",
                      language=lang),
          make_record(slug="other", title="Unrelated", summary="Nothing to see", language=lang))
    assert found(inflected) == ["base", "inflected"]
    assert found(base) == ["base", "inflected"]
    assert found(fold(base)) == ["base", "inflected"]
    assert found(base.upper()) == ["base", "inflected"]


@pytest.mark.parametrize("lang, base, inflected", [
    ("pl", "bursztyn", "bursztynowym"), ("pl", "muzeum", "muzea"), ("pl", "muzeum", "muzeów"),
    ("pl", "wystawa", "wystawach"), ("pt", "museu", "museus"), ("pt", "exposição", "exposições"),
])
def test_polish_and_portuguese_forms_snowball_alone_left_apart(app, lang, base, inflected):
    """Issue 15: lemmatised before stemming (docs/search.md)."""
    index(make_record(slug="base", title="Project one", summary=f"Il {base} e altro", language=lang),
          make_record(slug="inflected", title="Project two", summary=f"Il {inflected} e altro",
                      language=lang),
          make_record(slug="other", title="Unrelated", summary="Nothing to see", language=lang))
    assert found(inflected) == ["base", "inflected"]
    assert found(base) == ["base", "inflected"]


@pytest.mark.parametrize("lang, base, inflected", [
    row for row in EU_TABLE if row[0] not in ("hr", "sk", "lv", "bg", "sl", "et")])
def test_accentless_inflected_form_finds_the_base_form_where_a_stemmer_works(
        app, lang, base, inflected):
    """Snowball stems accentless words too; a lemmatiser only knows the words as written
    (docs/search.md: an accentless inflected query meets the same inflection only)."""
    index(make_record(slug="base", title="Project", summary=f"Il {base} e altro", language=lang))
    assert found(fold(inflected)) == ["base"]


@pytest.mark.parametrize("word, same", [
    ("Straße", "strasse"), ("ŁÓDŹ", "lodz"), ("ΜΟΥΣΕΊΟ", "μουσειο"), ("ἱστορία", "ιστορια"),
    ("Brașov", "brasov"), ("Braşov", "brasov"), ("Țara", "tara"), ("Ţara", "tara"),
    ("ħajja", "hajja"), ("Ñandú", "nandu"), ("Vīlands", "vilands"), ("νόμος", "νομοσ"),
])
def test_fold_takes_case_and_marks_off_everywhere(word, same):
    assert fold(word) == same


def test_a_query_finds_documents_in_every_language_without_choosing(app):
    index(make_record(slug="pl", title="Wystawy", summary="Wystawa bursztynu", language="pl"),
          make_record(slug="el", title="Μουσεία", summary="Τα μουσεία της πόλης", language="el"),
          make_record(slug="mt", title="Mużewijiet", summary="Il-mużewijiet", language="mt"))
    assert found("bursztyn") == ["pl"]
    assert found("μουσειο") == ["el"]
    assert found("muzew") == ["mt"]


def test_every_analysed_language_has_a_working_analysis():
    for lang in ANALYSED_LANGUAGES:
        assert all(form for form in stem_forms(lang)("museum"))


@pytest.mark.parametrize("lang", [None, "en", "pl", "pt", "fr", "de", "el", "sk", "hr", "mt"])
def test_fast_indexing_gives_the_analyzers_terms_and_frequencies(lang):
    """`FastText.index` counts words with whole-string operations; it must yield exactly what
    the field's analyzer (used for queries) yields, token by token."""
    from collections import Counter

    from app.search.schema import build_schema, stemmed_field

    text = ("Muzeum bursztynu w Gdańsku: bursztynowym szlakiem! Museus e museu, ΜΟΥΣΕΊΟ "
            "ΟΔΟΣ Straße 3.5 e.g. the the The Výstavy výstava mużewijiet ŁÓDŹ foo*bar a_b "
            "İstanbul ﬁne Þing œuvre")
    field = build_schema()["body" if lang is None else stemmed_field(lang)]
    expected = Counter(token.text for token in field.analyzer(text, mode="index"))
    got = {term.decode(): freq for term, freq, _weight, _value in field.index(text)}
    assert got == dict(expected)


def test_the_language_facet_counts_translations(app):
    """Issue 15: a case study translated into French counts under French too."""
    index(make_record(slug="translated", language="it", summary="Il museo tattile",
                      translations=[{"language": "fr", "title": "Le musée tactile",
                                     "summary": "Toucher les œuvres", "body": "Les musées"}]),
          make_record(slug="french", language="fr", summary="Un musée"),
          make_record(slug="italian", language="it", summary="Un museo"))
    results = search_case_studies("", {})
    assert results.facets["language"] == {"fr": 2, "it": 2}
    assert sorted(hit.slug for hit in search_case_studies("", {"language": ["fr"]}).hits) == [
        "french", "translated"]
    assert found("œuvre") == ["translated"]  # the French stemmed field of a translation only
