"""Case study workflow: start from a template, co-edit with revisions, choose attachments,
submit, publish / return / withdraw. Every function validates, authorizes and commits once.

Index changes go into the search change log in the same transaction as the change itself and
are applied right after the commit (a failure there is logged; the log keeps the entry, and every
machine's follower applies it).
"""
import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..core import signals
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.text import slugify
from ..core.time import utcnow
from ..documents.merge import merge_texts
from ..extensions import db
from ..policy import authorize, can
from ..projects.activity import record_activity
from ..search.services import apply_pending_changes, enqueue_index_change
from .models import CaseStudy, CaseStudyAttachment, CaseStudyPartner, CaseStudyReview
from .models import CaseStudyRevision
from .attachments import check_cover, check_project_targets, pinned_attachments, pinned_cover
from .oai_records import record_published, record_withdrawn
from .technologies import canonical_tags
from .validation import (SUMMARY_MAX, TITLE_MAX, clean_case_study_input, clean_cover_alt,
                         optional_int)
from .vocabulary import (
    SECTION_KEYS, SECTIONS, STATUS_DRAFT, STATUS_PUBLISHED, STATUS_RETURNED, STATUS_SUBMITTED,
    STATUS_WITHDRAWN, budget_range_for,
)

log = logging.getLogger(__name__)

EDITABLE = {STATUS_DRAFT, STATUS_RETURNED, STATUS_PUBLISHED, STATUS_WITHDRAWN}
#: sections a case study cannot be submitted without
REQUIRED_SECTIONS = ("challenge", "approach", "results", "lessons")
FIELDS = ("title", "summary", "language", "year", "sections", "technologies", "areas",
          "budget_eur", "impact", "license", "contact")


# ---------------------------------------------------------------- snapshots and revisions

def snapshot_of(case_study: CaseStudy) -> dict:
    """Every field of the working copy, with lead, partners and pinned attachments."""
    lead = case_study.lead_organisation
    snapshot = {key: getattr(case_study, key) for key in FIELDS}
    snapshot["sections"] = dict(case_study.sections or {})
    snapshot["budget_range"] = case_study.budget_range
    snapshot["lead"] = _org_dict(lead) if lead else {}
    snapshot["partners"] = [
        dict(_org_dict(p.organisation), role=p.role) for p in case_study.partners
    ]
    snapshot["attachments"] = pinned_attachments(case_study)
    cover = pinned_cover(case_study)
    if cover:  # no key without a cover: older snapshots stay equal, a save adds no revision
        snapshot["cover"] = cover
    return snapshot


def _org_dict(org) -> dict:
    return {"id": org.id, "name": org.name, "kind": org.kind, "country": org.country,
            "city": org.city, "size": org.size or ""}


def _apply(case_study: CaseStudy, cleaned: dict) -> None:
    for key, value in cleaned.items():
        setattr(case_study, key, value)


def add_revision(case_study: CaseStudy, author, note: str = "") -> CaseStudyRevision | None:
    """Add a revision when the snapshot changed (a save that changes nothing adds none)."""
    db.session.flush()
    snapshot = snapshot_of(case_study)
    current = db.session.get(CaseStudyRevision, case_study.current_revision_id) \
        if case_study.current_revision_id else None
    if current is not None and current.snapshot == snapshot:
        return None
    revision = CaseStudyRevision(
        case_study_id=case_study.id, number=(current.number + 1) if current else 1,
        author_id=getattr(author, "id", None), note=note[:200], snapshot=snapshot,
    )
    db.session.add(revision)
    db.session.flush()
    case_study.current_revision_id = revision.id
    return revision


def recent_revisions(case_study: CaseStudy, limit: int = 15) -> list[CaseStudyRevision]:
    """The latest revisions of the working copy, newest first (the workspace's history)."""
    return list(db.session.execute(
        select(CaseStudyRevision).where(CaseStudyRevision.case_study_id == case_study.id)
        .order_by(CaseStudyRevision.number.desc()).limit(limit)
    ).scalars())


