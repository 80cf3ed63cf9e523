"""The chat hot path's SQL both ways, in one run: app/core/rawsql.py vs SQLAlchemy Core.

Per message the `message` handler reads the caller (one statement), inserts the message and
commits. This times exactly that work, through a `RawExecutor` (prebuilt statements on a pooled
DBAPI connection) and through a SQLAlchemy Core `Connection` running the same prebuilt
statements, alternating rounds so both see the same machine. Prints ms per message and the
ratio; the house rule keeps rawsql only if Core would cost more than 10 % of a message's server
CPU at the fan-out benchmark's peak (docs/benchmarks.md).

    .venv/bin/python bench/rawsql_bench.py [--messages 2000] [--rounds 5] [--database-url URL]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.chat.access import chat_caller  # noqa: E402
from app.chat.services import post_message  # noqa: E402
from app.core.rawsql import raw_executor  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.factories import make_project, make_user  # noqa: E402


def one_way(engine, user_id: int, slug: str, count: int, raw: bool) -> float:
    """Seconds per message for `count` messages."""
    started = time.perf_counter()
    for n in range(count):
        with (raw_executor(engine) if raw else engine.connect()) as connection:
            user, project = chat_caller(user_id, slug, "project.contribute", connection)
            post_message(user, project, f"message {n}", str(uuid.uuid4()), connection=connection,
                         rate_limited=False)
    return (time.perf_counter() - started) / count


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="per way and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=None,
                        help="a scratch database (its tables are created and dropped); "
                             "default: a fresh SQLite file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        # The server's own configuration (engine options, SQLite pragmas), on a fresh database.
        url = args.database_url or f"sqlite:///{Path(tmp) / 'rawsql.db'}"
        os.environ.update(DATA_DIR=tmp, DATABASE_URL=url, SECRET_KEY="bench")
        app = create_app("development")
        with app.app_context():
            db.create_all()
            lead = make_user("Bench Lead")
            project = make_project(lead=lead)
            user_id, slug = lead.id, project.slug
            db.session.remove()
            times = {"rawsql": [], "core": []}
            for _round in range(args.rounds):
                times["rawsql"].append(one_way(db.engine, user_id, slug, args.messages, True))
                times["core"].append(one_way(db.engine, user_id, slug, args.messages, False))
            if args.database_url:
                db.session.remove()
                db.drop_all()
    result = {way: statistics.median(values) * 1000 for way, values in times.items()}
    result["ratio"] = result["core"] / result["rawsql"]
    print(f"chat hot-path SQL ({url.split(':')[0]}), "
          f"{args.rounds} rounds x {args.messages} messages per way, median ms per message:")
    print(f"  rawsql {result['rawsql']:.3f}   core {result['core']:.3f}   "
          f"core/rawsql {result['ratio']:.2f}   difference {result['core'] - result['rawsql']:.3f} ms")
    return result


if __name__ == "__main__":
    main()
