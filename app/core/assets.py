"""Static files under versioned URLs with long-lived caching, and compressed responses.

Every static URL carries one version for the whole static folder (`/static/<version>/css/app.css`),
a hash of each file's name and content taken at start-up: a deploy that changes any file changes
every URL, so browsers may keep each one for a year (`immutable`). One version for the folder,
rather than a hash per file, keeps an ES module's relative imports (`./app.js` from `chat.js`) on
the very URL the page's own `<script src>` uses, so no module is fetched or run twice.

HTML, CSS, JavaScript, JSON, Atom/XML and SVG responses are compressed (zstd, brotli or gzip, as
the browser accepts) by Flask-Compress, a maintained extension: it handles `Vary`, ETags,
conditional requests and streamed files, which a home-made after_request would have to redo.
"""
import hashlib
from pathlib import Path

from flask import Flask, request

from ..extensions import compress

ONE_YEAR = 365 * 24 * 3600
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "application/atom+xml", "application/xml", "text/xml", "image/svg+xml",
]


def static_version(folder: Path) -> str:
    """A short hash of every file's relative path and content under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def static_url_path(folder: Path) -> str:
    return f"/static/{static_version(folder)}"


def register(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    compress.init_app(app)

    @app.after_request
    def cache_static_files_for_a_year(response):
        if request.endpoint == "static" and response.status_code == 200 and not app.debug:
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        return response
