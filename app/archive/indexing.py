"""What the search index may know about a case study: the record source the archive registers
with `app.search` at start-up (`RECORD_SOURCE`).

Only published case studies produce records, built from the PUBLISHED snapshot, so a draft,
an update under review, a returned or a withdrawn case study can never reach the index. A
record carries the case study's translations too: one index document holds every version.
"""
from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..core.markdown import markdown_to_text
from ..extensions import db
from ..search.records import RecordSource
from .attachments import attachment_texts
from .models import CaseStudy
from .technologies import canonical_tags, text_synonyms
from .translations import translations_of
from .vocabulary import SECTION_KEYS


def indexable_record(case_study: CaseStudy) -> dict | None:
    """The index record of a published case study, or None when it is not public."""
    if case_study is None or case_study.published_revision_id is None:
        return None
    revision = case_study.published_revision
    if revision is None:
        return None
    texts = attachment_texts([revision.snapshot])
    translations = translations_of([case_study.id]).get(case_study.id, [])
    return _record(case_study, revision.snapshot, texts, translations)


def iter_indexable_records(batch_size: int = 500) -> Iterator[dict]:
    """Every published case study's record; a few queries per batch, none per row."""
    last_id = 0
    while True:
        rows = db.session.execute(
            select(CaseStudy)
            .where(CaseStudy.published_revision_id.is_not(None), CaseStudy.id > last_id)
            .options(selectinload(CaseStudy.published_revision))
            .order_by(CaseStudy.id).limit(batch_size)
        ).scalars().all()
        if not rows:
            return
        snapshots = [row.published_revision.snapshot for row in rows if row.published_revision]
        texts = attachment_texts(snapshots)
        translations = translations_of([row.id for row in rows])
        for row in rows:
            if row.published_revision is not None:
                yield _record(row, row.published_revision.snapshot, texts,
                              translations.get(row.id, []))
        last_id = rows[-1].id


def records_for(session: Session, ids: Iterable[int]) -> dict[int, dict | None]:
    """The current record of each case study in `ids` that still exists (None: not public)."""
    studies = session.scalars(select(CaseStudy).where(CaseStudy.id.in_(set(ids))))
    return {study.id: indexable_record(study) for study in studies}


def count_published() -> int:
    return db.session.execute(
        select(func.count()).select_from(CaseStudy)
        .where(CaseStudy.published_revision_id.is_not(None))
    ).scalar_one()


def _sections_text(sections: dict) -> str:
    return "\n\n".join(
        markdown_to_text(sections[key]) for key in SECTION_KEYS if sections.get(key))


def _record(case_study: CaseStudy, snapshot: dict, texts: dict, translations: list) -> dict:
    lead = snapshot.get("lead") or {}
    sections = snapshot.get("sections") or {}
    body = _sections_text(sections)
    partner_names = " ".join(p.get("name", "") for p in snapshot.get("partners") or [])
    attachments = "\n\n".join(
        texts.get((item.get("kind"), item.get("id")), "")
        for item in snapshot.get("attachments") or []
    )
    return {
        "id": case_study.id,
        "slug": case_study.slug,
        "title": snapshot.get("title", ""),
        "summary": snapshot.get("summary", ""),
        "body": "\n\n".join(filter(None, [body, lead.get("name", ""), lead.get("city", ""),
                                          partner_names])),
        "attachments": attachments,
        "language": snapshot.get("language") or "en",
        "country": (lead.get("country") or "").upper(),
        "areas": list(snapshot.get("areas") or []),
        "technologies": canonical_tags(list(snapshot.get("technologies") or [])),
        "lead_kind": lead.get("kind") or "",
        "lead_size": lead.get("size") or "",
        "year": snapshot.get("year"),
        "budget_range": snapshot.get("budget_range") or "unknown",
        "published_at": case_study.published_at,
        "translations": [{"language": t.language, "title": t.title, "summary": t.summary,
                          "body": _sections_text(t.sections or {})} for t in translations],
    }


RECORD_SOURCE = RecordSource(count=count_published, iter_records=iter_indexable_records,
                             records_for=records_for, synonyms=text_synonyms)
