"""The sniffer decides types from bytes; edge cases that need no HTTP round trip."""
import io
import zipfile

import pytest

from app.core.errors import ValidationError
from app.files.sniffing import sniff

from . import samples


def sniffed(tmp_path, data: bytes, name: str = "x"):
    path = tmp_path / "sample"
    path.write_bytes(data)
    return sniff(path, len(data), name)


def zipped(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_odt_is_recognised_by_its_mimetype_member(app, tmp_path):
    data = zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    assert sniffed(tmp_path, data).extensions == (".odt",)


def test_a_huge_mimetype_member_is_not_decompressed(app, tmp_path):
    data = zipped({"mimetype": "a" * 50_000_000})
    assert len(data) < 100_000
    assert sniffed(tmp_path, data).mime == "application/zip"


def test_plain_zip_is_an_archive_and_a_damaged_zip_is_refused(app, tmp_path):
    assert sniffed(tmp_path, zipped({"scan/a.txt": "x"})).kind == "archive"
    with pytest.raises(ValidationError):
        sniffed(tmp_path, b"PK\x03\x04" + b"\x00" * 100)


@pytest.mark.parametrize("data", [
    b"  <!DOCTYPE html><p>hi</p>", b"<html>", b"<svg onload=alert(1)>",
    b"Notes\n\n<script>alert(1)</script>", b"<?xml version='1.0'?><svg/>",
    "\ufeff<html>".encode(),
])
def test_markup_is_refused_whatever_the_name(app, tmp_path, data):
    with pytest.raises(ValidationError):
        sniffed(tmp_path, data, "photo.png")


def test_utf8_text_cut_inside_a_character_is_still_text(app, tmp_path):
    data = "é".encode() * 40_000  # the 64 KB head ends inside a two-byte character
    assert sniffed(tmp_path, data + b"\xc3").mime == "text/plain"


def test_binary_garbage_and_json_without_asset_are_not_models(app, tmp_path):
    with pytest.raises(ValidationError):
        sniffed(tmp_path, bytes(range(256)) * 4)
    assert sniffed(tmp_path, b'{"asset_list": "no"}', "a.gltf").mime == "text/plain"
    assert sniffed(tmp_path, samples.GLTF).mime == "model/gltf+json"
