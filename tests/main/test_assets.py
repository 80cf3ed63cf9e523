"""Static files: versioned URLs cached for a year; HTML, CSS, JS and JSON compressed."""
import gzip
import re
from pathlib import Path

import brotli

from ..archive.factories import published

from app.core.assets import static_version


def _static_url(client, name):
    html = client.get("/").get_data(as_text=True)
    return re.search(rf'"(/static/[0-9a-f]{{12}}/{re.escape(name)})"', html).group(1)


def test_static_urls_carry_the_folder_version_and_are_cached_for_a_year(app, client):
    url = _static_url(client, "css/app.css")
    assert url.split("/")[2] == static_version(Path(app.static_folder))
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/").headers.get("Cache-Control", "") != response.headers["Cache-Control"]


def test_the_version_changes_when_a_static_file_changes(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "a.css").write_text("a { color: red; }")
    before = static_version(tmp_path)
    (tmp_path / "css" / "a.css").write_text("a { color: blue; }")
    assert static_version(tmp_path) != before


def test_pages_styles_scripts_and_json_are_compressed_when_the_browser_accepts_it(app, client):
    published(country="IT")  # a JSON answer long enough to be worth compressing
    # static files are streamed, and streamed responses are compressed with brotli (not gzip)
    for url, encoding, unpack in (
            ("/", "gzip", gzip.decompress), ("/api/v1/case-studies", "gzip", gzip.decompress),
            (_static_url(client, "css/app.css"), "br", brotli.decompress),
            (_static_url(client, "js/app.js"), "br", brotli.decompress)):
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": encoding})
        assert plain.status_code == packed.status_code == 200, url
        assert "Content-Encoding" not in plain.headers
        assert packed.headers["Content-Encoding"] == encoding, url
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert unpack(packed.get_data()) == plain.get_data(), url
