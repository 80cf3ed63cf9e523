"""What a visitor expects from the archive search: accents folded, words stemmed in the text's
language, titles first, facet counts for the current query, suggestions, safe bad input."""
import pytest

from app.core.errors import ValidationError
from app.search.services import search_case_studies, similar_case_studies

from .factories import index, make_record


def slugs(q, filters=None, **kwargs):
    return [hit.slug for hit in search_case_studies(q, filters or {}, **kwargs).hits]


def test_accentless_query_finds_accented_words(app):
    index(make_record(slug="louvre", title="Le Musée numérique", language="fr"),
          make_record(slug="krakow", title="Muzeum Narodowe", language="pl",
                      body="Digitising the collections of Małopolska."),
          make_record(slug="other", title="Something else"))
    assert slugs("musee") == ["louvre"]
    assert slugs("numerique") == ["louvre"]
    assert slugs("Malopolska") == ["krakow"]
    assert slugs("MAŁOPOLSKA") == ["krakow"]


@pytest.mark.parametrize("text, query", [
    ("Straße", "strasse"), ("Ærøskøbing", "aeroskobing"), ("Đakovo", "dakovo"),
    ("Ħamrun", "hamrun"), ("Kırklareli", "kirklareli"), ("Œuvres", "oeuvres"),
])
def test_letters_accent_map_misses_are_folded_too(app, text, query):
    index(make_record(slug="target", title=f"Museum in {text}", language="xx"))
    assert slugs(query) == ["target"]


STEM_PAIRS = [
    ("it", "I musei civici", "museo"),
    ("fr", "Les musées de la ville", "musee"),
    ("fr", "Les collections", "collection"),
    ("de", "Die Sammlungen des Hauses", "Sammlung"),
    ("es", "Las colecciones del museo", "coleccion"),
    ("en", "Our collections online", "collection"),
    ("pt", "As bibliotecas e os visitantes", "visitante"),
    ("nl", "De tentoonstellingen", "tentoonstelling"),
    ("sv", "Museets samlingar", "samling"),
    ("da", "Museets samlinger", "samling"),
    ("no", "Museets samlinger", "samling"),
    ("fi", "Museoissa ja kokoelmissa", "museo"),
    ("hu", "A gyűjtemények", "gyujtemeny"),
    ("ro", "Colecțiile muzeelor", "colectia"),
    ("ru", "Коллекции музея", "коллекция"),
]


@pytest.mark.parametrize("lang, text, query", STEM_PAIRS)
def test_words_are_stemmed_in_the_language_of_the_text(app, lang, text, query):
    index(make_record(slug="target", title="Project", summary=text, language=lang),
          make_record(slug="other", title="Unrelated", summary="Nothing to see", language=lang))
    assert slugs(query) == ["target"]


def test_stemming_follows_the_case_study_language_not_english(app):
    # German stems `Sammlungen` to `sammlung`; indexed as English it is not stemmed so.
    index(make_record(slug="en", summary="Sammlungen", language="en"))
    assert slugs("Sammlung") == []


def test_title_match_ranks_above_summary_and_body_matches(app):
    index(make_record(slug="body", title="Project A", body="We scanned the tapestry twice."),
          make_record(slug="summary", title="Project B", summary="A tapestry, scanned."),
          make_record(slug="title", title="The tapestry project", body="Scanning."))
    assert slugs("tapestry") == ["title", "summary", "body"]


def test_facets_count_the_current_query_and_filters(app):
    index(make_record(slug="a", title="Textile scanning", country="IT", areas=["ar-vr", "education"],
                      year=2023, language="it"),
          make_record(slug="b", title="Textile archive", country="FR", areas=["education"],
                      year=2024, language="fr"),
          make_record(slug="c", title="Textile game", country="IT", areas=["games"], year=2024),
          make_record(slug="d", title="Sculpture scanning", country="DE", areas=["ar-vr"]))
    results = search_case_studies("textile", {}, 1, 20, "relevance")
    assert results.total == 3
    assert results.facets["country"] == {"IT": 2, "FR": 1}
    assert results.facets["area"] == {"education": 2, "ar-vr": 1, "games": 1}
    assert results.facets["year"] == {"2024": 2, "2023": 1}
    filtered = search_case_studies("textile", {"country": ["IT"]}, 1, 20, "relevance")
    assert {hit.slug for hit in filtered.hits} == {"a", "c"}
    assert filtered.facets["country"] == {"IT": 2}
    assert filtered.facets["area"] == {"ar-vr": 1, "education": 1, "games": 1}
    either = search_case_studies("", {"country": ["IT", "DE"], "area": ["ar-vr"]}, 1, 20, "date")
    assert [hit.slug for hit in either.hits] == ["d", "a"]
    assert set(either.facets) == {"country", "area", "technology", "language", "year",
                                  "lead_kind", "lead_size", "budget_range"}


