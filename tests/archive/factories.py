"""Generators for archive tests: import records and published case studies."""
import itertools

from app.archive.importing import import_records

_counter = itertools.count(1)


def record(**overrides) -> dict:
    """A valid import record; override any field."""
    n = next(_counter)
    data = {
        "slug": f"case-{n}",
        "title": f"Photogrammetry of the lapidarium {n}",
        "summary": "A small civic museum digitised its stone collection in 3D.",
        "language": "en", "country": "IT", "year": 2023,
        "lead": {"name": f"Museo Civico Test {n}", "city": "Bologna", "size": "small"},
        "partners": [{"name": "Scan Lab Srl", "kind": "technology", "country": "IT",
                      "role": "3D capture"}],
        "areas": ["3d-digitisation"], "technologies": ["photogrammetry"],
        "budget_eur": 42000,
        "sections": {"challenge": "The stones were **hard to see**.",
                     "results": "Visits to the online catalogue grew."},
        "license": "CC-BY-4.0", "contact": "curator@example.org",
    }
    data.update(overrides)
    return data


def published(**overrides) -> str:
    """Import one published case study; returns its slug."""
    data = record(**overrides)
    report = import_records([data])
    assert not report.errors, report.errors
    return data["slug"]
