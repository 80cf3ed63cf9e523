"""Reading the application form: its fields (with rows of milestones and budget lines) into
the content shape the services check, kept as typed so a refused save shows them again.
The form has fixed names (`title`, `section_idea`, `budget_amount_3`, ...); CSRF is checked
by Flask-WTF for every POST, text by the services' `clean_text`."""
from .application_content import MAX_BUDGET_LINES, MAX_MILESTONES, SECTIONS

#: empty rows the form offers beyond those already filled
SPARE_ROWS = 3


def _rows(form, prefix: str, names: tuple[str, ...], limit: int) -> list[dict]:
    rows = []
    for n in range(limit + 1):
        row = {name: form.get(f"{prefix}_{name}_{n}", "") for name in names}
        if any(row.values()):
            rows.append(row)
    return rows


def content_input(form) -> dict:
    """The draft as typed (strings), in `clean_content`'s input shape."""
    return {
        "title": form.get("title", ""), "summary": form.get("summary", ""),
        "areas": form.getlist("areas"),
        "sections": {key: form.get(f"section_{key}", "") for key in SECTIONS},
        "milestones": _rows(form, "milestone", ("date", "title"), MAX_MILESTONES),
        "budget": _rows(form, "budget", ("category", "description", "amount"),
                        MAX_BUDGET_LINES),
        "partners": form.getlist("partners"),
        "declarations": form.getlist("declarations"),
    }


def new_partner_input(form) -> dict:
    return {name: form.get(f"new_partner_{name}", "") for name in
            ("name", "kind", "country", "website", "size")}


def padded(rows: list, limit: int) -> list:
    """The rows plus a few empty ones to type into, at most `limit`."""
    return (list(rows) + [{}] * SPARE_ROWS)[:max(limit, len(rows))]

