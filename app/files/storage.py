"""Uploads on their way into the blob store (`app/core/blobstore.py`: a local folder or S3,
content-addressed by SHA-256, sharded `ab/cd/abcd…`).

An upload is streamed in chunks into a temporary file on this machine (UPLOAD_DIR/tmp, hashing
and counting as it goes, stopping as soon as it passes the limit), inspected there, and only then
handed to the store (an atomic rename, or a multipart upload streamed from the file). The same
bytes are stored once. Names are sanitised here too. No database access lives in this module.
"""
import hashlib
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..core.blobstore import blob_store
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


def temp_dir() -> Path:
    """Where uploads are spooled on this machine, whatever the store."""
    folder = Path(current_app.config["UPLOAD_DIR"]) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def spool(stream, max_bytes: int) -> SpooledUpload:
    """Copy `stream` into a temporary file in chunks; `TooLarge` past `max_bytes`, never a
    whole-file read. The caller must `store()` or `discard()` the result."""
    digest = hashlib.sha256()
    size = 0
    handle = tempfile.NamedTemporaryFile(dir=temp_dir(), prefix="upload-", delete=False)
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


def store(upload: SpooledUpload) -> bool:
    """Hand the spooled bytes to the blob store (the temporary file is gone afterwards); a blob
    already there is kept. True when the blob is new."""
    return blob_store().put(upload.sha256, upload.path)


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
