"""The grants of a call for the funder's financial report: CSV and XLSX (openpyxl), one row
per instalment, with the pilot, its lead organisation and country. Cells a spreadsheet would
run as a formula are written as text (as the calls' exports do)."""
import csv
import io

from openpyxl import Workbook

from ..calls.exports import _safe
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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in _rows(call):
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()


def grants_xlsx(call) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="grants")
    sheet.append(list(COLUMNS))
    for row in _rows(call):
        sheet.append([_safe(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