def test_misspelt_query_gets_a_suggestion_that_returns_results(app):
    index(make_record(slug="a", title="Photogrammetry of the Etruscan collection", language="en"),
          make_record(slug="b", title="Virtual reality in the museum", language="en"))
    results = search_case_studies("etruscn colection", {}, 1, 20, "relevance")
    assert results.total == 0
    assert results.suggestion == "etruscan collection"
    assert search_case_studies(results.suggestion, {}, 1, 20, "relevance").total == 1
    assert search_case_studies("etruscan", {}, 1, 20, "relevance").suggestion is None


def test_no_suggestion_that_would_find_nothing_with_the_filters(app):
    index(make_record(slug="a", title="Etruscan bronzes", country="IT"))
    assert search_case_studies("etruscn", {"country": ["FR"]}, 1, 20, "relevance").suggestion is None


def test_highlights_mark_matches_and_escape_the_text(app):
    index(make_record(slug="a", summary="<b>Bold</b> claims about the Musée & its visitors"))
    hit = search_case_studies("musee", {}, 1, 20, "relevance").hits[0]
    assert "<mark>Musée</mark>" in hit.highlight
    assert "&lt;b&gt;" in hit.highlight and "&amp;" in hit.highlight
    assert "<b>" not in hit.highlight


def test_highlight_finds_stemmed_matches_in_the_body(app):
    index(make_record(slug="a", summary="About us.", language="it",
                      body="Lorem ipsum. " * 40 + "Abbiamo digitalizzato i musei della città."))
    hit = search_case_studies("museo", {}, 1, 20, "relevance").hits[0]
    assert "<mark>musei</mark>" in hit.highlight and hit.highlight.startswith("…")


def test_sort_by_date_and_pagination(app):
    records = index(*[make_record(slug=f"s{n}", title=f"Loom {n}") for n in range(7)])
    newest_first = [r["slug"] for r in sorted(records, key=lambda r: r["published_at"],
                                              reverse=True)]
    page1 = search_case_studies("loom", {}, 1, 3, "date")
    page3 = search_case_studies("loom", {}, 3, 3, "date")
    assert page1.total == 7 and page1.pages == 3
    assert [h.slug for h in page1.hits] == newest_first[:3]
    assert [h.slug for h in page3.hits] == newest_first[6:]
    assert search_case_studies("loom", {}, 99, 3, "date").hits == []


def test_phrase_query(app):
    index(make_record(slug="phrase", summary="open data portal for the region"),
          make_record(slug="apart", summary="open the portal, data later"))
    assert slugs('"open data portal"') == ["phrase"]
    assert sorted(slugs("open data portal")) == ["apart", "phrase"]


@pytest.mark.parametrize("q", ['"unbalanced quote', "museum AND", "OR", "(((museum",
                               "museum)", "NOT", "title:museum", "mus*", "a:b:c", "\x00museum"])
def test_awkward_queries_never_fail(app, q):
    index(make_record(slug="a", title="Museum"))
    results = search_case_studies(q, {}, 1, 20, "relevance")
    assert results.total >= 0


@pytest.mark.parametrize("q", ["x" * 501, "!!!", "((( )))"])
def test_hopeless_queries_are_a_validation_error(app, q):
    with pytest.raises(ValidationError):
        search_case_studies(q, {}, 1, 20, "relevance")


def test_bad_filters_and_paging_are_refused_or_clamped(app):
    index(make_record(slug="a"))
    with pytest.raises(ValidationError):
        search_case_studies("", {"colour": ["red"]}, 1, 20, "relevance")
    with pytest.raises(ValidationError):
        search_case_studies("", {"country": ["IT"] * 50}, 1, 20, "relevance")
    results = search_case_studies("", {"country": ["ZZ"]}, -1, 10_000, "sideways")
    assert (results.total, results.page, results.per_page, results.sort) == (0, 1, 50, "relevance")


def test_similar_case_studies(app):
    index(make_record(slug="a", title="Textile scanning", body="loom weaving textile silk dye"),
          make_record(slug="b", title="Textile app", body="loom weaving textile silk pattern"),
          make_record(slug="c", title="Space", body="planets rockets telescope astronomy"))
    assert similar_case_studies("a")[:1] == ["b"]
    assert "a" not in similar_case_studies("a")
    assert similar_case_studies("missing") == []


def test_empty_index_gives_empty_results(app):
    results = search_case_studies("museum", {}, 1, 20, "relevance")
    assert (results.total, results.hits, results.suggestion) == (0, [], None)
    assert results.facets["country"] == {}