def unique_slug(title: str, wanted: str | None = None) -> str:
    base = slugify(wanted or title, max_length=100) or "case-study"
    slug, n = base, 2
    while db.session.execute(select(CaseStudy.id).where(CaseStudy.slug == slug)).first():
        slug, n = f"{base}-{n}", n + 1
    return slug


# ---------------------------------------------------------------- workspace side

def case_study_of(project) -> CaseStudy | None:
    return db.session.execute(
        select(CaseStudy).where(CaseStudy.project_id == project.id)
    ).scalar_one_or_none()


def template_sections() -> dict:
    return {key: f"_{prompt}_" for key, (_label, prompt) in SECTIONS.items()}


def start_case_study(user, project) -> CaseStudy:
    """The lead starts the case study of a completed project from the template."""
    authorize(user, "project.manage", project)
    if project.status != "completed":
        raise ValidationError(_("A case study can be written once the project is completed."))
    if case_study_of(project) is not None:
        raise Conflict(_("This project already has a case study."))
    case_study = CaseStudy(
        slug=unique_slug(project.title), project_id=project.id,
        lead_organisation_id=project.lead_organisation_id, status=STATUS_DRAFT,
        title=project.title[:TITLE_MAX], summary=(project.summary or "")[:SUMMARY_MAX],
        language="en", sections=template_sections(), areas=list(project.area_keys),
        technologies=canonical_tags(list(project.technology_tags))[:20], impact={}, license="CC-BY-4.0",
        contact="", year=(project.end_date or utcnow()).year, budget_range="unknown",
        created_by_id=user.id, review_comment="",
    )
    case_study.partners = [
        CaseStudyPartner(organisation_id=p.organisation_id, role=p.role, position=i)
        for i, p in enumerate(project.partners)
    ]
    db.session.add(case_study)
    db.session.flush()
    add_revision(case_study, user, note="started from the template")
    _activity(project, user, "case_study.started", case_study)
    db.session.commit()
    return case_study


def save_case_study(user, case_study: CaseStudy, data: dict, base_revision_id) -> CaseStudy:
    """Save the working copy as a new revision; a stale base is merged or refused."""
    authorize(user, "project.contribute", case_study.project)
    if case_study.status == STATUS_SUBMITTED:
        raise Conflict(_("The case study is with the curators; you can edit it again once "
                         "they have published or returned it."))
    cleaned = clean_case_study_input(data)
    base_id = optional_int(base_revision_id, "base_revision", 0, 2**62)
    if base_id != case_study.current_revision_id:
        cleaned = _merge_stale(case_study, base_id, cleaned)
    _apply(case_study, cleaned)
    if case_study.status in (STATUS_PUBLISHED, STATUS_WITHDRAWN):
        case_study.status = STATUS_DRAFT  # an update: the published version stays visible
    if add_revision(case_study, user, note="edited"):
        _activity(case_study.project, user, "case_study.edited", case_study)
    db.session.commit()
    return case_study


def _merge_stale(case_study: CaseStudy, base_id: int | None, mine: dict) -> dict:
    """Someone saved since this editor started: merge the sections line by line, refuse a
    clash on the same field (nothing is lost: the form keeps what the user typed)."""
    base = db.session.get(CaseStudyRevision, base_id) if base_id else None
    if base is None or base.case_study_id != case_study.id:
        raise Conflict(_("Someone saved the case study in the meantime. Your text is kept "
                         "below: copy it, reload the page and apply your changes again."))
    theirs = db.session.get(CaseStudyRevision, case_study.current_revision_id).snapshot
    merged = dict(mine)
    clashes = []
    for key in mine:
        if key == "sections":
            continue
        old, their_value, my_value = base.snapshot.get(key), theirs.get(key), mine[key]
        if my_value == old:
            merged[key] = their_value
        elif their_value not in (old, my_value):
            clashes.append(key)
    merged_sections = {}
    for key in SECTION_KEYS:
        old = base.snapshot.get("sections", {}).get(key, "")
        result = merge_texts(old, theirs.get("sections", {}).get(key, ""),
                             mine["sections"].get(key, ""))
        if not result.clean:
            clashes.append(key)
        if result.text.strip():
            merged_sections[key] = result.text.strip()
    if clashes:
        raise Conflict(_("Someone else changed the same parts in the meantime (%(parts)s). "
                         "Your text is kept below: reload the page in another tab, then "
                         "apply your changes again.", parts=", ".join(clashes)))
    merged["sections"] = merged_sections
    merged["budget_range"] = budget_range_for(merged.get("budget_eur"))
    return merged


