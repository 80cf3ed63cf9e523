"""Fixtures for the files tests: a project with one person in each role, and an uploader."""
from io import BytesIO

import pytest

from tests.conftest import client_for
from tests.factories import make_team


@pytest.fixture
def team(app):
    """A project with a lead, a member, an observer; plus an outsider and an admin."""
    return make_team()


def upload(client, project, data: bytes, name: str = "file.bin", description: str = "",
           url: str | None = None):
    """POST one file to the project's files page (or `url`)."""
    return client.post(url or f"/projects/{project.slug}/files/",
                       data={"file": (BytesIO(data), name), "description": description},
                       content_type="multipart/form-data")


@pytest.fixture
def member_client(app, team):
    return client_for(app, team[1]["member"])


@pytest.fixture(params=["local", "s3"], autouse=True)
def blob_backend(request):
    """Every files test with an app runs twice: blobs in the local folder, then in S3 (moto's
    server, tests/s3.py)."""
    if request.param == "s3":
        if "app" not in request.fixturenames:
            pytest.skip("stores nothing")
        request.getfixturevalue("use_s3")
    return request.param
