"""The one blob store: content-addressed bytes under SHA-256 keys, sharded `ab/cd/abcd…`, in a
local folder (the default, `UPLOAD_DIR`) or an S3-compatible bucket (`STORAGE_URL=s3://bucket/
prefix`, boto3). Uploads, thumbnails, attachments and backups all go through `blob_store()`.

Bytes enter the store from a spooled file on this machine (`put`: an atomic rename locally, a
managed multipart transfer to S3 streamed from disk), and leave it as a seekable stream
(`open`), never as one whole-file read. What a key means (which row refers to it) is the
features' business: no database access lives here.
"""
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MB = 1024 * 1024


class BlobMissing(LookupError):
    """The store holds no blob under this key."""


@dataclass
class StoredBlob:
    """One blob as the store sees it (for verify, cleanup and backups)."""

    sha256: str
    size: int
    modified: float  # seconds since the epoch


def key_of(sha256: str) -> str:
    """`ab/cd/abcd…`: the same layout on disk and in a bucket."""
    if not SHA256_RE.match(sha256 or ""):
        raise ValueError("not a SHA-256 hex digest")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class LocalBlobStore:
    """Blobs as files under one folder (`UPLOAD_DIR`, or a folder given as STORAGE_URL)."""

    kind = "local"

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / key_of(sha256)

    def put(self, sha256: str, source: Path) -> bool:
        """Move the spooled file `source` into place (atomic rename); a blob already there is
        kept and `source` removed. True when the blob is new."""
        target = self.path(sha256)
        if target.exists():
            Path(source).unlink(missing_ok=True)
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(source, 0o640)
        os.replace(source, target)
        return True

    def size(self, sha256: str) -> int | None:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path(sha256), "rb")
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def blobs(self) -> Iterator[StoredBlob]:
        """Every blob file (temporary uploads under `tmp/` are not blobs)."""
        for path in self.root.glob("??/??/*"):
            if SHA256_RE.match(path.name) and path.is_file():
                stat = path.stat()
                yield StoredBlob(path.name, stat.st_size, stat.st_mtime)

    def abort_abandoned_uploads(self, older_than: float) -> int:
        return 0  # a local rename is never half done

    def presigned_url(self, sha256: str, seconds: int, **response_headers) -> None:
        return None

    def check(self) -> None:
        """Raise when the store cannot be reached (readiness checks)."""
        if not self.root.is_dir():
            raise OSError(f"storage folder {self.root} is missing")


class S3BlobStore:
    """Blobs as objects `prefix/ab/cd/abcd…` in one bucket of an S3-compatible store."""

    kind = "s3"

    def __init__(self, url: str, *, endpoint_url: str | None = None, multipart_mb: int = 8):
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise ValueError(f"STORAGE_URL {url!r} names no bucket")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        # Path-style addressing with an explicit endpoint: every S3-compatible store takes it.
        config = Config(signature_version="s3v4", retries={"mode": "standard"},
                        s3={"addressing_style": "path" if endpoint_url else "auto"})
        # Credentials and region come from the standard AWS_* variables (boto3's own chain).
        self.client = boto3.session.Session().client("s3", endpoint_url=endpoint_url,
                                                     config=config)
        part = max(5, multipart_mb) * MB  # S3 refuses parts under 5 MB
        # Managed transfer: parts are read from the spooled file as they are sent (two in
        # flight), so memory does not grow with the upload's size (measured: docs/benchmarks.md).
        self.transfer = TransferConfig(multipart_threshold=part, multipart_chunksize=part,
                                       max_concurrency=2)

    def key(self, sha256: str) -> str:
        return self.prefix + key_of(sha256)

    def put(self, sha256: str, source: Path) -> bool:
        try:
            if self.size(sha256) is not None:
                return False
            self.client.upload_file(str(source), self.bucket, self.key(sha256),
                                    ExtraArgs={"ContentType": "application/octet-stream"},
                                    Config=self.transfer)
            return True
        finally:
            Path(source).unlink(missing_ok=True)

    def size(self, sha256: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))["ContentLength"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def open(self, sha256: str) -> BinaryIO:
        return _S3Reader(self.client, self.bucket, self.key(sha256), sha256)

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def blobs(self) -> Iterator[StoredBlob]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                name = item["Key"].rsplit("/", 1)[-1]
                if SHA256_RE.match(name) and item["Key"] == self.key(name):
                    yield StoredBlob(name, item["Size"], item["LastModified"].timestamp())

    def abort_abandoned_uploads(self, older_than: float) -> int:
        """Abort multipart uploads begun before `older_than` and never completed (a process
        that died mid-upload): their parts cost storage and are invisible otherwise."""
        aborted = 0
        pages = self.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for upload in page.get("Uploads", ()):
                if upload["Initiated"].timestamp() < older_than:
                    self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"],
                                                       UploadId=upload["UploadId"])
                    aborted += 1
        return aborted

    def presigned_url(self, sha256: str, seconds: int, **response_headers) -> str:
        """A GET URL valid `seconds`, with the response headers S3 may override
        (`ResponseContentType`, `ResponseContentDisposition`, `ResponseCacheControl`)."""
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self.key(sha256),
                                  **response_headers}, ExpiresIn=seconds)

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)


class _S3Reader(io.RawIOBase):
    """A seekable read-only stream over one object: the body is fetched as it is read, from the
    current position (a seek drops the open body; the next read asks for `bytes=pos-`). The
    first GET is made at once, so a missing object is `BlobMissing` before a response starts."""

    def __init__(self, client, bucket: str, key: str, sha256: str):
        super().__init__()
        self._client, self._bucket, self._key = client, bucket, key
        self._position = 0
        self._body = None
        self._size = None
        self.last_modified = None
        try:
            self._fetch()
        except BlobMissing:
            raise BlobMissing(sha256) from None

    def _fetch(self) -> None:
        from botocore.exceptions import ClientError

        extra = {"Range": f"bytes={self._position}-"} if self._position else {}
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=self._key, **extra)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise BlobMissing(self._key) from None
            raise
        if self._size is None:
            self._size = self._position + answer["ContentLength"]
            self.last_modified = answer.get("LastModified")
        self._body = answer["Body"]

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size or 0}[whence]
        position = max(0, base + offset)
        if position != self._position:
            self._drop_body()
            self._position = position
        return position

    def readinto(self, buffer) -> int:
        if self._size is not None and self._position >= self._size:
            return 0
        if self._body is None:
            self._fetch()
        data = self._body.read(len(buffer))
        buffer[:len(data)] = data
        self._position += len(data)
        return len(data)

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()


def blob_store(app=None):
    """This app's store, made on first use from STORAGE_URL (an S3 client is reused: boto3
    clients are thread-safe)."""
    app = app or current_app._get_current_object()
    store = app.extensions.get("blob_store")
    if store is None:
        url = app.config.get("STORAGE_URL") or ""
        if url.startswith("s3://"):
            store = S3BlobStore(url, endpoint_url=app.config.get("S3_ENDPOINT_URL"),
                                multipart_mb=int(app.config.get("S3_MULTIPART_MB") or 8))
        else:
            store = LocalBlobStore(app.config["UPLOAD_DIR"])
        app.extensions["blob_store"] = store
    return store