def set_attachments(user, case_study: CaseStudy, documents: list, files: list) -> None:
    """The lead picks which workspace documents and files go public with the case study."""
    authorize(user, "project.manage", case_study.project)
    if case_study.status == STATUS_SUBMITTED:
        raise Conflict(_("The case study is with the curators; wait for their decision."))
    wanted = {("document", i) for i in _ids(documents)} | {("file", i) for i in _ids(files)}
    check_project_targets(case_study.project, wanted)
    existing = {(a.kind, a.target_id): a for a in case_study.attachments}
    for key, attachment in existing.items():
        if key not in wanted:
            case_study.attachments.remove(attachment)
    for kind, target_id in sorted(wanted - set(existing)):
        case_study.attachments.append(CaseStudyAttachment(kind=kind, target_id=target_id))
    if case_study.status in (STATUS_PUBLISHED, STATUS_WITHDRAWN):
        case_study.status = STATUS_DRAFT
    add_revision(case_study, user, note="attachments chosen")
    db.session.commit()


def set_cover(user, case_study: CaseStudy, file_id, alt: str) -> None:
    """Choose the cover among the project's images (alt text required), or none. Like every
    edit it reaches the public only when the curators publish the next version."""
    authorize(user, "project.contribute", case_study.project)
    if case_study.status == STATUS_SUBMITTED:
        raise Conflict(_("The case study is with the curators; wait for their decision."))
    chosen = optional_int(file_id, "cover_file", 1, 2**62)
    if chosen is not None:
        check_cover(case_study.project, chosen)
        alt = clean_cover_alt(alt)
    case_study.cover_file_id, case_study.cover_alt = chosen, alt if chosen else ""
    if add_revision(case_study, user, note="cover chosen"):
        if case_study.status in (STATUS_PUBLISHED, STATUS_WITHDRAWN):
            case_study.status = STATUS_DRAFT
        _activity(case_study.project, user, "case_study.edited", case_study)
    db.session.commit()


def _ids(values) -> set[int]:
    ids = set()
    for value in values or []:
        try:
            ids.add(int(value))
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(_("Unknown document or file.")) from None
    return ids


def submit_case_study(user, case_study: CaseStudy) -> CaseStudy:
    authorize(user, "project.manage", case_study.project)
    if case_study.status not in (STATUS_DRAFT, STATUS_RETURNED):
        raise Conflict(_("Only a draft or a returned case study can be submitted."))
    template = template_sections()
    missing = [str(SECTIONS[key][0]) for key in REQUIRED_SECTIONS
               if not case_study.sections.get(key)
               or case_study.sections.get(key) == template[key]]
    if not case_study.summary.strip():
        missing.insert(0, _("Summary"))
    if missing:
        raise ValidationError(_("Please write these parts before submitting: %(parts)s.",
                                parts=", ".join(missing)))
    add_revision(case_study, user, note="submitted")  # pins the chosen attachments' versions
    case_study.status = STATUS_SUBMITTED
    case_study.submitted_at = utcnow()
    _activity(case_study.project, user, "case_study.submitted", case_study)
    db.session.commit()
    return case_study


# ---------------------------------------------------------------- curators

def review_queue(user) -> list[CaseStudy]:
    authorize(user, "archive.curate")
    return list(db.session.execute(
        select(CaseStudy).where(CaseStudy.status == STATUS_SUBMITTED)
        .order_by(CaseStudy.submitted_at)
    ).scalars())


