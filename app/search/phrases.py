"""Phrase matching beside each Whoosh index version: SQLite FTS5 over every record's folded words.

Whoosh checks phrases with positions in pure Python (slow to query), and the word-pair field
that replaced them held one term per adjacent pair of words: about 1,300 new terms per case
study, which made a rebuild of 10,000 take half an hour (docs/search.md). FTS5 keeps positions
in C. Each index version folder holds `phrases.sqlite`: one row per record (rowid = record id)
with its words as `schema.neutral_words` gives them, written together with the Whoosh commit;
a phrase of folded words matches the records whose text holds those words in a row.
"""
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .schema import all_text, neutral_words

FILE = "phrases.sqlite"
_CREATE = ("CREATE VIRTUAL TABLE IF NOT EXISTS phrases USING fts5(words, "
           "tokenize = 'unicode61 remove_diacritics 0')")


def _words(doc: dict) -> str:
    return " ".join(neutral_words(all_text(doc)))


def connect(directory: Path) -> sqlite3.Connection:
    db = sqlite3.connect(directory / FILE, timeout=30)
    db.execute(_CREATE)
    return db


def write(directory: Path, docs: Iterable[dict], delete_ids: Iterable[int] = ()) -> None:
    """Replace the rows of `delete_ids` and of every doc's id by the docs' words (one commit)."""
    db = connect(directory)
    try:
        with db:
            db.executemany("DELETE FROM phrases WHERE rowid = ?", [(int(i),) for i in delete_ids])
            db.executemany("INSERT OR REPLACE INTO phrases(rowid, words) VALUES (?, ?)",
                           ((int(doc["id"]), _words(doc)) for doc in docs))
    finally:
        db.close()


class PhraseReader:
    """Read-only, shared by the threads of one process (each query holds the readers' lock)."""

    def __init__(self, directory: Path | None):
        path = directory / FILE if directory is not None else None
        self.db = None
        if path is not None and path.exists():
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def record_ids(self, words: list[str]) -> set[int]:
        """Ids of the records holding `words` (folded) in a row."""
        if self.db is None or not words:
            return set()
        phrase = '"' + " ".join(words).replace('"', '""') + '"'
        try:
            return {row[0] for row in self.db.execute(
                "SELECT rowid FROM phrases WHERE phrases MATCH ?", (phrase,))}
        except sqlite3.Error:
            return set()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
