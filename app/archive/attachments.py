"""Published attachments: the workspace documents and files a case study makes public.

The only archive module that reads the documents and files features' models. A snapshot pins
each attachment to the document revision / file version current when it was saved, so the
public sees what the curators reviewed, not later workspace edits.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.downloads import Download
from ..core.errors import NotFound, ValidationError
from ..core.markdown import markdown_to_text
from ..documents.models import Document, DocumentRevision
from ..extensions import db
from ..files.models import FileVersion, ProjectFile
from ..files.services import download_of_version, thumbnail_of_version


def candidates(project) -> tuple[list, list]:
    """The project's live documents and files the lead may choose from."""
    documents = db.session.execute(
        select(Document).where(Document.project_id == project.id, Document.is_folder.is_(False),
                               Document.deleted_at.is_(None)).order_by(Document.title)
    ).scalars().all()
    files = db.session.execute(
        select(ProjectFile).where(ProjectFile.project_id == project.id,
                                  ProjectFile.deleted_at.is_(None)).order_by(ProjectFile.name)
    ).scalars().all()
    return list(documents), list(files)


def check_project_targets(project, wanted: set[tuple[str, int]]) -> None:
    documents, files = candidates(project)
    allowed = {("document", d.id) for d in documents} | {("file", f.id) for f in files}
    if wanted - allowed:
        raise ValidationError(_("Only this workspace's documents and files can be published."))


def pinned_attachments(case_study) -> list[dict]:
    """The chosen attachments, each pinned to its current revision / version."""
    if not case_study.attachments:
        return []
    doc_ids = [a.target_id for a in case_study.attachments if a.kind == "document"]
    file_ids = [a.target_id for a in case_study.attachments if a.kind == "file"]
    pinned = []
    if doc_ids:
        for doc in db.session.execute(select(Document).where(
                Document.id.in_(doc_ids), Document.deleted_at.is_(None)).order_by(Document.title)
        ).scalars():
            pinned.append({"kind": "document", "id": doc.id, "title": doc.title,
                           "revision_id": doc.current_revision_id})
    if file_ids:
        for item in db.session.execute(select(ProjectFile).where(
                ProjectFile.id.in_(file_ids), ProjectFile.deleted_at.is_(None))
                .order_by(ProjectFile.name)).scalars():
            version = item.current_version
            pinned.append({"kind": "file", "id": item.id, "title": item.name,
                           "version_id": item.current_version_id,
                           "size": version.blob.size if version else 0,
                           "mime": version.blob.mime if version else ""})
    return pinned


def attachment_texts(snapshots: list[dict]) -> dict[tuple[str, int], str]:
    """Plain text of every attachment named in `snapshots`, keyed by (kind, id): the published
    documents' Markdown as text and the published PDFs' extracted text. Two queries at most."""
    revision_ids, version_ids = {}, {}
    for snapshot in snapshots:
        for item in snapshot.get("attachments") or []:
            if item.get("kind") == "document" and item.get("revision_id"):
                revision_ids[item["revision_id"]] = item["id"]
            elif item.get("kind") == "file" and item.get("version_id"):
                version_ids[item["version_id"]] = item["id"]
    if not revision_ids and not version_ids:
        return {}
    texts = {}
    if revision_ids:
        for rev in db.session.execute(select(DocumentRevision.id, DocumentRevision.body).where(
                DocumentRevision.id.in_(revision_ids))):
            texts[("document", revision_ids[rev.id])] = markdown_to_text(rev.body)
    if version_ids:
        for ver in db.session.execute(select(FileVersion.id, FileVersion.extracted_text).where(
                FileVersion.id.in_(version_ids))):
            texts[("file", version_ids[ver.id])] = ver.extracted_text or ""
    return texts


def published_documents(snapshot: dict) -> list[dict]:
    """The published documents of a snapshot with their pinned Markdown body."""
    items = [a for a in snapshot.get("attachments") or [] if a.get("kind") == "document"]
    ids = [a["revision_id"] for a in items if a.get("revision_id")]
    if not ids:
        return []
    bodies = dict(db.session.execute(select(DocumentRevision.id, DocumentRevision.body).where(
        DocumentRevision.id.in_(ids))).all())
    return [dict(a, body=bodies.get(a.get("revision_id"), "")) for a in items]


def published_file_version(snapshot: dict | None, file_id: int):
    """The pinned FileVersion of a file published with `snapshot`; NotFound for anything else."""
    item = next((a for a in (snapshot or {}).get("attachments") or []
                 if a.get("kind") == "file" and a.get("id") == file_id), None)
    if item is None or not item.get("version_id"):
        raise NotFound()
    version = db.session.get(FileVersion, item["version_id"])
    if version is None or version.file_id != file_id or version.file.is_deleted:
        raise NotFound()
    return version


def public_download(snapshot: dict | None, file_id: int) -> Download:
    """How to send a file published with `snapshot`: the files feature's own `Download` for the
    pinned version (same names, types and headers as in the workspace)."""
    return download_of_version(published_file_version(snapshot, file_id))


# ---------------------------------------------------------------- covers

def cover_candidates(project) -> list:
    """The project's live files whose current version is an image with a thumbnail."""
    return list(db.session.execute(
        select(ProjectFile).join(FileVersion, FileVersion.id == ProjectFile.current_version_id)
        .where(ProjectFile.project_id == project.id, ProjectFile.deleted_at.is_(None),
               FileVersion.thumbnail_blob_id.is_not(None)).order_by(ProjectFile.name)
    ).scalars())


def check_cover(project, file_id: int) -> None:
    if file_id not in {item.id for item in cover_candidates(project)}:
        raise ValidationError(_("Choose an image among this workspace's files."),
                              field="cover_file")


def pinned_cover(case_study) -> dict | None:
    """The cover pinned to its current version, or None (also when the file was deleted)."""
    if case_study.cover_file_id is None:
        return None
    item = db.session.get(ProjectFile, case_study.cover_file_id)
    if item is None or item.is_deleted or item.current_version is None \
            or item.current_version.thumbnail_blob_id is None:
        return None
    return {"id": item.id, "version_id": item.current_version_id, "alt": case_study.cover_alt}


def public_cover(snapshot: dict | None) -> Download:
    """The thumbnail of the cover pinned in a published `snapshot`; NotFound for anything else."""
    cover = (snapshot or {}).get("cover") or {}
    version = db.session.get(FileVersion, cover["version_id"]) if cover.get("version_id") else None
    if version is None or version.file_id != cover.get("id") or version.file.is_deleted:
        raise NotFound()
    return thumbnail_of_version(version)
