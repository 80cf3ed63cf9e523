"""Public pages served from cache to anonymous visitors, and the cache headers of every page.

A view marked `@public_page("archive")` answers an anonymous GET from the application cache
(Flask-Caching: Redis when REDIS_URL is set, in-process otherwise) when it can, and otherwise
renders, stores and answers. Each entry is keyed by the page's path and query, the interface
language, a release token (this code, templates and catalogues) and the current *version* of
each content scope it names. A scope's version is a fresh random token set by `bump(scope)`:
features bump when what the public sees changes (the archive through the `archive_changed`
signal, sent after the commit and again after the search index caught up; the directory and the
calls through `watch_models`, after any commit that wrote one of their models), so an entry of
the old version is never read again. Tokens are never reused, so an evicted version cannot bring
back old entries.

What is never stored or served from here: signed-in requests (anything but an anonymous
`current_user`), requests whose session carries flashed messages, answers other than 200,
answers that set a cookie, that touched the session, or that generated a CSRF token (a byte
specific to one visitor). Anonymous answers of public pages get `ETag`, `Last-Modified`,
`Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE` and `Vary: Cookie, Accept-Language`, and a
304 to a matching `If-None-Match`; answers to signed-in people get `private, no-store`.
"""
import gzip
import hashlib
import os
import secrets
import time
from functools import wraps
from pathlib import Path

from flask import Flask, current_app, g, has_app_context, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.http import http_date

from ..extensions import cache
from .signals import archive_changed

VERSION_KEY = "version:{}"
PAGE_KEY = "page:{}"
#: bigger answers are rendered each time rather than kept
MAX_STORED_BYTES = 1024 * 1024
COMPRESSION_SUFFIXES = (":gzip", ":br", ":deflate", ":zstd")


def release_token(*folders: Path) -> str:
    """A short hash of the names, sizes and modification times of the files under `folders`:
    a deploy that changes code, a template or a catalogue never reads the old entries."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in folders:
        for root, _dirs, files in sorted(os.walk(folder)):
            for name in sorted(files):
                if name.endswith((".py", ".html", ".mo", ".json", ".txt")):
                    stat = os.stat(os.path.join(root, name))
                    digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def version(scope: str) -> str:
    token = cache.get(VERSION_KEY.format(scope))
    if token is None:  # never set, or evicted: a new one, so no old entry is read again
        token = bump(scope)
    return token


def bump(scope: str) -> str:
    """Start a new version of `scope`: every page that named it is rendered afresh."""
    token = f"{time.time():.3f}-{secrets.token_hex(4)}"
    cache.set(VERSION_KEY.format(scope), token, timeout=0)
    return token


def cached_value(scope: str, name: str, compute, timeout: int | None = None):
    """An application-cache value of the current version of `scope` (facet counts, figures):
    `compute()` once per version and `name` (which names the language when it matters)."""
    key = f"value:{scope}:{version(scope)}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


def _anonymous_request() -> bool:
    return (request.method in ("GET", "HEAD") and not current_user.is_authenticated
            and "_flashes" not in session)


def _page_key(scopes: tuple[str, ...]) -> str:
    parts = [current_app.extensions["page_cache_release"], str(get_locale()), request.path,
             request.query_string.decode("latin-1")]
    parts += [version(scope) for scope in scopes]
    return PAGE_KEY.format(hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest())


def _storable(response) -> bool:
    return (response.status_code == 200 and not response.is_streamed
            and "Set-Cookie" not in response.headers and not session.modified
            and "csrf_token" not in g and len(response.get_data()) <= MAX_STORED_BYTES)


def _public_headers(response, etag: str, modified: float, max_age: int):
    response.headers["ETag"] = f'"{etag}"'
    response.headers["Last-Modified"] = http_date(modified)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Vary"] = "Cookie, Accept-Language"
    return response


def _not_modified(etag: str, modified: float) -> bool:
    """`If-None-Match` names this page (in any encoding), or it is older than `If-Modified-Since`."""
    if request.if_none_match:
        tags = request.if_none_match.as_set(include_weak=True)
        return request.if_none_match.star_tag or any(
            tag == etag or (tag.startswith(etag) and tag[len(etag):] in COMPRESSION_SUFFIXES)
            for tag in tags)
    since = request.if_modified_since
    return since is not None and since.timestamp() >= int(modified)


def _answer(entry: dict, max_age: int):
    """The stored page, gzipped once at storing for the browsers that take it (Flask-Compress
    leaves an answer that already has a Content-Encoding alone), or a 304."""
    etag, modified = entry["etag"], entry["modified"]
    gzipped = request.accept_encodings.quality("gzip") > 0
    if _not_modified(etag, modified):
        response = current_app.response_class(status=304)
    elif gzipped:
        response = current_app.response_class(entry["gzip"], mimetype=entry["mimetype"])
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = current_app.response_class(entry["body"], mimetype=entry["mimetype"])
    response = _public_headers(response, etag + (":gzip" if gzipped else ""), modified, max_age)
    response.headers["Vary"] = "Cookie, Accept-Language, Accept-Encoding"
    return response


def public_page(*scopes: str, timeout: int | None = None):
    """Mark a public view: anonymous answers come from the cache of the current version of
    `scopes` (and expire after `timeout` seconds, for pages that change with the clock)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not _anonymous_request():
                return view(*args, **kwargs)
            max_age = current_app.config["PUBLIC_PAGE_MAX_AGE"]
            key = _page_key(scopes)
            entry = cache.get(key)
            if entry is not None:
                return _answer(entry, max_age)
            response = make_response(view(*args, **kwargs))
            if not _storable(response):
                return response
            body = response.get_data()
            entry = {"body": body, "gzip": gzip.compress(body, 6), "mimetype": response.mimetype,
                     "modified": time.time(),
                     "etag": hashlib.blake2b(body, digest_size=12).hexdigest()}
            cache.set(key, entry, timeout=timeout)
            return _answer(entry, max_age)
        wrapper.public_page_scopes = scopes
        return wrapper
    return decorate


