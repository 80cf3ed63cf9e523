"""Code run in real child processes by the change-log tests (spawned: a fresh interpreter each)."""
import os


def _app(database_url: str, data_dir: str):
    os.environ["APP_ENV"] = "testing"
    os.environ["DATA_DIR"] = data_dir
    from app import create_app

    return create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": database_url})


def publish_one_by_one(database_url: str, data_dir: str, records: list[dict]) -> None:
    """Import (publish) each record in its own transaction, applying the log after each."""
    from sqlalchemy.exc import OperationalError

    from app.archive.importing import import_records
    from app.extensions import db

    app = _app(database_url, data_dir)
    with app.app_context():
        for record in records:
            for attempt in range(10):
                try:
                    report = import_records([record])
                    break
                except OperationalError:
                    # SQLite refuses a write from a stale read snapshot ("database is locked")
                    # when the other process committed meanwhile: retry the publish, as a user
                    # would; nothing of the refused attempt was written.
                    db.session.rollback()
                    if attempt == 9:
                        raise
            assert not report.errors, report.errors


def crash_after_index_commit(database_url: str, data_dir: str, last_id: int) -> None:
    """Apply the log from before `last_id`, and die hard right after the index commit, before
    the new position is written."""
    from app.search import indexer

    def die(*_args, **_kwargs):
        os._exit(17)

    app = _app(database_url, data_dir)
    with app.app_context():
        directory = indexer.live_dir()
        position = indexer.LogPosition.read(directory)
        position.watermark = min(position.watermark, last_id - 2)
        position.above.clear()
        position.write(directory)
        indexer.LogPosition.write = die
        indexer.apply_log()
