"""Spreadsheet plumbing shared by every importer and exporter.

Exporters yield rows; ``XlsxExporter`` writes them with openpyxl's write-only
mode, so memory does not grow with the number of rows. Importers open uploads
through ``open_workbook``, which refuses what is not a real, reasonably sized
xlsx file before parsing it.
"""

import copy
import datetime
import io
import zipfile
from decimal import Decimal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.exceptions import DomainError
from core.text import clean
from core.uploads import check_size

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.##"
DATE_FORMAT = "dd/mm/yyyy"
# Cells shown for information only (an importer ignores them).
READONLY_FILL = PatternFill("solid", fgColor="E7E6E6")


def neutralize(value):
    """Make text that a spreadsheet would run as a formula read as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralize(value):
    """Undo ``neutralize`` on text read back from a sheet we produced."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


class Column:
    def __init__(self, header, width=14, number_format=None, readonly=False):
        self.header = header
        self.width = width
        self.number_format = number_format
        self.readonly = readonly


class XlsxExporter:
    """Base exporter. Subclasses set ``sheet_title`` and ``columns`` and yield ``rows()``.

    ``render()`` returns ``(filename, content_type, bytes)``.
    """

    sheet_title = "Sheet1"
    filename = "export.xlsx"
    columns: list[Column] = []

    def rows(self):
        return iter(())

    def header_rows(self):
        """Rows printed in the header style above the data; by default the column headers."""
        return [[str(column.header) for column in self.columns]]

    def decorate(self, workbook):
        """Hook for extra sheets (instructions, lists)."""

    def _cell(self, sheet, value, column):
        if isinstance(value, Promise):  # lazy translations
            value = str(value)
        number_format = None
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            number_format = column.number_format or INTEGER_FORMAT
        elif isinstance(value, datetime.date):
            number_format = DATE_FORMAT
        value = neutralize(value)
        if not (column.readonly or number_format):
            # A plain value: openpyxl makes the cell itself, cheaper than being handed one.
            return value
        cell = WriteOnlyCell(sheet, value=value)
        self._style(cell, column.readonly, number_format)
        return cell

    def _style(self, cell, readonly, number_format):
        """Style a cell, reusing the style of the first cell styled alike: openpyxl hashes
        every style object on assignment, which dominates large sheets."""
        styles = self._styles
        cached = styles.get((readonly, number_format))
        if cached is not None:
            cell._style = copy.copy(cached)
            return
        if readonly:
            cell.fill = READONLY_FILL
        if number_format:
            cell.number_format = number_format
        styles[(readonly, number_format)] = copy.copy(cell._style)

    def write(self, stream):
        workbook = Workbook(write_only=True)
        self._styles = {}  # style ids belong to one workbook
        sheet = workbook.create_sheet(self.sheet_title)
        for index, column in enumerate(self.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        headers = self.header_rows()
        sheet.freeze_panes = f"{get_column_letter(getattr(self, 'frozen_columns', 0) + 1)}{len(headers) + 1}"
        for values in headers:
            row = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=neutralize(value))
                cell.font = HEADER_FONT
                cell.fill = HEADER_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if isinstance(value, int | Decimal | float):
                    cell.number_format = DECIMAL_FORMAT
                row.append(cell)
            sheet.append(row)
        for row in self.rows():
            sheet.append([self._cell(sheet, value, col) for value, col in zip(row, self.columns, strict=False)])
        self.decorate(workbook)
        workbook.save(stream)

    def render(self):
        buffer = io.BytesIO()
        self.write(buffer)
        return self.filename, XLSX_CONTENT_TYPE, buffer.getvalue()


def open_workbook(uploaded):
    """Open an uploaded xlsx file read-only, or raise DomainError saying why not."""
    limit = settings.IMPORT_MAX_BYTES
    check_size(uploaded, limit)
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    not_xlsx = DomainError(
        _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again."),
        field="file",
    )
    if head != b"PK\x03\x04":
        raise not_xlsx
    try:
        data = io.BytesIO(uploaded.read())
        with zipfile.ZipFile(data) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise not_xlsx
            # A zip bomb expands far beyond its size; refuse before openpyxl inflates it.
            if sum(info.file_size for info in archive.infolist()) > 40 * limit:
                raise DomainError(_("The workbook is too large once unpacked."), field="file")
        return load_workbook(data, read_only=True, data_only=True)
    except DomainError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on broken files
        raise not_xlsx from exc


def cell_text(value):
    """A cell's value as clean text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralize(clean(value))


def parse_date(value):
    """A date cell as a date: a real date, or text as dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd;
    None for an empty cell; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
