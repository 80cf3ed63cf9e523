"""The grants of a call for the funder's financial report: CSV and XLSX (openpyxl), one row
per instalment, with the pilot, its lead organisation and country. Cells a spreadsheet would
run as a formula are written as text (app/core/spreadsheets.py)."""
from ..core.spreadsheets import csv_text, xlsx_bytes
from .queries import pilots_of

COLUMNS = ("ref", "title", "lead_organisation", "country", "grant_eur", "instalment",
           "share_percent", "amount_eur", "trigger", "status", "due_on", "paid_on",
           "withheld_reason")


def _rows(call):
    for pilot in pilots_of(call):
        application = pilot.application
        lead = application.lead_organisation
        for instalment in pilot.instalments:
            yield [application.ref, application.title, lead.name, lead.country,
                   pilot.grant_eur, instalment.position, instalment.share_percent,
                   instalment.amount_eur, instalment.trigger, instalment.status,
                   instalment.due_on.isoformat() if instalment.due_on else "",
                   instalment.paid_on.isoformat() if instalment.paid_on else "",
                   instalment.withheld_reason or ""]


def grants_csv(call) -> str:
    return csv_text(COLUMNS, _rows(call))


def grants_xlsx(call) -> bytes:
    return xlsx_bytes(COLUMNS, _rows(call), sheet="grants")