def watch_models(app: Flask, scope: str, *models) -> None:
    """Bump `scope` after every commit that wrote an instance of one of `models`."""
    app.extensions.setdefault("page_cache_watched", []).append((scope, models))


_WATCH_INSTALLED = []


def _install_watch() -> None:
    """Session events are global to SQLAlchemy: installed once per process, they look up the
    current app's watched models."""
    if _WATCH_INSTALLED:
        return
    _WATCH_INSTALLED.append(True)

    @event.listens_for(Session, "after_flush")
    def remember_written(db_session, _context):
        watched = current_app.extensions.get("page_cache_watched") if has_app_context() else None
        if not watched:
            return
        written = {type(obj) for obj in (*db_session.new, *db_session.dirty, *db_session.deleted)}
        scopes = db_session.info.setdefault("page_cache_scopes", set())
        for scope, models in watched:
            if any(issubclass(kind, models) for kind in written):
                scopes.add(scope)

    @event.listens_for(Session, "after_commit")
    def bump_written(db_session):
        for scope in db_session.info.pop("page_cache_scopes", ()):
            bump(scope)

    @event.listens_for(Session, "after_rollback")
    def forget_written(db_session):
        db_session.info.pop("page_cache_scopes", None)


def register(app: Flask) -> None:
    root = Path(app.root_path)
    app.config.setdefault("PUBLIC_PAGE_MAX_AGE", 60)
    cache.init_app(app)
    app.extensions["page_cache_release"] = release_token(
        root, Path(app.template_folder), root.parent / "translations")
    _install_watch()

    @archive_changed.connect_via(app)
    def new_archive_version(_sender, **_kwargs):
        bump("archive")

    @app.after_request
    def keep_signed_in_pages_private(response):
        # is_anonymous, not is_authenticated: the latter reads the user's `active` column, and
        # after a view's commit (the overview notes the visit) that reloads the user's row
        if "Cache-Control" not in response.headers and current_user \
                and not current_user.is_anonymous:
            response.headers["Cache-Control"] = "private, no-store"
        return response

