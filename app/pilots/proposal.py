"""The "Proposal" document of a pilot's workspace: the submitted application written out as
Markdown (headings, the sections as their applicants wrote them, milestones, budget,
partners). Pure: a submitted version's record in, Markdown out, in the current locale.

Projects have no milestones of their own: the workplan's milestones live in this document, as
a table, and set the workspace's start and end dates (see `milestone_dates`)."""
from datetime import date

from babel import numbers
from flask_babel import get_locale
from flask_babel import gettext as _

from ..calls.application_content import BUDGET_CATEGORIES, SECTIONS
from ..core.countries import country_name
from ..projects.areas import area_label


def _cell(text) -> str:
    """A table cell: one line, pipes escaped."""
    return " ".join(str(text or "").split()).replace("|", "\\|")


def _euros(value) -> str:
    return "EUR " + numbers.format_decimal(int(value or 0), locale=str(get_locale() or "en"))


def proposal_markdown(record: dict) -> str:
    lines = [_("The application %(ref)s as submitted (version %(n)s), copied here when it was "
               "selected. Edit it freely: the submitted version stays in the call.",
               ref=record.get("ref", ""), n=record.get("version", 1)), ""]
    if record.get("summary"):
        lines += [f"## {_('Summary')}", "", record["summary"], ""]
    lead = record.get("lead") or {}
    lines += [f"## {_('Who')}", "",
              f"- {_('Lead: %(org)s', org=lead.get('name', ''))} "
              f"({country_name(lead.get('country', ''))})"]
    lines += [f"- {_('Partner: %(org)s', org=p.get('name', ''))} "
              f"({country_name(p.get('country', ''))})" for p in record.get("partners") or []]
    if record.get("areas"):
        lines += ["", _("Application areas: %(areas)s",
                        areas=", ".join(area_label(a) for a in record["areas"]))]
    lines.append("")
    for key, label in SECTIONS.items():
        text = (record.get("sections") or {}).get(key, "")
        if text:
            lines += [f"## {label}", "", text, ""]
    if record.get("milestones"):
        lines += [f"## {_('Milestones')}", "", f"| {_('Date')} | {_('Milestone')} |",
                  "|---|---|"]
        lines += [f"| {m.get('date', '')} | {_cell(m.get('title'))} |"
                  for m in record["milestones"]]
        lines.append("")
    if record.get("budget"):
        lines += [f"## {_('Budget')}", "",
                  f"| {_('Category')} | {_('Description')} | {_('Amount')} |", "|---|---|---:|"]
        lines += [f"| {BUDGET_CATEGORIES.get(b.get('category'), b.get('category', ''))} | "
                  f"{_cell(b.get('description'))} | {_euros(b.get('amount'))} |"
                  for b in record["budget"]]
        lines += ["", _("Grant requested: %(amount)s",
                        amount=_euros(record.get("requested_eur"))), ""]
    return "\n".join(lines)


def milestone_dates(record: dict) -> tuple[date | None, date | None]:
    """The first and last milestone's dates: the workspace's start and end."""
    days = sorted(date.fromisoformat(m["date"]) for m in record.get("milestones") or []
                  if m.get("date"))
    return (days[0], days[-1]) if days else (None, None)
