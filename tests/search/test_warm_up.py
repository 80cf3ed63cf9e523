"""A new process's first query paid 7.3 s loading simplemma's lemma dictionaries (bench, issue
18): the warm-up of a new view, which a server's follower runs in a thread of its own before
readers get the view, loads the dictionaries of the languages in the index first."""
import pytest
from simplemma import lemmatizer
from simplemma.strategies.dictionaries import dictionary_factory

from app.search import analysis, searcher
from app.search.services import search_case_studies

from .factories import index, make_record

pytestmark = pytest.mark.one_database


@pytest.fixture
def loads(monkeypatch):
    """The dictionaries simplemma loads from now on, as in a new process."""
    loaded = []
    load = dictionary_factory._load_dictionary_from_disk

    def counting(lang):
        loaded.append(lang)
        return load(lang)

    monkeypatch.setattr(dictionary_factory, "_load_dictionary_from_disk", counting)

    forget_dictionaries()
    yield loaded
    forget_dictionaries()  # the next tests load them again, unpatched


def forget_dictionaries():
    """Drop every dictionary and lemma simplemma and our analysis hold, as a new process has none."""
    dictionary_factory.DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_clear()
    lemmatizer._legacy_lemmatizer_for.cache_clear()  # its cache of lemmas
    analysis.DICTIONARIES._get_dictionary.cache_clear()
    analysis.LEMMATIZER._cached_lemmatize.cache_clear()
    analysis.stem_forms.cache_clear()
    analysis.word_stemmer.cache_clear()


def test_the_warm_up_loads_the_dictionaries_a_query_needs(app, loads):
    index(make_record(language="pl", body="Muzea i wystawy w Krakowie"),
          make_record(language="sk", body="Múzeá a výstavy"),
          make_record(language="en", body="Museums and exhibitions"))
    forget_dictionaries()  # the server process starting
    loads.clear()
    view = searcher.open_view(force=True)  # the follower's warm-up (a thread of its own)
    assert sorted(loads) == ["pl", "sk"]  # the lemmatised languages of the index, only those
    searcher.install_view(view)
    loads.clear()
    results = search_case_studies("wystawa", {}, 1, 20, "relevance")
    assert loads == []  # the first query loaded nothing
    assert results.total == 1


def test_load_dictionaries_names_the_lemmatised_languages_only(loads):
    assert analysis.load_dictionaries(["en", "pt", "hr", "xx"]) == ["hr", "pt"]
    assert sorted(loads) == ["hbs", "pt"]


def test_every_lemmatised_language_stays_loaded(loads):
    """simplemma's own cache holds eight dictionaries: with ten lemmatised languages the first
    ones were loaded again (seconds each) after the last."""
    languages = sorted(set(analysis.LEMMATISED) | set(analysis.LEMMA_FIRST))
    assert len(languages) > 8
    assert analysis.load_dictionaries(languages) == languages
    assert len(loads) == len(languages)
    loads.clear()
    for lang in languages:
        analysis.word_stemmer(lang)("wystawy")
    assert loads == []
