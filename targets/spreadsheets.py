"""The allocation table in Excel: units as rows, targets as columns, plan shown above.

Row 1 holds the target codes (the importer reads them), row 2 their text, row 3 what
the allocating unit has to split; units start on row 4.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.packaging.custom import StringProperty
from openpyxl.utils import get_column_letter

from core.numbers import parse_number
from core.text import clean, fold
from core.xlsx import DECIMAL_FORMAT, Column, XlsxExporter, cell_text
from organizations.models import Organization
from targets.services import allocatable_targets, allocation_rows, current_values, sheet_version, unit_plan

FIRST_DATA_ROW = 4
# A document property naming the plan, the unit and the allocation's version at download,
# so that uploading a stale copy is a conflict rather than a silent overwrite.
VERSION_PROPERTY = "thidua-allocation"


class AllocationExporter(XlsxExporter):
    sheet_title = "Giao chi tieu"
    frozen_columns = 2

    def __init__(self, campaign, unit):
        self.campaign = campaign
        self.unit = unit
        self.targets = list(allocatable_targets(campaign))
        self.units = list(allocation_rows(campaign, unit))
        self.columns = [Column(_("Unit code"), 16), Column(_("Unit name"), 44)] + [
            Column(t.code, 16, DECIMAL_FORMAT) for t in self.targets
        ]
        self.filename = f"giao-chi-tieu-{fold(unit.code)}-{campaign.year}-{timezone.localdate():%Y%m%d}.xlsx"

    def decorate(self, workbook):
        stamp = f"{self.campaign.pk}:{self.unit.pk}:{sheet_version(self.campaign, self.unit)}"
        workbook.custom_doc_props.append(StringProperty(name=VERSION_PROPERTY, value=stamp))

    def header_rows(self):
        plan = unit_plan(self.campaign, self.unit, self.targets)
        return [
            [str(_("Unit code")), str(_("Unit name"))] + [t.code for t in self.targets],
            ["", str(_("Target"))] + [clean(t.text)[:120] for t in self.targets],
            ["", str(_("To split (read only)"))] + [plan.get(t.pk) for t in self.targets],
        ]

    def rows(self):
        values = current_values(self.targets, self.units)
        for unit in self.units:
            yield [unit.code, unit.name] + [values.get((unit.pk, t.pk)) for t in self.targets]


class AllocationImport:
    """Read an allocation workbook into ``values`` for ``save_allocation``, or list its problems."""

    def __init__(self, campaign, unit):
        self.campaign = campaign
        self.unit = unit
        self.targets = {t.code: t for t in allocatable_targets(campaign)}
        self.units = {u.code: u for u in allocation_rows(campaign, unit)}
        self.issues = []
        self.version = None

    def downloaded_version(self, workbook):
        """The allocation's version when this file was downloaded, or None for a sheet made elsewhere."""
        for prop in getattr(workbook, "custom_doc_props", None) or ():
            if prop.name == VERSION_PROPERTY:
                campaign, unit, version = (str(prop.value).split(":") + ["", "", ""])[:3]
                # isascii: "²" is a digit to isdigit() but not to int().
                same = campaign == str(self.campaign.pk) and unit == str(self.unit.pk)
                if same and version.isascii() and version.isdigit():
                    return int(version)
        return None

    def issue(self, row, column, message):
        self.issues.append((row, column, message))

    def read(self, workbook):
        self.version = self.downloaded_version(workbook)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            self.issue(0, "", _("The sheet is empty."))
            return {}
        columns = self._columns(header)
        if self.issues:
            return {}
        values = {}
        seen = {}
        for number, row in enumerate(rows, start=2):
            if number < FIRST_DATA_ROW or not any(cell_text(v) for v in row):
                continue
            if number > settings.IMPORT_MAX_ROWS + FIRST_DATA_ROW:
                # First in the list: the page shows only the first problems, and a sheet wrong on
                # every row would push this one, the reason to split the file, out of sight.
                self.issues.insert(0, (number, "", _("The sheet has too many rows.")))
                break
            self._read_row(number, row, columns, values, seen)
        if not values and not self.issues:
            self.issue(0, "", _("The sheet has no unit rows."))
        return values

    def _columns(self, header):
        columns = {}
        for index, value in enumerate(header[2:], start=2):
            code = cell_text(value).upper()
            if not code:
                continue
            letter = get_column_letter(index + 1)
            if code not in self.targets:
                self.issue(
                    1,
                    letter,
                    _("“%(code)s” is not an allocated target of this plan.") % {"code": code},
                )
            elif code in columns.values():
                self.issue(1, letter, _("Target %(code)s appears twice.") % {"code": code})
            else:
                columns[index] = code
        if not columns and not self.issues:
            self.issue(
                1,
                "",
                _("Row 1 must hold the target codes; use the sheet downloaded from the portal."),
            )
        return columns

    def _read_row(self, number, row, columns, values, seen):
        code = cell_text(row[0]).upper() if row else ""
        unit = self.units.get(code)
        if unit is None:
            self.issue(number, "A", self._unknown_unit(code))
            return
        if code in seen:
            self.issue(
                number,
                "A",
                _("Unit %(code)s is already in row %(row)s.") % {"code": code, "row": seen[code]},
            )
            return
        seen[code] = number
        for index, target_code in columns.items():
            raw = row[index] if index < len(row) else None
            letter = get_column_letter(index + 1)
            if cell_text(raw) == "":
                values[(unit.pk, self.targets[target_code].pk)] = None
                continue
            try:
                value = parse_number(raw)
            except ValueError:
                self.issue(number, letter, _("“%(value)s” is not a number.") % {"value": cell_text(raw)})
                continue
            if value < 0:
                self.issue(number, letter, _("%(value)s is negative.") % {"value": cell_text(raw)})
                continue
            values[(unit.pk, self.targets[target_code].pk)] = value

    def _unknown_unit(self, code):
        if not code:
            return _("The unit code is missing.")
        if Organization.objects.filter(code=code).exists():
            return _("%(code)s is not a unit directly below %(unit)s that takes part in this plan.") % {
                "code": code,
                "unit": self.unit.name,
            }
        return _("No unit has the code %(code)s.") % {"code": code}
