"""Excel bulk entry of a round's figures for a whole subtree.

Row 1 holds the column keys the importer reads ("CODE", "CT01", "CT03:tu", "CT03:mau",
"CT01:giao" …), row 2 the headings people read; units start on row 3. Columns whose key
ends in ":giao" (allocated) or ":dk" (pledged) are grey and only informative.
Only grassroots-level rows are entered here: the figures of the units above are the
sums of theirs.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.numbers import parse_number
from core.templatetags.portal import vn_number
from core.text import clean, fold
from core.xlsx import DECIMAL_FORMAT, Column, XlsxExporter, cell_text
from organizations.models import Organization
from reports import scope
from reports.models import EDITABLE, Pledge, Report, ReportValue, Status
from reports.services.reports import uses_fraction, uses_yes_no
from targets.models import Allocation

FIRST_DATA_ROW = 3
YES = {"có", "co", "x", "1", "yes", "đạt", "dat"}
NO = {"không", "khong", "0", "no", "chưa", "chua"}


def bulk_targets(campaign):
    """Targets typed in the sheet: everything but counts taken from the initiative register."""
    return [t for t in scope.campaign_targets(campaign) if not t.is_counted_from_initiatives]


def bulk_units(campaign, unit):
    """The grassroots-level participants of ``unit``'s subtree (no unit with units below)."""
    below = campaign.participants().filter(pk__in=Organization.objects.subtree(unit, include_self=False).values("pk"))
    aggregates = scope.aggregate_ids(campaign)
    return [u for u in below.select_related("kind").order_by("name") if u.pk not in aggregates]


def target_columns(target):
    """``[(key, heading, readonly)]`` for one target, as a leaf unit answers it."""
    code = target.code
    columns = []
    if target.is_allocatable:
        columns.append((f"{code}:giao", _("%(code)s allocated") % {"code": code}, True))
    columns.append((f"{code}:dk", _("%(code)s pledged") % {"code": code}, True))
    if uses_fraction(target, False):
        columns.append((f"{code}:tu", _("%(code)s numerator") % {"code": code}, False))
        columns.append((f"{code}:mau", _("%(code)s denominator") % {"code": code}, False))
    elif uses_yes_no(target, False):
        columns.append((code, _("%(code)s done (có/không)") % {"code": code}, False))
    else:
        columns.append((code, _("%(code)s achieved") % {"code": code}, False))
    return columns