def get_case_study(case_study_id) -> CaseStudy:
    try:
        case_study = db.session.get(CaseStudy, int(case_study_id))
    except (TypeError, ValueError, OverflowError):
        case_study = None
    if case_study is None:
        raise NotFound()
    return case_study


def publish_case_study(curator, case_study: CaseStudy, comment: str = "") -> CaseStudy:
    authorize(curator, "archive.curate")
    if case_study.status != STATUS_SUBMITTED:
        raise Conflict(_("Only a submitted case study can be published."))
    _publish(case_study, curator, comment)
    db.session.commit()
    drain_index()
    signals.case_study_published.send(case_study, case_study=case_study, actor=curator)
    return case_study


def _publish(case_study: CaseStudy, curator, comment: str) -> None:
    now = utcnow()
    case_study.status = STATUS_PUBLISHED
    case_study.published_revision_id = case_study.current_revision_id
    case_study.published_at = now
    case_study.first_published_at = case_study.first_published_at or now
    case_study.review_comment = (comment or "").strip()
    record_published(case_study, db.session.get(
        CaseStudyRevision, case_study.current_revision_id).snapshot, now)
    db.session.add(CaseStudyReview(
        case_study_id=case_study.id, reviewer_id=getattr(curator, "id", None),
        decision=STATUS_PUBLISHED, comment=case_study.review_comment,
        revision_id=case_study.current_revision_id,
    ))
    enqueue_index_change(case_study, "upsert")
    _activity(case_study.project, curator, "case_study.published", case_study)


def return_case_study(curator, case_study: CaseStudy, comment: str) -> CaseStudy:
    authorize(curator, "archive.curate")
    if case_study.status != STATUS_SUBMITTED:
        raise Conflict(_("Only a submitted case study can be returned."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Tell the authors what to change: a comment is required."),
                              field="comment")
    case_study.status = STATUS_RETURNED
    case_study.review_comment = comment[:5000]
    db.session.add(CaseStudyReview(
        case_study_id=case_study.id, reviewer_id=curator.id, decision=STATUS_RETURNED,
        comment=case_study.review_comment, revision_id=case_study.current_revision_id,
    ))
    _activity(case_study.project, curator, "case_study.returned", case_study)
    db.session.commit()
    return case_study


def withdraw_case_study(user, case_study: CaseStudy, comment: str = "") -> CaseStudy:
    """Curators, or the project's lead, take a case study out of the archive everywhere."""
    if case_study.project is not None:
        if not can(user, "archive.curate"):
            authorize(user, "project.manage", case_study.project)
    else:
        authorize(user, "archive.curate")
    if case_study.published_revision_id is None and case_study.status != STATUS_SUBMITTED:
        raise Conflict(_("This case study is not published."))
    was_public = case_study.published_revision_id is not None
    case_study.status = STATUS_WITHDRAWN
    case_study.published_revision_id = None
    case_study.published_at = None
    db.session.add(CaseStudyReview(
        case_study_id=case_study.id, reviewer_id=user.id, decision=STATUS_WITHDRAWN,
        comment=(comment or "").strip()[:5000], revision_id=case_study.current_revision_id,
    ))
    if was_public:
        enqueue_index_change(case_study, "delete")
        record_withdrawn(case_study, utcnow())
    _activity(case_study.project, user, "case_study.withdrawn", case_study)
    db.session.commit()
    drain_index()
    return case_study


def drain_index() -> None:
    """Apply the search change log now; on failure the follower applies it at its next look.

    Called right after every commit that changes what the public archive shows, so it also
    tells the cached public pages: once for the committed rows, and once more when the index
    (the archive's search) has caught up, so nothing rendered in between is served again."""
    signals.archive_changed.send(current_app._get_current_object())
    try:
        apply_pending_changes()
    except Exception:  # the change is committed; the index catches up at the next drain
        log.exception("Could not apply the search change log; it will be retried")
    signals.archive_changed.send(current_app._get_current_object())


def _activity(project, actor, verb: str, case_study: CaseStudy) -> None:
    if project is None:
        return
    record_activity(project, actor, verb, target_type="case_study", target_id=case_study.id,
                    summary=case_study.title)
