"""The harvesting trace: keeps `OaiRecord` in step with publications and withdrawals.

Called by the services (and the import) inside their own transaction, before their commit, so a
publication and its record are written together or not at all. Reading is in `oai.py`.
"""
import re
from datetime import datetime

from ..extensions import db
from .models import CaseStudy, OaiRecord, OaiRecordSet

_SPEC_PART = re.compile(r"[A-Za-z0-9._-]+")


def set_specs_of(snapshot: dict) -> list[str]:
    """The sets a published snapshot belongs to: its areas, its lead's country, its language."""
    specs = {f"area:{area}" for area in snapshot.get("areas") or []
             if _SPEC_PART.fullmatch(str(area))}
    country = str((snapshot.get("lead") or {}).get("country") or "").upper()
    if re.fullmatch(r"[A-Z]{2}", country):
        specs.add(f"country:{country}")
    language = str(snapshot.get("language") or "").lower()
    if re.fullmatch(r"[a-z]{2,3}", language):
        specs.add(f"language:{language}")
    return sorted(specs)


def _record_of(case_study: CaseStudy) -> OaiRecord:
    record = db.session.get(OaiRecord, case_study.id)
    if record is None:
        record = OaiRecord(case_study_id=case_study.id, slug=case_study.slug, sets=[])
        db.session.add(record)
    return record


def record_published(case_study: CaseStudy, snapshot: dict, moment: datetime) -> None:
    """The case study is public as `snapshot` since `moment` (a new or updated record)."""
    record = _record_of(case_study)
    record.slug, record.deleted = case_study.slug, False
    record.datestamp = moment.replace(microsecond=0)
    wanted = set_specs_of(snapshot)
    for item in [s for s in record.sets if s.spec not in wanted]:
        record.sets.remove(item)
    have = {s.spec for s in record.sets}
    record.sets.extend(OaiRecordSet(spec=spec) for spec in wanted if spec not in have)


def record_withdrawn(case_study: CaseStudy, moment: datetime) -> None:
    """The case study left the archive: its record stays, deleted, in the sets it was in."""
    record = db.session.get(OaiRecord, case_study.id)
    if record is not None:
        record.deleted = True
        record.datestamp = moment.replace(microsecond=0)