class BulkExporter(XlsxExporter):
    sheet_title = "Nhap so lieu"
    frozen_columns = 2

    def __init__(self, campaign, unit, round_):
        self.campaign, self.unit, self.round = campaign, unit, round_
        self.targets = bulk_targets(campaign)
        self.units = bulk_units(campaign, unit)
        self.layout = [
            (target, key, heading, readonly)
            for target in self.targets
            for key, heading, readonly in target_columns(target)
        ]
        self.columns = [
            Column(_("Unit code"), 16),
            Column(_("Unit name"), 40),
            Column(_("Status"), 14, readonly=True),
        ] + [Column(heading, 14, DECIMAL_FORMAT, readonly=readonly) for _t, _k, heading, readonly in self.layout]
        period = f"dot-{round_.number}" if round_ else "ca-nam"
        self.filename = f"so-lieu-{fold(unit.code)}-{campaign.year}-{period}-{timezone.localdate():%Y%m%d}.xlsx"

    def header_rows(self):
        return [
            ["CODE", "NAME", "STATUS"] + [key for _t, key, _h, _r in self.layout],
            [str(_("Unit code")), str(_("Unit name")), str(_("Status"))] + [str(h) for _t, _k, h, _r in self.layout],
        ]

    def rows(self):
        # Plain tuples, not model instances: a sheet of 500 units reads some 20 000 rows.
        ids = [u.pk for u in self.units]
        statuses = dict(
            Report.objects.filter(campaign=self.campaign, round=self.round, organization_id__in=ids).values_list(
                "organization_id", "status"
            )
        )
        labels = dict(Status.choices)
        values = {
            (unit_id, target_id): (value, numerator, denominator, achieved)
            for unit_id, target_id, value, numerator, denominator, achieved in ReportValue.objects.filter(
                report__campaign=self.campaign, report__round=self.round, report__organization_id__in=ids
            ).values_list("report__organization_id", "target_id", "value", "numerator", "denominator", "achieved")
        }
        allocations = {
            (unit_id, target_id): value
            for unit_id, target_id, value in Allocation.objects.filter(
                target__campaign=self.campaign, organization_id__in=ids
            ).values_list("organization_id", "target_id", "value")
        }
        pledges = {
            (unit_id, target_id): value
            for unit_id, target_id, value in Pledge.objects.filter(
                registration__campaign=self.campaign, registration__organization_id__in=ids
            ).values_list("registration__organization_id", "target_id", "value")
        }
        for unit in self.units:
            status = statuses.get(unit.pk)
            row = [unit.code, unit.name, str(labels[status]) if status else str(_("Not sent"))]
            for target, key, _heading, _readonly in self.layout:
                if not target.applies_to(unit):
                    row.append("—")
                    continue
                row.append(self.cell(key, values.get((unit.pk, target.pk)), allocations, pledges, unit, target))
            yield row

    def cell(self, key, value, allocations, pledges, unit, target):
        if key.endswith(":giao"):
            return allocations.get((unit.pk, target.pk))
        if key.endswith(":dk"):
            return pledges.get((unit.pk, target.pk))
        if value is None:
            return None
        figure, numerator, denominator, achieved = value
        if key.endswith(":tu"):
            return numerator
        if key.endswith(":mau"):
            return denominator
        if uses_yes_no(target, False):
            return {True: "Có", False: "Không"}.get(achieved)
        return figure


@dataclass
class BulkRow:
    unit: object
    entries: dict = field(default_factory=dict)  # target id -> dict of fields to write


