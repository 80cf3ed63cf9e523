"""File services: upload, new version, rename, delete/restore, listing, and what to download.

Each function takes the acting user, checks `app.policy`, validates everything (size, type,
image decoding, quota) before anything is written, and commits once. Bytes reach the store only
after every check has passed; a refused upload leaves nothing behind.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..core.downloads import Download
from ..core.errors import Conflict, NotFound, TooLarge, ValidationError
from ..core.pagination import Page, paginate
from ..core.text import clean_text
from ..core.urls import MAX_ID
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize, can
from ..projects.activity import record_activity
from . import media, storage
from .models import Blob, FileVersion, ProjectFile
from .sniffing import INLINE_MIMES, THUMBNAIL_MIMES, FileType, sniff

MAX_DESCRIPTION = 2000
MB = 1024 * 1024


# --- reading ---------------------------------------------------------------------------------

KINDS = ("image", "pdf", "document", "video", "audio", "model", "text", "archive")


def list_files(project, user, *, page=1, per_page=None, deleted: bool = False,
               kind: str | None = None, query: str | None = None) -> Page:
    """One page of the project's files, newest first (a fixed number of SQL statements),
    optionally only one kind and names containing `query`."""
    authorize(user, "project.manage" if deleted else "project.view", project)
    statement = (
        select(ProjectFile)
        .where(ProjectFile.project_id == project.id,
               ProjectFile.deleted_at.is_not(None) if deleted else ProjectFile.deleted_at.is_(None))
    )
    if kind in KINDS:
        statement = statement.where(ProjectFile.current_version.has(
            FileVersion.blob.has(Blob.kind == kind)))
    query = (query or "").strip()[:100].lower()
    if query:
        statement = statement.where(func.lower(ProjectFile.name).contains(query, autoescape=True))
    statement = (
        statement.options(
            joinedload(ProjectFile.current_version).joinedload(FileVersion.blob),
            joinedload(ProjectFile.current_version).joinedload(FileVersion.uploaded_by))
        .order_by(ProjectFile.updated_at.desc(), ProjectFile.id.desc())
    )
    return paginate(statement, page, per_page, default_per_page=50)


def get_file(project, user, file_id, *, with_versions: bool = False) -> ProjectFile:
    """A file of this project; deleted files are visible to those who may restore them."""
    authorize(user, "project.view", project)
    options = [joinedload(ProjectFile.current_version).joinedload(FileVersion.blob)]
    if with_versions:
        options.append(selectinload(ProjectFile.versions).options(
            joinedload(FileVersion.blob), joinedload(FileVersion.uploaded_by)))
    file_id = _database_int(file_id)
    item = db.session.execute(
        select(ProjectFile).where(ProjectFile.id == file_id, ProjectFile.project_id == project.id)
        .options(*options)
    ).unique().scalar_one_or_none()
    if item is None or (item.is_deleted and not can(user, "project.manage", project)):
        raise NotFound()
    return item


def get_version(item: ProjectFile, number=None) -> FileVersion:
    if number in (None, ""):
        version = item.current_version
    else:
        wanted = _database_int(number)
        version = db.session.execute(
            select(FileVersion).where(FileVersion.file_id == item.id, FileVersion.number == wanted)
            .options(joinedload(FileVersion.blob))
        ).scalar_one_or_none()
    if version is None:
        raise NotFound()
    return version


def _database_int(raw) -> int:
    """An id or number from a URL, or NotFound (also past what an INTEGER column holds)."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < value <= MAX_ID:
        raise NotFound()
    return value


def download_for(project, user, file_id, version=None) -> Download:
    item = get_file(project, user, file_id)
    return download_of_version(get_version(item, version))


def download_of_version(version: FileVersion) -> Download:
    """How to send `version` (its name, type and headers), with no access check: for callers
    that have already decided it may be sent (the archive's published attachments)."""
    blob = version.blob
    return Download(sha256=blob.sha256, mime=blob.mime,
                    name=storage.download_name(version.file.name, _extensions_for(blob)),
                    inline=blob.mime in INLINE_MIMES, etag=blob.sha256, size=blob.size)


def download_of_blob(blob: Blob, name: str) -> Download:
    """How to send a blob another feature keeps (an application's attachment), no access
    check: that feature's service decides."""
    return Download(sha256=blob.sha256, mime=blob.mime,
                    name=storage.download_name(name, _extensions_for(blob)),
                    inline=blob.mime in INLINE_MIMES, etag=blob.sha256, size=blob.size)


