"""The files JSON API: list, one file with versions, multipart upload, errors as JSON."""
from io import BytesIO

from . import samples


def api_upload(client, project, data, name, description=""):
    return client.post(f"/api/v1/projects/{project.slug}/files",
                       data={"file": (BytesIO(data), name), "description": description},
                       content_type="multipart/form-data")


def test_upload_list_and_read_a_file(team, member_client):
    project, people = team
    response = api_upload(member_client, project, samples.png(), "scan.png", "Front")
    assert response.status_code == 201
    created = response.get_json()
    assert (created["name"], created["kind"], created["mime"], created["version"]) == (
        "scan.png", "image", "image/png", 1)
    assert created["thumbnail_url"].endswith("/thumbnail")
    listing = member_client.get(f"/api/v1/projects/{project.slug}/files").get_json()
    assert listing["total"] == 1 and listing["files"][0]["id"] == created["id"]
    detail = member_client.get(f"/api/v1/projects/{project.slug}/files/{created['id']}")
    body = detail.get_json()
    assert body["description"] == "Front"
    assert [v["number"] for v in body["versions"]] == [1]
    assert body["versions"][0]["uploaded_by"]["name"] == people["member"].name


def test_refusals_are_json(app, team, member_client):
    project, _ = team
    response = api_upload(member_client, project, samples.SVG, "logo.svg")
    assert response.status_code == 400 and "error" in response.get_json()
    response = member_client.post(f"/api/v1/projects/{project.slug}/files", data={})
    assert response.status_code == 400 and "file" in response.get_json()["error"]
    app.config["MAX_UPLOAD_MB"] = 1
    response = api_upload(member_client, project, b"x" * (1024 * 1024 + 10), "big.txt")
    assert response.status_code == 413 and "1 MB" in response.get_json()["error"]
    assert member_client.get(f"/api/v1/projects/{project.slug}/files/999").status_code == 404


def test_pdf_text_is_reported(team, member_client):
    project, _ = team
    created = api_upload(member_client, project, samples.pdf(), "report.pdf").get_json()
    detail = member_client.get(f"/api/v1/projects/{project.slug}/files/{created['id']}")
    assert detail.get_json()["versions"][0]["has_text"] is True


def test_upload_a_new_version_through_the_api(team, member_client):
    project, _ = team
    created = api_upload(member_client, project, samples.png(10, 10), "logo.png").get_json()
    url = f"/api/v1/projects/{project.slug}/files/{created['id']}/versions"
    response = member_client.post(url, data={"file": (BytesIO(samples.png(30, 30)), "l2.png")},
                                  content_type="multipart/form-data")
    assert response.status_code == 201
    body = response.get_json()
    assert body["version"] == 2 and [v["width"] for v in body["versions"]] == [30, 10]
    refused = member_client.post(url, data={"file": (BytesIO(b""), "empty.png")},
                                 content_type="multipart/form-data")
    assert refused.status_code == 400 and "empty" in refused.get_json()["error"]
