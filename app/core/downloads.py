"""Sending a stored file: `Download` (what a door needs to send one blob) and `send_download`,
the one response for it, with the safe headers. Used by the workspace's downloads and the
public archive's published attachments alike; which blob may be sent is the services' call.

The bytes come from the blob store (`app/core/blobstore.py`): a local file is sent as before;
an object in S3 is streamed through this process with the same headers, ranges and ETag, or,
with `S3_PRESIGN=1`, answered by a redirect to a short-lived presigned URL.
"""
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app, redirect, request, send_file
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.http import dump_options_header

from .blobstore import BlobMissing, blob_store
from .errors import NotFound

#: a download is never a page: no scripts, no plugins, no same-origin powers if opened inline
DOWNLOAD_CSP = "default-src 'none'; sandbox"
CACHE_CONTROL = "private, no-cache"


@dataclass
class Download:
    """What a door needs to send one stored blob."""

    sha256: str
    mime: str
    name: str
    inline: bool
    etag: str
    size: int


def send_download(item: Download):
    """A stored blob as a response: inline only for images and PDF, never sniffed or run."""
    store = blob_store()
    if store.kind == "local":
        path = store.path(item.sha256)
        if not path.is_file():
            return _missing(item)
        response = send_file(path, mimetype=item.mime, as_attachment=not item.inline,
                             download_name=item.name, conditional=True, etag=item.etag,
                             max_age=None)
    elif current_app.config.get("S3_PRESIGN"):
        return redirect(store.presigned_url(
            item.sha256, int(current_app.config.get("S3_PRESIGN_SECONDS") or 60),
            ResponseContentType=item.mime, ResponseContentDisposition=content_disposition(item),
            ResponseCacheControl=CACHE_CONTROL), code=302)
    else:
        try:
            stream = store.open(item.sha256)
        except BlobMissing:
            return _missing(item)
        response = send_file(stream, mimetype=item.mime, as_attachment=not item.inline,
                             download_name=item.name, conditional=False, etag=item.etag,
                             max_age=None)
        # send_file knows no length for a stream: ours is in the database, so ranges and
        # conditional requests work as for a local file (a seek re-reads from that offset).
        response.content_length = item.size
        response.last_modified = getattr(stream, "last_modified", None)
        try:
            response.make_conditional(request.environ, accept_ranges=True,
                                      complete_length=item.size)
        except RequestedRangeNotSatisfiable:
            stream.close()
            raise
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def content_disposition(item: Download) -> str:
    """The Content-Disposition send_file would write (ASCII name plus RFC 5987 `filename*`)."""
    names = {"filename": item.name}
    try:
        item.name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", item.name).encode("ascii", "ignore").decode("ascii")
        names = {"filename": simple, "filename*": "UTF-8''" + quote(item.name, safe="!#$&+-.^_`|~")}
    return dump_options_header("inline" if item.inline else "attachment", names)


def _missing(item: Download):
    current_app.logger.error("Stored file missing from the blob store: %s", item.sha256)
    raise NotFound()
