"""Fixtures for archive tests: a completed project with one person per role, and a curator."""
import pytest

from app.archive import services
from tests.factories import make_org, make_team


@pytest.fixture
def team(app):
    org = make_org("Muzeum Regionalne w Sanoku", country="PL", city="Sanok")
    return make_team(title="Icon workshop in 3D", status="completed", organisation=org)


def fill(case_study, user, **changes):
    """Save the case study with every required section written, plus `changes`."""
    data = {
        "title": case_study.title, "summary": "We scanned forty icons and built a web viewer.",
        "language": "en", "year": 2024, "areas": ["3d-digitisation"],
        "technologies": "photogrammetry, IIIF", "budget_eur": "38000", "license": "CC-BY-4.0",
        "contact": "lena@example.org", "impact": {"visitors": "12000"},
        "sections": {"challenge": "Icons too fragile to travel.",
                     "approach": "Photogrammetry in the conservation lab.",
                     "results": "Twelve thousand online visitors in six months.",
                     "lessons": "Light the room evenly."},
    }
    sections = changes.pop("sections", {})
    data.update(changes)
    data["sections"].update(sections)
    return services.save_case_study(user, case_study, data, case_study.current_revision_id)


def submitted_case_study(project, lead, **changes):
    case_study = services.start_case_study(lead, project)
    fill(case_study, lead, **changes)
    return services.submit_case_study(lead, case_study)
