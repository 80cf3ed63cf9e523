"""Who may do what with files: every files route × anonymous, outsider, observer, member,
lead, admin. Outsiders get 404 (the workspace stays secret); observers read but never write."""
from io import BytesIO

import pytest

from app.extensions import db
from app.files import services
from tests.conftest import client_for

from . import samples

ROLES = ("anonymous", "outsider", "observer", "member", "lead", "admin")


@pytest.fixture
def world(app, team):
    """The team's project with one image file, and a signed-in client per role."""
    project, people = team
    item = services.upload_file(project, people["member"], BytesIO(samples.png()), "scan.png")
    clients = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        clients[role] = client_for(app, people[role])
    return project, item, clients


def multipart(data=b"some text", name="n.txt"):
    return {"data": {"file": (BytesIO(data), name), "description": ""},
            "content_type": "multipart/form-data"}


# route → expected status per role (302 for anonymous HTML = sign in first)
CASES = [
    ("GET", "/files/", {}, [302, 404, 200, 200, 200, 200]),
    ("POST", "/files/", "upload", [302, 404, 403, 302, 302, 302]),
    ("GET", "/files/{id}", {}, [302, 404, 200, 200, 200, 200]),
    ("GET", "/files/{id}/download", {}, [302, 404, 200, 200, 200, 200]),
    ("GET", "/files/{id}/thumbnail", {}, [302, 404, 200, 200, 200, 200]),
    ("POST", "/files/{id}/versions", "upload", [302, 404, 403, 302, 302, 302]),
    ("POST", "/files/{id}/rename", {"name": "renamed.png"}, [302, 404, 403, 302, 302, 302]),
    ("POST", "/files/{id}/delete", {}, [302, 404, 403, 302, 302, 302]),
    ("POST", "/files/{id}/restore", {}, [302, 404, 403, 403, 302, 302]),
    ("GET", "/api/v1/projects/{slug}/files", {}, [401, 404, 200, 200, 200, 200]),
    ("GET", "/api/v1/projects/{slug}/files/{id}", {}, [401, 404, 200, 200, 200, 200]),
    ("POST", "/api/v1/projects/{slug}/files", "upload", [401, 404, 403, 201, 201, 201]),
    ("POST", "/api/v1/projects/{slug}/files/{id}/versions", "upload",
     [401, 404, 403, 201, 201, 201]),
]


@pytest.mark.parametrize("method, path, payload, expected", CASES,
                         ids=[f"{m} {p}" for m, p, _, _ in CASES])
def test_files_authorization_matrix(world, method, path, payload, expected):
    project, item, clients = world
    url = path.format(id=item.id, slug=project.slug)
    if not url.startswith("/api/"):
        url = f"/projects/{project.slug}{url}"
    got = []
    for role in ROLES:
        if method == "GET":
            response = clients[role].get(url)
        elif payload == "upload":
            response = clients[role].post(url, **multipart(samples.png(12, 12), "v.png"))
        else:
            response = clients[role].post(url, data=payload)
        got.append(response.status_code)
        if method == "POST" and path.endswith("/delete") and response.status_code == 302:
            services.restore_file(project, world_lead(project), item.id)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))


def world_lead(project):
    from app.projects.models import ProjectMember

    membership = db.session.execute(
        db.select(ProjectMember).where(ProjectMember.project_id == project.id,
                                       ProjectMember.role == "lead")).scalar_one()
    return membership.user


def test_a_file_id_from_another_project_is_not_found(app, world):
    from tests.factories import make_project

    project, item, clients = world
    other = make_project(lead=world_lead(project))
    lead = clients["lead"]
    assert lead.get(f"/projects/{other.slug}/files/{item.id}").status_code == 404
    assert lead.get(f"/projects/{other.slug}/files/{item.id}/download").status_code == 404
