"""Sending a stored file: `Download` (what a door needs to send one blob) and `send_download`,
the one response for it, with the safe headers. Used by the workspace's downloads and the
public archive's published attachments alike; which blob may be sent is the services' call.
"""
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file

from .errors import NotFound

#: a download is never a page: no scripts, no plugins, no same-origin powers if opened inline
DOWNLOAD_CSP = "default-src 'none'; sandbox"


@dataclass
class Download:
    """What a door needs to send one stored blob."""

    path: Path
    mime: str
    name: str
    inline: bool
    etag: str
    size: int


def send_download(item: Download):
    """A stored blob as a response: inline only for images and PDF, never sniffed or run."""
    if not item.path.is_file():
        current_app.logger.error("Stored file missing on disk: %s", item.path)
        raise NotFound()
    response = send_file(item.path, mimetype=item.mime, as_attachment=not item.inline,
                         download_name=item.name, conditional=True, etag=item.etag,
                         max_age=None)
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
