"""The record source: what the index holds and how to load it, told to search at start-up.

Search knows nothing of the features whose records it indexes. The feature that owns them (the
archive, for published case studies) registers one `RecordSource` from its `register(app)`;
the indexer asks it for records and never imports the feature. A record is a plain dict in the
shape `schema.document_for` reads (id, slug, title, summary, body, attachments, language, the
facet values and published_at).
"""
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy.orm import Session

EXTENSION_KEY = "search.record_source"


@dataclass(frozen=True)
class RecordSource:
    #: how many records a full rebuild will index (for the progress bar)
    count: Callable[[], int]
    #: every record that belongs in the index (a rebuild and `search check` read these)
    iter_records: Callable[[], Iterator[dict]]
    #: the current records for these ids, read in `session`: {id: record, or None when the
    #: record exists but must not be indexed}; ids missing from the answer no longer exist
    records_for: Callable[[Session, Iterable[int]], dict[int, dict | None]]
    #: optional {phrase: concept key} in every language (a vocabulary's names and synonyms):
    #: records and queries that name a concept in any language meet (see concepts.py)
    synonyms: Callable[[], dict[str, str]] | None = None


def register_record_source(app: Flask, source: RecordSource) -> None:
    """Called once per application by the feature whose records are searchable."""
    app.extensions[EXTENSION_KEY] = source


def record_source() -> RecordSource:
    try:
        return current_app.extensions[EXTENSION_KEY]
    except KeyError:
        raise RuntimeError("No search record source is registered: the feature that owns the "
                           "searchable records registers one in its register(app).") from None
