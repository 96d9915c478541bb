"""Build and read spreadsheets in tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows, title="Don vi"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(rows=None, *, content=None, name="don-vi.xlsx"):
    return SimpleUploadedFile(name, content if content is not None else xlsx_bytes(rows), content_type=XLSX)


def read_rows(content, sheet=0):
    """Rows as lists, padded to the widest row (write-only sheets drop trailing empty cells)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(r) for r in workbook.worksheets[sheet].iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]