def thumbnail_for(project, user, file_id, version=None) -> Download:
    item = get_file(project, user, file_id)
    return thumbnail_of_version(get_version(item, version))


def thumbnail_of_version(version: FileVersion) -> Download:
    """How to send `version`'s thumbnail, with no access check (the archive's published
    covers: the archive decides); NotFound when it has none."""
    if version.thumbnail_blob_id is None:
        raise NotFound()
    thumb = db.session.get(Blob, version.thumbnail_blob_id)
    return Download(sha256=thumb.sha256, mime=thumb.mime,
                    name=f"thumbnail-{version.file_id}-{version.number}"
                    + _extensions_for(thumb)[0],
                    inline=True, etag=thumb.sha256, size=thumb.size)


def _extensions_for(blob: Blob) -> tuple:
    from . import sniffing

    for value in vars(sniffing).values():
        if isinstance(value, FileType) and value.mime == blob.mime:
            return value.extensions
    for mime, extensions in sniffing.ODF_TYPES.items():
        if mime == blob.mime:
            return extensions
    return (".bin",)


def project_usage(project) -> int:
    """Bytes used by every version of every file (deleted ones too: they can be restored)."""
    return db.session.execute(
        select(func.coalesce(func.sum(Blob.size), 0))
        .select_from(FileVersion)
        .join(ProjectFile, FileVersion.file_id == ProjectFile.id)
        .join(Blob, FileVersion.blob_id == Blob.id)
        .where(ProjectFile.project_id == project.id)
    ).scalar_one()


def quota_bytes() -> int:
    return int(current_app.config["PROJECT_QUOTA_MB"]) * MB


# --- writing ---------------------------------------------------------------------------------

def upload_file(project, user, stream, filename: str | None, description: str = "") -> ProjectFile:
    """A new file in the project from an upload stream (its first version)."""
    authorize(user, "project.contribute", project)
    description = _clean_description(description)
    name = storage.sanitise_filename(filename)
    prepared = _prepare(project, stream, name)
    now = utcnow()
    item = ProjectFile(project_id=project.id, name=name, description=description,
                       uploaded_by_id=user.id, created_at=now, updated_at=now, version_count=0)
    db.session.add(item)
    _add_version(item, user, prepared, name, now)
    db.session.flush()
    record_activity(project, user, "file.uploaded", target_type="file", target_id=item.id,
                    summary=name)
    _commit(prepared)
    return item


def upload_version(project, user, file_id, stream, filename: str | None) -> FileVersion:
    """A new version of an existing file; the file keeps its display name."""
    authorize(user, "project.contribute", project)
    item = get_file(project, user, file_id)
    if item.is_deleted:
        raise ValidationError(_("Restore this file before uploading a new version."))
    name = storage.sanitise_filename(filename)
    prepared = _prepare(project, stream, name)
    now = utcnow()
    version = _add_version(item, user, prepared, name, now)
    item.updated_at = now
    record_activity(project, user, "file.version", target_type="file", target_id=item.id,
                    summary=f"{item.name} (v{version.number})")
    _commit(prepared)
    return version


def rename_file(project, user, file_id, name: str, description: str | None = None
                ) -> ProjectFile:
    authorize(user, "project.contribute", project)
    item = get_file(project, user, file_id)
    clean = storage.sanitise_filename(name)
    if not (name or "").strip():
        raise ValidationError(_("Give the file a name."), field="name")
    item.name = clean
    if description is not None:
        item.description = _clean_description(description)
    item.updated_at = utcnow()
    db.session.commit()
    return item


def delete_file(project, user, file_id) -> ProjectFile:
    """Soft delete: hidden from the list, kept (with its blobs) so the lead can restore it."""
    authorize(user, "project.contribute", project)
    item = get_file(project, user, file_id)
    if not item.is_deleted:
        item.deleted_at = utcnow()
        record_activity(project, user, "file.deleted", target_type="file", target_id=item.id,
                        summary=item.name)
        db.session.commit()
    return item


def restore_file(project, user, file_id) -> ProjectFile:
    authorize(user, "project.manage", project)
    item = get_file(project, user, file_id)
    if item.is_deleted:
        item.deleted_at = None
        record_activity(project, user, "file.restored", target_type="file", target_id=item.id,
                        summary=item.name)
        db.session.commit()
    return item


# --- the pipeline behind an upload ---------------------------------------------------------

