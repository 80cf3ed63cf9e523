"""Generators for search tests: index records (the `app.archive.indexing` shape) and archive
import records (to go the real way: import → outbox → drain → index)."""
import itertools
from datetime import datetime, timedelta

from app.search.indexer import index_records

_counter = itertools.count(1)


def make_record(**fields) -> dict:
    n = next(_counter)
    record = {
        "id": n, "slug": f"case-{n}", "title": f"Case study {n}", "summary": "A short summary.",
        "body": "Plain body text.", "attachments": "", "language": "en", "country": "IT",
        "areas": ["ar-vr"], "technologies": ["photogrammetry"], "lead_kind": "museum",
        "lead_size": "small", "year": 2024, "budget_range": "lt-10k",
        "published_at": datetime(2024, 1, 1) + timedelta(days=n),
    }
    record.update(fields)
    return record


def index(*records: dict) -> list[dict]:
    index_records(records)
    return list(records)


def archive_record(**fields) -> dict:
    """A record for `app.archive.importing.import_records` (published at once, via the outbox)."""
    n = next(_counter)
    record = {
        "slug": f"imported-{n}", "title": f"Imported case study {n}",
        "summary": "How a small museum worked with a studio.", "language": "en", "country": "IT",
        "year": 2023, "lead": {"name": f"Museo Civico {n}", "city": "Bologna", "size": "small"},
        "partners": [], "areas": ["3d-digitisation"], "technologies": ["photogrammetry"],
        "budget_eur": 8000, "sections": {"challenge": "The collection was invisible online."},
        "license": "CC-BY-4.0", "contact": "info@example.org",
    }
    record.update(fields)
    return record
