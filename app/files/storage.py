"""Blob storage on disk: content-addressed by SHA-256 under UPLOAD_DIR, sharded `ab/cd/abcd…`.

An upload is streamed in chunks into a temporary file beside the store (hashing and counting as
it goes, stopping as soon as it passes the limit), inspected there, and only then moved into place
with an atomic rename. The same bytes are stored once. Names are sanitised here too.
No database access lives in this module.
"""
import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..core.errors import TooLarge, ValidationError

CHUNK_SIZE = 1024 * 1024
MAX_NAME_LENGTH = 200


@dataclass
class SpooledUpload:
    """Bytes received into a temporary file, not yet in the store."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def blob_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return upload_root() / sha256[:2] / sha256[2:4] / sha256


def _temp_dir() -> Path:
    folder = upload_root() / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def spool(stream, max_bytes: int) -> SpooledUpload:
    """Copy `stream` into a temporary file in chunks; `TooLarge` past `max_bytes`, never a
    whole-file read. The caller must `store()` or `discard()` the result."""
    digest = hashlib.sha256()
    size = 0
    handle = tempfile.NamedTemporaryFile(dir=_temp_dir(), prefix="upload-", delete=False)
    path = Path(handle.name)
    try:
        with handle:
            while chunk := stream.read(CHUNK_SIZE):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(_("The file is larger than the allowed maximum of %(mb)s MB.",
                                     mb=max_bytes // (1024 * 1024)), field="file")
                digest.update(chunk)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise ValidationError(_("The file is empty."), field="file")
    return SpooledUpload(path=path, sha256=digest.hexdigest(), size=size)


def spool_bytes(data: bytes) -> SpooledUpload:
    """Spool bytes produced on the server (thumbnails, demo files)."""
    from io import BytesIO

    return spool(BytesIO(data), max_bytes=max(len(data), 1))


def store(upload: SpooledUpload) -> Path:
    """Move the spooled bytes into the store (atomic rename); a blob already there is kept."""
    target = blob_path(upload.sha256)
    if target.exists():
        upload.discard()
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(upload.path, "rb") as handle:
        os.fsync(handle.fileno())
    os.chmod(upload.path, 0o640)
    os.replace(upload.path, target)
    return target


def sanitise_filename(raw: str | None) -> str:
    """A display name safe to keep as metadata: no path, no control characters, no `..`,
    at most 200 characters (keeping the extension); "file" when nothing is left."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    while ".." in name:
        name = name.replace("..", ".")
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= 16:
            name = stem[:MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(" .")
    return name or "file"


def download_name(name: str, extensions: tuple) -> str:
    """The name a download is saved under: its extension always matches the real type, so a
    text file called `page.html` is saved as `page.html.txt`."""
    lowered = name.lower()
    if extensions and not lowered.endswith(tuple(extensions)):
        return name + extensions[0]
    return name
