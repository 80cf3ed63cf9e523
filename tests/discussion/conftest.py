"""A project team in every role, and a helper to start threads quickly."""
from types import SimpleNamespace

import pytest

from app.discussion import services

from ..factories import make_project, make_user


@pytest.fixture
def team(app):
    lead = make_user("Lucia Rossi", "lucia@museo.example")
    member = make_user("Anna Bianchi", "anna@museo.example")
    observer = make_user("Oskar Berg", "oskar@studio.example")
    outsider = make_user("Otto Fremd", "otto@elsewhere.example")
    admin = make_user("Ada Admin", "ada@site.example", admin=True)
    project = make_project(lead=lead, members={"member": [member], "observer": [observer]},
                           title="Digital herbarium", slug="herbarium")
    return SimpleNamespace(lead=lead, member=member, observer=observer, outsider=outsider,
                           admin=admin, project=project)


def start_thread(team, author=None, title="Which scanner?", body="Let us decide.", **kwargs):
    return services.create_thread(author or team.lead, team.project, title, body, **kwargs)
