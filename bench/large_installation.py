"""A generated large installation on top of the demo, for bench/pages_bench.py --large SCALE.

At scale 1: 2,000 organisations, 1,000 projects, 10,000 published case studies (through the
archive's own importer, so revisions, the OAI trace and the search index are real). Smaller
scales shrink all three alike (0.1 = 200, 100, 1,000). The demo people are untouched: Anna's
workspace pages keep the demo's size, the public pages grow.

    .venv/bin/python bench/large_installation.py DATA_DIR [--scale 0.1]
"""
import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = ["IT", "FR", "DE", "ES", "PL", "NL", "BE", "AT", "PT", "GR", "SE", "FI", "DK", "IE",
             "CZ", "SK", "SI", "HR", "HU", "RO", "BG", "LT", "LV", "EE", "LU", "MT", "CY"]
AREAS = ["digital-presence", "collections", "conservation-research", "3d-digitisation", "ar-vr",
         "interpretation-exhibition", "audience-experience", "marketing-visitors", "operations",
         "business-models"]
WORDS = ("museum collection visitors digital archive exhibition heritage gallery audience objects "
         "curator education painting sculpture textile photogrammetry scanning kiosk podcast "
         "school families tactile mapping interviews volunteers catalogue storage climate").split()
KINDS = ["museum", "museum", "museum", "technology", "creative", "research"]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def records(scale: float, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    organisations = [(f"Generated {'Museum' if KINDS[i % 6] == 'museum' else 'Studio'} {i}",
                      KINDS[i % 6], COUNTRIES[i % len(COUNTRIES)]) for i in range(int(2000 * scale))]
    museums = [org for org in organisations if org[1] == "museum"]
    partners = [org for org in organisations if org[1] != "museum"]
    result = []
    for n in range(int(10_000 * scale)):
        lead = museums[n % len(museums)]
        partner = partners[n % len(partners)]
        result.append({
            "slug": f"generated-case-{n}", "title": f"{sentence(rng, 5)[:-1]} {n}",
            "summary": sentence(rng, 25), "language": rng.choice(["en", "it", "fr", "de"]),
            "country": lead[2], "year": 2015 + n % 11,
            "lead": {"name": lead[0], "city": "Generated", "size": rng.choice(["small", "medium"])},
            "partners": [{"name": partner[0], "kind": partner[1], "country": partner[2],
                          "role": "partner"}],
            "areas": rng.sample(AREAS, 2), "technologies": ["photogrammetry"],
            "budget_eur": rng.randrange(5_000, 200_000, 1_000),
            "sections": {key: sentence(rng, 60) for key in
                         ("challenge", "approach", "results", "lessons")},
            "license": "CC-BY-4.0", "contact": f"contact{n}@example.org",
        })
    return result


def generate(data_dir: Path, scale: float = 0.1, batch: int = 200) -> None:
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    from app import create_app
    from app.archive.importing import import_records
    from app.extensions import db
    from app.projects.models import Project

    from app.archive import importing
    from app.search.services import rebuild_index

    app = create_app("development", socketio_async_mode="threading")
    # One index build at the end instead of an index update after every batch (the log entries
    # are written as usual; the build starts after the last of them).
    importing.drain_index = lambda: None
    with app.app_context():
        generated = records(scale)
        for start in range(0, len(generated), batch):
            report = import_records(generated[start:start + batch])
            assert not report.errors, report.errors[:3]
            print(f"case studies: {min(start + batch, len(generated))}/{len(generated)}", flush=True)
        for n in range(int(1000 * scale)):
            db.session.add(Project(slug=f"generated-project-{n}", title=f"Generated project {n}",
                                   summary="A generated project.", status="completed"))
        db.session.commit()
        print(f"indexed: {rebuild_index()}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    generate(args.data_dir, args.scale)
