"""Exports of a call's submitted applications for its managers: CSV and XLSX (openpyxl), one
row per application, the version that counts, with its SHA-256. Cells that a spreadsheet would
run as a formula are written as text (app/core/spreadsheets.py)."""
from ..core.spreadsheets import csv_text, xlsx_bytes
from ..core.time import isoformat_utc
from .application_content import SECTIONS
from .application_queries import submitted_for_export

COLUMNS = ("ref", "title", "lead", "lead_country", "lead_kind", "lead_size", "partners",
           "partner_countries", "areas", "requested_eur", "submitted_at", "version", "sha256",
           "eligible", "eligibility_override", "override_reason", "consensus_score", "summary",
           *(f"section_{key}" for key in SECTIONS), "milestones", "budget")


def _rows(call):
    for application, version, partners in submitted_for_export(call):
        lead = application.lead_organisation
        content = application.content or {}
        sections = content.get("sections") or {}
        yield [
            application.ref, application.title, lead.name, lead.country, lead.kind,
            lead.size or "", "; ".join(p.name for p in partners),
            "; ".join(p.country for p in partners), "; ".join(application.areas or []),
            application.requested_eur,
            isoformat_utc(application.submitted_at) if application.submitted_at else "",
            application.submitted_version or "", version.sha256 if version else "",
            "" if application.eligible is None else ("yes" if application.eligible else "no"),
            "" if application.eligibility_override is None else (
                "yes" if application.eligibility_override else "no"),
            application.override_reason or "",
            "" if application.consensus_score is None else application.consensus_score,
            content.get("summary", ""), *(sections.get(key, "") for key in SECTIONS),
            "; ".join(f"{m['date']} {m['title']}" for m in content.get("milestones") or []),
            "; ".join(f"{b['category']}: {b['description']} = {b['amount']}"
                      for b in content.get("budget") or []),
        ]


def export_csv(call) -> str:
    return csv_text(COLUMNS, _rows(call))


def export_xlsx(call) -> bytes:
    return xlsx_bytes(COLUMNS, _rows(call), sheet="applications")
