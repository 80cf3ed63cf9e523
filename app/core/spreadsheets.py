"""Tables people open in a spreadsheet: CSV text and XLSX workbooks (openpyxl).

Every export goes through here so that no cell a spreadsheet would run as a formula (one that
starts with =, +, -, @, a tab or a carriage return: "CSV injection") leaves the site as a
formula: such a cell is written as text, behind an apostrophe. None becomes an empty cell.
"""
import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet should show it: text that looks like a formula stays text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def xlsx_bytes(columns: Sequence[str], rows: Iterable[Sequence], *, sheet: str) -> bytes:
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title=sheet)
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append([safe_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