@dataclass
class _Prepared:
    upload: storage.SpooledUpload
    file_type: FileType
    thumbnail: media.Thumbnail | None
    thumbnail_upload: storage.SpooledUpload | None
    text: str | None


def _prepare(project, stream, name: str) -> _Prepared:
    """Spool, sniff, decode and check the quota; nothing is stored or written yet."""
    if stream is None:
        raise ValidationError(_("Choose a file to upload."), field="file")
    max_bytes = int(current_app.config["MAX_UPLOAD_MB"]) * MB
    upload = storage.spool(stream, max_bytes)
    try:
        file_type = sniff(upload.path, upload.size, name)
        thumbnail = text = thumbnail_upload = None
        if file_type.mime in THUMBNAIL_MIMES:
            thumbnail = media.make_thumbnail(upload.path, strict=file_type.mime != "image/tiff")
        elif file_type.mime == "application/pdf":
            text = media.extract_pdf_text(upload.path)
        used = project_usage(project)
        if used + upload.size > quota_bytes():
            raise TooLarge(_(
                "This upload would exceed the project's storage quota of %(quota)s MB "
                "(%(used)s MB used). Delete old files or ask an administrator for more space.",
                quota=quota_bytes() // MB, used=round(used / MB, 1)), field="file")
        if thumbnail is not None:
            thumbnail_upload = storage.spool_bytes(thumbnail.data)
    except BaseException:
        upload.discard()
        raise
    return _Prepared(upload, file_type, thumbnail, thumbnail_upload, text)


def store_upload(stream, filename: str | None, max_bytes: int | None = None
                 ) -> tuple[Blob, str]:
    """Another feature's attachment: the same spooling, size limit and type sniffing as a
    project's upload, stored content-addressed. Returns the blob and the cleaned file name;
    the caller links the blob and commits (the bytes are on disk already: an uncommitted
    blob is an orphan the store tolerates)."""
    if stream is None:
        raise ValidationError(_("Choose a file to upload."), field="file")
    name = storage.sanitise_filename(filename)
    limit = min(max_bytes or MAX_ID, int(current_app.config["MAX_UPLOAD_MB"]) * MB)
    upload = storage.spool(stream, limit)
    try:
        file_type = sniff(upload.path, upload.size, name)
        blob = _blob_for(upload, file_type.mime, file_type.kind)
        storage.store(upload)
    except BaseException:
        upload.discard()
        raise
    return blob, name


def _blob_for(upload: storage.SpooledUpload, mime: str, kind: str) -> Blob:
    blob = db.session.execute(
        select(Blob).where(Blob.sha256 == upload.sha256)
    ).scalar_one_or_none()
    if blob is None:
        blob = Blob(sha256=upload.sha256, size=upload.size, mime=mime, kind=kind)
        db.session.add(blob)
    return blob


def _add_version(item: ProjectFile, user, prepared: _Prepared, name: str, now) -> FileVersion:
    blob = _blob_for(prepared.upload, prepared.file_type.mime, prepared.file_type.kind)
    thumb = None
    if prepared.thumbnail_upload is not None:
        thumb = _blob_for(prepared.thumbnail_upload, prepared.thumbnail.mime, "thumbnail")
    item.version_count = (item.version_count or 0) + 1
    version = FileVersion(
        file=item, number=item.version_count, blob=blob, original_name=name,
        uploaded_by_id=user.id, created_at=now, extracted_text=prepared.text,
        thumbnail_blob=thumb,
        width=prepared.thumbnail.width if prepared.thumbnail else None,
        height=prepared.thumbnail.height if prepared.thumbnail else None,
    )
    db.session.add(version)
    item.current_version = version
    return version


def _commit(prepared: _Prepared) -> None:
    """Put the bytes in the store, then commit; a failed commit leaves only orphan blobs on
    disk (harmless: content-addressed, reused by the next identical upload)."""
    try:
        storage.store(prepared.upload)
        if prepared.thumbnail_upload is not None:
            storage.store(prepared.thumbnail_upload)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Another upload was saved at the same moment. Please try "
                         "again.")) from None
    except BaseException:
        db.session.rollback()
        prepared.upload.discard()
        if prepared.thumbnail_upload is not None:
            prepared.thumbnail_upload.discard()
        raise


def _clean_description(description: str | None) -> str:
    return clean_text(description, field="description", max_length=MAX_DESCRIPTION,
                      multiline=True, too_long=_("The description is too long "
                                                 "(at most %(n)s characters).", n=MAX_DESCRIPTION))
