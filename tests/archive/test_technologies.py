"""The technology vocabulary: tags typed by authors meet the vocabulary whatever their case,
accents, language, hyphens or spacing; unknown ones stay free tags and the check lists them;
facets speak the reader's language."""
import pytest

from app.archive.technologies import (
    NAME_LANGUAGES, canonical_tags, match_tag, squeezed, technologies, technology_name,
)
from app.archive.validation import clean_case_study_input

from .factories import published


@pytest.mark.parametrize("typed, key", [
    ("photogrammetry", "photogrammetry"), ("Photogrammétrie", "photogrammetry"),
    ("FOTOGRAMMETRIA", "photogrammetry"), ("fotogrametría", "photogrammetry"),
    ("φωτογραμμετρία", "photogrammetry"),
    ("3D printing", "3d-printing"), ("3d-printing", "3d-printing"), ("3D-Druck", "3d-printing"),
    ("stampa 3D", "3d-printing"), ("  Impression   3D ", "3d-printing"), ("3dprinting", "3d-printing"),
    ("Structured light scanning", "structured-light-scanning"),
    ("Streifenlichtscan", "structured-light-scanning"),
    ("IIIF", "iiif"), ("AR", "augmented-reality"), ("Realtà aumentata", "augmented-reality"),
    ("rozszerzona rzeczywistość", "augmented-reality"), ("realitate augmentata", "augmented-reality"),
    ("audio guides", "audio-guide"), ("Audioguida", "audio-guide"), ("audioprzewodnik", "audio-guide"),
    ("chat-bot", "chatbot"), ("LoRa WAN", "lorawan"), ("Virtual reality (VR)", "virtual-reality"),
    ("Leichte Sprache", "easy-read"), ("künstliche Intelligenz", "artificial-intelligence"),
])
def test_tags_match_the_vocabulary(typed, key):
    assert match_tag(typed) == key


def test_unknown_tags_stay_free_tags_in_lower_case():
    assert canonical_tags(["Photogrammetry", "Museum of Things", "fotogrammetria", "3D-Druck"]) \
        == ["photogrammetry", "museum of things", "3d-printing"]
    assert match_tag("") is None and match_tag("ceramics") is None


def test_the_vocabulary_is_complete_and_unambiguous():
    entries = technologies()
    assert len(entries) >= 80
    for key, entry in entries.items():
        assert set(entry["names"]) == set(NAME_LANGUAGES), key
        assert all(entry["names"].values()), key
        assert match_tag(key) == key
        for lang in NAME_LANGUAGES:
            assert match_tag(entry["names"][lang]) == key, (key, lang)
    owners: dict[str, set[str]] = {}
    for key, entry in entries.items():
        for synonym in entry["synonyms"]:
            owners.setdefault(squeezed(synonym), set()).add(key)
    assert not {form: keys for form, keys in owners.items() if len(keys) > 1}


def test_names_come_in_the_readers_language_and_free_tags_as_typed():
    assert technology_name("photogrammetry", "fr") == "Photogrammétrie"
    assert technology_name("photogrammetry", "pl") == "Fotogrametria"
    assert technology_name("photogrammetry", "sv") == "Photogrammetry"
    assert technology_name("museum of things", "it") == "museum of things"


def test_saving_stores_keys_for_known_tags(app):
    cleaned = clean_case_study_input({"title": "T", "technologies": "Stampa 3D, IIIF, ceramics"})
    assert cleaned["technologies"] == ["3d-printing", "iiif", "ceramics"]


def test_facets_and_pages_show_vocabulary_names_in_the_readers_language(app, client):
    slug = published(technologies=["Fotogrammetria", "laser cutting", "ceramics"])
    page = client.get("/archive/?lang=it").get_data(as_text=True)
    assert "Fotogrammetria" in page and "ceramics" in page
    assert "Fabbricazione digitale" in page
    page = client.get(f"/archive/{slug}?lang=en").get_data(as_text=True)
    assert "Photogrammetry" in page and "Digital fabrication (CNC, laser cutting)" in page
    api = client.get("/api/v1/case-studies?technology=Photogramm%C3%A9trie").get_json()
    assert [item["slug"] for item in api["results"]] == [slug]
    assert api["results"][0]["technologies"] == ["photogrammetry", "digital-fabrication",
                                                 "ceramics"]


def test_vocabulary_check_lists_free_tags_with_counts(app, runner):
    published(technologies=["ceramics", "photogrammetry"])
    published(technologies=["Ceramics", "photogrammetri"])
    published(technologies=["weaving"])
    result = runner.invoke(args=["archive", "vocabulary", "check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.split() == ["2", "ceramics"] for line in lines)
    assert any(line.split()[:2] == ["1", "weaving"] for line in lines)
    assert any("photogrammetri" in line and "close to photogrammetry" in line for line in lines)
    result = runner.invoke(args=["archive", "vocabulary", "check", "--min-count", "2"])
    assert "weaving" not in result.output and "ceramics" in result.output


def test_vocabulary_check_refuses_a_bad_count(app, runner):
    result = runner.invoke(args=["archive", "vocabulary", "check", "--min-count", "zero"])
    assert result.exit_code == 2 and "Traceback" not in result.output