class BulkImport:
    """Read a filled sheet into rows of figures, or list every problem by row and column."""

    def __init__(self, campaign, unit, round_):
        self.campaign, self.unit, self.round = campaign, unit, round_
        self.targets = {t.code: t for t in bulk_targets(campaign)}
        self.units = {u.code: u for u in bulk_units(campaign, unit)}
        self.issues = []

    def issue(self, row, column, message):
        self.issues.append((row, column, message))

    def read(self, workbook):
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            self.issue(0, "", _("The sheet is empty."))
            return []
        columns = self._columns(header)
        if self.issues:
            return []
        result, seen = [], {}
        for number, row in enumerate(rows, start=2):
            if number < FIRST_DATA_ROW or not any(cell_text(v) for v in row):
                continue
            if number > settings.IMPORT_MAX_ROWS + FIRST_DATA_ROW:
                # First in the list: the page shows only the first problems, and a sheet wrong on
                # every row would push this one, the reason to split the file, out of sight.
                self.issues.insert(0, (number, "", _("The sheet has too many rows.")))
                break
            found = self._row(number, row, columns, seen)
            if found is not None:
                result.append(found)
        if not result and not self.issues:
            self.issue(0, "", _("The sheet has no unit rows."))
        self._check_locked(result)
        return [] if self.issues else result

    def _columns(self, header):
        """``{column index: (target, field)}`` from the keys in row 1."""
        columns = {}
        if not header or cell_text(header[0]).upper() != "CODE":
            self.issue(1, "A", _("Row 1 must hold the column keys; use the sheet downloaded from the portal."))
            return columns
        for index, raw in enumerate(header[3:], start=3):
            key = cell_text(raw)
            if not key or key.endswith((":giao", ":dk")):
                continue
            code, _sep, part = key.partition(":")
            target = self.targets.get(code.upper())
            letter = get_column_letter(index + 1)
            if target is None:
                self.issue(1, letter, _("“%(code)s” is not a target of this plan.") % {"code": code})
                continue
            field_name = {"": "value", "tu": "numerator", "mau": "denominator"}.get(part)
            if field_name is None:
                self.issue(1, letter, _("Unknown column “%(key)s”.") % {"key": key})
                continue
            if field_name == "value" and uses_yes_no(target, False):
                field_name = "achieved"
            if (target.pk, field_name) in columns.values():
                self.issue(1, letter, _("Column %(key)s appears twice.") % {"key": key})
                continue
            columns[index] = (target, field_name)
        return columns

    def _row(self, number, row, columns, seen):
        code = cell_text(row[0]).upper() if row else ""
        unit = self.units.get(code)
        if unit is None:
            self.issue(number, "A", self._unknown_unit(code))
            return None
        if code in seen:
            self.issue(number, "A", _("Unit %(code)s is already in row %(row)s.") % {"code": code, "row": seen[code]})
            return None
        seen[code] = number
        found = BulkRow(unit)
        for index, (target, field_name) in columns.items():
            raw = row[index] if index < len(row) else None
            text = cell_text(raw)
            letter = get_column_letter(index + 1)
            entry = found.entries.setdefault(target.pk, {})
            if text in ("", "—"):
                entry[field_name] = None
                continue
            if not target.applies_to(unit):
                self.issue(
                    number,
                    letter,
                    _("Target %(code)s does not apply to %(unit)s.") % {"code": target.code, "unit": code},
                )
                continue
            entry[field_name] = self._value(number, letter, field_name, raw, text)
        self._check_fractions(number, found)
        return found

    def _value(self, number, letter, field_name, raw, text):
        if field_name == "achieved":
            folded = clean(text).casefold()
            if folded in YES:
                return True
            if folded in NO:
                return False
            self.issue(number, letter, _("Write “có” or “không”, not “%(value)s”.") % {"value": text})
            return None
        try:
            value = parse_number(raw)
        except ValueError:
            self.issue(number, letter, _("“%(value)s” is not a number.") % {"value": text})
            return None
        if value < 0:
            self.issue(number, letter, _("%(value)s is negative.") % {"value": text})
            return None
        return value

    def _check_fractions(self, number, found):
        by_id = {t.pk: t for t in self.targets.values()}
        for target_id, entry in found.entries.items():
            if "numerator" not in entry and "denominator" not in entry:
                continue
            code = by_id[target_id].code
            numerator, denominator = entry.get("numerator"), entry.get("denominator")
            if (numerator is None) != (denominator is None):
                self.issue(number, "", _("%(code)s: give both the numerator and the denominator.") % {"code": code})
            elif numerator is not None and numerator > denominator:
                self.issue(
                    number,
                    "",
                    _("%(code)s: the numerator (%(n)s) is larger than the denominator (%(d)s).")
                    % {"code": code, "n": vn_number(numerator), "d": vn_number(denominator)},
                )

    def _check_locked(self, rows):
        locked = Report.objects.filter(
            campaign=self.campaign, round=self.round, organization__in=[r.unit for r in rows]
        ).exclude(status__in=EDITABLE)
        for report in locked.select_related("organization"):
            self.issue(
                0,
                "A",
                _("The report of %(code)s is %(status)s; it cannot be changed from a file.")
                % {"code": report.organization.code, "status": report.get_status_display().lower()},
            )

    def _unknown_unit(self, code):
        if not code:
            return _("The unit code is missing.")
        unit = Organization.objects.filter(code=code).first()
        if unit is None:
            return _("No unit has the code %(code)s.") % {"code": code}
        if not Organization.objects.subtree(self.unit).filter(pk=unit.pk).exists():
            return _("%(code)s is not below %(unit)s.") % {"code": code, "unit": self.unit.name}
        return _("%(code)s does not enter figures here: it is not a grassroots unit taking part in this plan.") % {
            "code": code
        }
