"""Blobs in an S3-compatible store (moto's server as a real process, tests/s3.py): multipart
uploads streamed from disk, downloads streamed with today's headers and ranges, presigned
redirects, and every feature that stores bytes going through the same store."""
import io

import pytest
import requests

from app.core.blobstore import blob_store
from app.extensions import db
from tests.calls.application_factories import make_application
from tests.calls.factories import make_call
from tests.conftest import client_for

from . import samples
from .conftest import upload
from .test_downloads import assert_locked_down, uploaded


@pytest.fixture(autouse=True)
def blob_backend(use_s3):
    """Here always S3 (the files tests' own fixture runs the others on both stores)."""
    return "s3"


def stored_object(use_s3, sha256):
    server, bucket, prefix = use_s3
    return server.client().head_object(Bucket=bucket,
                                       Key=f"{prefix}/{sha256[:2]}/{sha256[2:4]}/{sha256}")


def test_a_file_above_the_multipart_threshold_is_uploaded_in_parts(app, team, member_client,
                                                                   use_s3, uploads_dir):
    project, _ = team
    app.config["S3_MULTIPART_MB"] = 5
    app.extensions.pop("blob_store", None)
    data = b"0123456789abcdef" * (11 * 1024 * 1024 // 16)  # 11 MB: three 5 MB parts
    item = uploaded(member_client, project, data, "big.txt")
    blob = item.current_version.blob
    head = stored_object(use_s3, blob.sha256)
    assert head["ContentLength"] == len(data) == blob.size
    assert head["ETag"].strip('"').endswith("-3")  # S3's mark of a three-part upload
    assert list((uploads_dir / "tmp").iterdir()) == []  # the spooled copy is gone
    response = member_client.get(f"/projects/{project.slug}/files/{item.id}/download")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Length"] == str(len(data))
    middle = member_client.get(f"/projects/{project.slug}/files/{item.id}/download",
                               headers={"Range": "bytes=6000000-6000015"})
    assert middle.status_code == 206 and middle.data == data[6000000:6000016]


def test_downloads_from_s3_keep_the_headers_ranges_and_etag(team, member_client):
    project, _ = team
    data = samples.png()
    item = uploaded(member_client, project, data, "scan.png")
    url = f"/projects/{project.slug}/files/{item.id}/download"
    response = member_client.get(url)
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == "inline; filename=scan.png"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert_locked_down(response)
    part = member_client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.data == data[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert_locked_down(part)
    assert member_client.get(url, headers={"Range": f"bytes={len(data) + 5}-"}).status_code == 416
    etag = response.headers["ETag"]
    assert member_client.get(url, headers={"If-None-Match": etag}).status_code == 304
    since = response.headers["Last-Modified"]
    assert member_client.get(url, headers={"If-Modified-Since": since}).status_code == 304


def test_a_blob_missing_from_the_bucket_is_a_404(team, member_client):
    project, _ = team
    item = uploaded(member_client, project, b"soon gone", "gone.txt")
    blob_store().delete(item.current_version.blob.sha256)
    assert member_client.get(
        f"/projects/{project.slug}/files/{item.id}/download").status_code == 404


def test_with_presign_a_download_is_a_short_lived_redirect_to_the_store(app, team,
                                                                        member_client, use_s3):
    project, _ = team
    data = samples.glb()
    item = uploaded(member_client, project, data, "Vaso étrusco.glb")
    app.config.update(S3_PRESIGN=True, S3_PRESIGN_SECONDS=30)
    response = member_client.get(f"/projects/{project.slug}/files/{item.id}/download")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(use_s3[0].url) and "X-Amz-Expires=30" in location
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == data
    assert fetched.headers["Content-Type"] == "model/gltf-binary"
    assert fetched.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "filename*=UTF-8''Vaso%20%C3%A9trusco.glb" in fetched.headers["Content-Disposition"]
    # an outsider still gets no redirect: access is decided before the store is asked
    outsider = client_for(app, team[1]["outsider"])
    assert outsider.get(f"/projects/{project.slug}/files/{item.id}/download").status_code == 404


def test_thumbnails_are_stored_beside_their_image(team, member_client, use_s3):
    project, _ = team
    item = uploaded(member_client, project, samples.png(1200, 600), "wide.png")
    thumb = item.current_version.thumbnail_blob
    assert stored_object(use_s3, thumb.sha256)["ContentLength"] == thumb.size
    response = member_client.get(f"/projects/{project.slug}/files/{item.id}/thumbnail")
    assert response.status_code == 200 and response.mimetype == thumb.mime


def test_application_attachments_go_to_the_same_store(app, use_s3):
    application = make_application(make_call("open"))
    client = client_for(app, application.owner)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(f"/applications/{application.id}/attachments",
                data={"file": (io.BytesIO(pdf), "budget.pdf")},
                content_type="multipart/form-data")
    db.session.refresh(application)
    attachment = application.attachments[0]
    assert stored_object(use_s3, attachment.blob.sha256)["ContentLength"] == len(pdf)
    download = client.get(f"/applications/{application.id}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == pdf


def test_an_upload_refused_after_spooling_leaves_nothing_in_the_bucket(app, team, member_client,
                                                                       uploads_dir):
    project, _ = team
    app.config["PROJECT_QUOTA_MB"] = 0
    assert upload(member_client, project, b"over quota", "q.txt").status_code == 413
    assert list(blob_store().blobs()) == []
    assert list((uploads_dir / "tmp").iterdir()) == []
