"""A technology named in any language finds the case studies that name it in another, and
"did you mean" knows the vocabulary even where a word is only a tag."""
import pytest

from app.search.services import search_case_studies

from .factories import index, make_record


def found(q, **filters) -> list[str]:
    return sorted(hit.slug for hit in search_case_studies(q, filters).hits)


@pytest.fixture
def multilingual(app):
    index(make_record(slug="it", language="it", technologies=[], title="Il lapidario",
                      body="Abbiamo usato la fotogrammetria per le lapidi."),
          make_record(slug="fr", language="fr", technologies=["photogrammetry"],
                      title="Les sculptures", body="Des modèles pour le public."),
          make_record(slug="pl", language="pl", technologies=[], title="Kamienie",
                      body="Fotogrametria kamieni nagrobnych."),
          make_record(slug="de", language="de", technologies=["3d-printing"],
                      title="Repliken", body="Tastmodelle aus dem 3D-Druck für Blinde."),
          make_record(slug="es", language="es", technologies=[], title="Réplicas",
                      body="Usamos la impresión 3D y la realidad virtual."),
          make_record(slug="none", language="en", technologies=[], title="A garden",
                      body="Nothing technical here."))


@pytest.mark.parametrize("query", ["photogrammétrie", "fotogrametria", "photogrammetry",
                                   "Fotogrammetria", "PHOTOGRAMMETRIE", "fotogrammetri"])
def test_photogrammetry_in_any_language_finds_the_same_case_studies(multilingual, query):
    assert found(query) == ["fr", "it", "pl"]


@pytest.mark.parametrize("query", ["3D printing", "stampa 3D", "3D-Druck", "impression 3d",
                                   "druk 3D"])
def test_multi_word_names_expand_too(multilingual, query):
    assert found(query) == ["de", "es"]


def test_an_acronym_in_a_query_finds_the_concept(multilingual):
    assert found("VR") == ["es"]
    assert found("virtual reality") == ["es"]


def test_expansion_keeps_the_rest_of_the_query(multilingual):
    assert found("fotogrammetria lapidi") == ["it"]
    assert found("fotogrammetria NOT lapidi") == ["fr", "pl"]
    assert found('"stampa 3d"') == ["de", "es"]


def test_did_you_mean_knows_words_that_are_only_tags(app):
    index(make_record(slug="tagged", technologies=["photogrammetry"], title="Stones",
                      body="We captured the stones."),
          make_record(slug="other", technologies=[], title="Garden", body="Plants."))
    results = search_case_studies("photogrametry", {})
    assert results.total == 0
    assert results.suggestion == "photogrammetry"
    assert found(results.suggestion) == ["tagged"]
