"""Past years' history in Excel: the import template and the import itself.

One sheet, one fact per row: a title or award received, a yearly rating, a discipline or
an absence, of a person (named within their unit) or of the unit itself. Every row is
checked first; the file is imported only when every row is right, otherwise nothing is
written and each problem is listed with its row and column.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from awards.models import (
    Absence,
    AbsenceReason,
    AwardForm,
    Discipline,
    DisciplineLevel,
    Honour,
    HonourSource,
    Rating,
    RatingKind,
    RatingLevel,
    Title,
)
from awards.services import history
from core.exceptions import DomainError
from core.text import clean, fold
from core.xlsx import Column, XlsxExporter, cell_text, parse_date
from organizations.access import Cap, reach
from organizations.models import Organization, Person


@dataclass(frozen=True)
class Spec:
    key: str
    header: str  # as printed in the template (the sheet is exchanged in Vietnamese)
    english: str
    required: bool = False
    width: int = 16


COLUMNS = [
    Spec("unit_code", "Mã đơn vị", "Unit code", required=True),
    Spec("full_name", "Họ và tên", "Full name", required=True, width=28),
    Spec("year", "Năm", "Year", required=True, width=8),
    Spec("kind", "Loại", "Kind", required=True, width=20),
    Spec("code", "Mã", "Code", required=True, width=20),
    Spec("days", "Số ngày", "Days", width=9),
    Spec("reason", "Lý do", "Reason", width=12),
    Spec("decision_number", "Số quyết định", "Decision number", width=18),
    Spec("decided_on", "Ngày quyết định", "Decision date", width=14),
    Spec("issuer_name", "Cơ quan ban hành", "Issued by", width=36),
]
SPECS = {spec.key: spec for spec in COLUMNS}

TITLE, FORM, DUTY, UNION, DISCIPLINE, ABSENCE = (
    "danh-hieu",
    "khen-thuong",
    "xep-loai",
    "xep-loai-cong-doan",
    "ky-luat",
    "vang-mat",
)
KINDS = {
    TITLE: gettext_lazy("an emulation title received (code of the title)"),
    FORM: gettext_lazy("an award received (code of the award form)"),
    DUTY: gettext_lazy("rating of duty completion (level 1–4)"),
    UNION: gettext_lazy("union grading (level 1–4)"),
    DISCIPLINE: gettext_lazy("discipline of a person (level 1–4)"),
    ABSENCE: gettext_lazy("absence of a person (days and reason)"),
}
REASONS = {
    "maternity": AbsenceReason.MATERNITY,
    "thai san": AbsenceReason.MATERNITY,
    "sickness": AbsenceReason.SICKNESS,
    "om": AbsenceReason.SICKNESS,
    "om dau": AbsenceReason.SICKNESS,
    "other": AbsenceReason.OTHER,
    "khac": AbsenceReason.OTHER,
}


def _header_lookup():
    lookup = {}
    for spec in COLUMNS:
        lookup[fold(spec.header)] = spec
        lookup[fold(spec.english)] = spec
    return lookup


# Template --------------------------------------------------------------------


class HistoryTemplateExporter(XlsxExporter):
    """The empty import sheet, with the lists of codes and the instructions beside it."""

    sheet_title = "Lich su"
    filename = "mau-nhap-lich-su-thi-dua.xlsx"

    def __init__(self):
        self.columns = [Column(spec.header, spec.width) for spec in COLUMNS]

    def decorate(self, workbook):
        lists = workbook.create_sheet("Danh muc")
        lists.append([str(_("Kind")), str(_("Meaning"))])
        for code, meaning in KINDS.items():
            lists.append([code, str(meaning)])
        lists.append([])
        lists.append([str(_("Code")), str(_("Emulation title")), str(_("For"))])
        for entry in Title.objects.all():
            lists.append([entry.code, entry.name, str(entry.get_scope_display())])
        lists.append([])
        lists.append([str(_("Code")), str(_("Award form")), str(_("For"))])
        for entry in AwardForm.objects.all():
            lists.append([entry.code, entry.name, str(entry.get_scope_display())])
        lists.append([])
        lists.append([str(_("Level")), str(_("Rating")), str(_("Discipline"))])
        for rating, discipline in zip(RatingLevel, DisciplineLevel, strict=True):
            lists.append([rating.value, str(rating.label), str(discipline.label)])
        lists.append([])
        lists.append([str(_("Reason")), str(_("Meaning"))])
        for value, label in AbsenceReason.choices:
            lists.append([value, str(label)])
        for column, width in (("A", 22), ("B", 70), ("C", 40)):
            lists.column_dimensions[column].width = width
        kinds = DataValidation(type="list", formula1=f'"{",".join(KINDS)}"', allow_blank=True)
        kind_column = get_column_letter(next(i for i, s in enumerate(COLUMNS, 1) if s.key == "kind"))
        kinds.add(f"{kind_column}2:{kind_column}{settings.IMPORT_MAX_ROWS + 1}")
        workbook.worksheets[0].data_validations.append(kinds)
        guide = workbook.create_sheet("Huong dan")
        for line in instructions():
            guide.append([line])
        guide.column_dimensions["A"].width = 120


def instructions():
    return [
        str(_("How to fill in this sheet")),
        str(_("One fact per row, from row 2. Do not change the headers in row 1.")),
        str(_("Unit code: a unit within the units you may nominate for.")),
        str(
            _(
                "Full name: a person of that unit, written exactly as in the portal; "
                "leave it empty when the row is about the unit itself."
            )
        ),
        str(_("Kind: %(kinds)s.") % {"kinds": "; ".join(f"{code} = {text}" for code, text in KINDS.items())}),
        str(
            _(
                "Code: the title or award form code (sheet “Danh muc”), or the level 1–4 for ratings "
                "and discipline; empty for absences."
            )
        ),
        str(_("Days and reason: for absences only; the reason is maternity, sickness or other (thai sản, ốm, khác).")),
        str(_("Decision number, date (dd/mm/yyyy) and issuer: for titles, awards and discipline.")),
        str(_("The file is imported only if every row is correct; otherwise nothing is saved.")),
    ]


# Import ----------------------------------------------------------------------


@dataclass
class ImportIssue:
    row: int
    column: str
    message: str


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    unit: Organization | None = None
    person: Person | None = None
    entry: Title | AwardForm | None = None
    level: int | None = None
    reason: str = ""

    @property
    def nominee(self):
        return self.person or self.unit


@dataclass
class ImportResult:
    counts: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.issues

    @property
    def total(self):
        return sum(self.counts.values())


class _RolledBack(Exception):
    """Raised inside the import transaction to undo every row written so far."""


class _Bad(Exception):
    """A cell that cannot be read; carries the message for the row's issue."""


def _parse_int(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value)
    if not text.isdigit():
        raise ValueError
    return int(text)


class HistoryImport:
    """Check every row of an uploaded history sheet, then write them all, or none.

    Units must lie where ``actor`` may nominate; people are found by their exact name
    within the unit named on the row.
    """

    def __init__(self, *, actor):
        self.actor = actor
        self.issues = []
        self.columns = {}  # key → column index (0-based)

    def issue(self, row, key, message):
        column = ""
        if key in self.columns:
            column = f"{get_column_letter(self.columns[key] + 1)} ({SPECS[key].header})"
        elif key:
            column = SPECS[key].header
        self.issues.append(ImportIssue(row, column, str(message)))

    def run(self, workbook):
        """Import ``workbook``; the result counts the rows written by kind, or lists the issues."""
        rows = self._read(workbook)
        if rows:
            self._resolve(rows)
        if self.issues:
            # Row order, as the user reads the sheet (checks run by kind, not by row).
            return ImportResult(issues=sorted(self.issues, key=lambda issue: issue.row))
        result = ImportResult()
        try:
            with transaction.atomic():
                for row in rows:
                    self._write(row, result)
        except _RolledBack:
            return ImportResult(issues=self.issues)
        return result

    # Reading -----------------------------------------------------------------

    def _read(self, workbook):
        if not workbook.worksheets:
            self.issue(0, "", _("The workbook has no sheet."))
            return []
        row_iter = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(row_iter, None)
        if header is None or not self._read_header(header):
            return []
        rows = []
        for number, values in enumerate(row_iter, start=2):
            if not any(cell_text(v) for v in values):
                continue
            if len(rows) >= settings.IMPORT_MAX_ROWS:
                self.issue(number, "", _("The sheet has more than %(max)s rows.") % {"max": settings.IMPORT_MAX_ROWS})
                return []
            row = Row(number)
            for key, index in self.columns.items():
                row.values[key] = values[index] if index < len(values) else None
            self._parse(row)
            rows.append(row)
        if not rows and not self.issues:
            self.issue(0, "", _("The sheet has no rows to import."))
        return rows

    def _read_header(self, header):
        lookup = _header_lookup()
        for index, value in enumerate(header):
            spec = lookup.get(fold(cell_text(value)))
            if spec and spec.key not in self.columns:
                self.columns[spec.key] = index
        missing = [spec.header for spec in COLUMNS if spec.required and spec.key not in self.columns]
        if missing:
            self.issue(
                1,
                "",
                _("Columns missing from row 1: %(columns)s. Use the template from the portal.")
                % {"columns": ", ".join(missing)},
            )
            return False
        return True

    def _parse(self, row):
        values = row.values
        values["unit_code"] = cell_text(values.get("unit_code")).upper()
        values["full_name"] = clean(cell_text(values.get("full_name")))
        values["kind"] = fold(cell_text(values.get("kind"))).replace(" ", "-")
        for key, parser in (("year", self._year), ("decided_on", self._date), ("days", self._days)):
            try:
                values[key] = parser(values.get(key))
            except _Bad as bad:
                values[key] = None
                self.issue(row.number, key, bad.args[0])
        if not values["unit_code"]:
            self.issue(row.number, "unit_code", _("Enter the unit code."))
        if values["kind"] not in KINDS:
            self.issue(
                row.number,
                "kind",
                _("Unknown kind “%(value)s”; use one of: %(kinds)s.")
                % {"value": cell_text(row.values.get("kind")), "kinds": ", ".join(KINDS)},
            )

    def _year(self, value):
        this_year = timezone.localdate().year
        try:
            year = _parse_int(value)
        except ValueError:
            raise _Bad(_("“%(value)s” is not a year.") % {"value": cell_text(value)}) from None
        if not history.FIRST_YEAR <= year <= this_year:
            raise _Bad(
                _("The year must be between %(first)s and %(last)s.") % {"first": history.FIRST_YEAR, "last": this_year}
            )
        return year

    def _date(self, value):
        if not cell_text(value):
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise _Bad(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": cell_text(value)}) from None

    def _days(self, value):
        if not cell_text(value):
            return None
        try:
            return _parse_int(value)
        except ValueError:
            raise _Bad(_("“%(value)s” is not a whole number of days.") % {"value": cell_text(value)}) from None

    # Cross-row checks ----------------------------------------------------------

    def _resolve(self, rows):
        self._find_units(rows)
        self._find_people(rows)
        catalogue = {
            TITLE: {t.code: t for t in Title.objects.all()},
            FORM: {f.code: f for f in AwardForm.objects.all()},
        }
        for row in rows:
            if row.unit is None or row.values["kind"] not in KINDS or row.values["year"] is None:
                continue
            if row.values["full_name"] and row.person is None:
                continue
            self._check_kind(row, catalogue)
        self._check_duplicates([r for r in rows if r.nominee is not None and self._complete(r)])

    def _find_units(self, rows):
        codes = {r.values["unit_code"] for r in rows if r.values["unit_code"]}
        units = {o.code: o for o in Organization.objects.filter(code__in=codes)}
        allowed = set(
            (reach(self.actor, Cap.NOMINATE) | reach(self.actor, Cap.MANAGE_AWARDS))
            .filter(code__in=codes)
            .values_list("code", flat=True)
        )
        for row in rows:
            code = row.values["unit_code"]
            if not code:
                continue
            if code not in units:
                self.issue(row.number, "unit_code", _("No unit has the code %(code)s.") % {"code": code})
            elif code not in allowed:
                self.issue(
                    row.number,
                    "unit_code",
                    _("Unit %(code)s is outside the units you may enter history for.") % {"code": code},
                )
            else:
                row.unit = units[code]

    def _find_people(self, rows):
        named = [r for r in rows if r.unit is not None and r.values["full_name"]]
        people = {}
        for person in Person.objects.filter(organization__in={r.unit.pk for r in named}):
            people.setdefault((person.organization_id, clean(person.full_name)), []).append(person)
        for row in named:
            found = people.get((row.unit.pk, row.values["full_name"]), [])
            if len(found) == 1:
                row.person = found[0]
            elif found:
                self.issue(
                    row.number,
                    "full_name",
                    _("Several people of %(unit)s are named “%(name)s”; enter this row in the portal.")
                    % {"unit": row.unit.code, "name": row.values["full_name"]},
                )
            else:
                self.issue(
                    row.number,
                    "full_name",
                    _("The person “%(name)s” does not exist in unit %(unit)s.")
                    % {"name": row.values["full_name"], "unit": row.unit.code},
                )

    def _check_kind(self, row, catalogue):
        kind, code = row.values["kind"], cell_text(row.values.get("code"))
        if kind in (TITLE, FORM):
            self._check_entry(row, catalogue, kind, code.lower())
        elif kind in (DUTY, UNION, DISCIPLINE):
            self._check_level(row, code)
        else:
            self._check_absence(row)
        if kind in (DISCIPLINE, ABSENCE) and row.person is None:
            self.issue(row.number, "full_name", _("Discipline and absences are about a person: enter the full name."))

    def _check_entry(self, row, catalogue, kind, code):
        other = FORM if kind == TITLE else TITLE
        entry = catalogue[kind].get(code)
        if entry is None:
            if code in catalogue[other]:
                message = (
                    _("%(code)s is an award form, not a title: use the kind %(kind)s.")
                    if kind == TITLE
                    else _("%(code)s is an emulation title, not an award form: use the kind %(kind)s.")
                )
                self.issue(row.number, "code", message % {"code": code, "kind": other})
            else:
                self.issue(row.number, "code", _("No title or award form has the code “%(code)s”.") % {"code": code})
            return
        try:
            history.check_scope(entry, row.nominee)
        except DomainError as error:
            self.issue(row.number, "full_name", error.message)
            return
        row.entry = entry

    def _check_level(self, row, code):
        try:
            level = _parse_int(code)
        except ValueError:
            level = None
        if level not in (1, 2, 3, 4):
            self.issue(row.number, "code", _("The level must be 1, 2, 3 or 4."))
            return
        row.level = level

    def _check_absence(self, row):
        if row.values["days"] is None:
            self.issue(row.number, "days", _("Enter the number of working days away."))
        elif not 1 <= row.values["days"] <= 366:
            self.issue(row.number, "days", _("The number of days must be between 1 and 366."))
        reason = REASONS.get(fold(cell_text(row.values.get("reason"))))
        if reason is None:
            self.issue(row.number, "reason", _("The reason must be maternity, sickness or other (thai sản, ốm, khác)."))
            return
        row.reason = reason

    @staticmethod
    def _complete(row):
        kind = row.values["kind"]
        if kind in (TITLE, FORM):
            return row.entry is not None
        if kind == ABSENCE:
            return bool(row.reason) and row.person is not None
        return row.level is not None and (kind != DISCIPLINE or row.person is not None)

    def _check_duplicates(self, rows):
        """The same fact twice, in the sheet or already in the portal (a file imported twice)."""
        seen = {}
        for row in rows:
            key = self._fact_key(row)
            if key in seen:
                self.issue(row.number, "year", _("The same as row %(row)s.") % {"row": seen[key]})
                continue
            seen[key] = row.number
            if self._already_recorded(row):
                self.issue(
                    row.number,
                    "year",
                    _("%(nominee)s already has this recorded for %(year)s.")
                    % {"nominee": row.nominee, "year": row.values["year"]},
                )

    @staticmethod
    def _fact_key(row):
        kind, nominee = row.values["kind"], (type(row.nominee).__name__, row.nominee.pk)
        detail = {TITLE: row.entry, FORM: row.entry, ABSENCE: row.reason, DISCIPLINE: row.level}.get(kind)
        if kind in (DUTY, UNION):
            detail = None  # one rating a year, whatever its level
        key = getattr(detail, "pk", detail)
        return (kind, nominee, row.values["year"], key)

    @staticmethod
    def _already_recorded(row):
        kind, year, who = row.values["kind"], row.values["year"], history.nominee_filter(row.nominee)
        if kind in (TITLE, FORM):
            entry_field = "title" if kind == TITLE else "award_form"
            return Honour.objects.standing().filter(year=year, **{entry_field: row.entry}, **who).exists()
        if kind in (DUTY, UNION):
            rating_kind = RatingKind.DUTY if kind == DUTY else RatingKind.UNION_GRADE
            return Rating.objects.filter(year=year, kind=rating_kind, **who).exists()
        if kind == DISCIPLINE:
            return Discipline.objects.filter(person=row.person, year=year, level=row.level).exists()
        return Absence.objects.filter(person=row.person, year=year, reason=row.reason).exists()

    # Writing -------------------------------------------------------------------

    def _write(self, row, result):
        kind, values = row.values["kind"], row.values
        try:
            if kind in (TITLE, FORM):
                data = {k: values.get(k) for k in ("year", "decision_number", "decided_on", "issuer_name")}
                data["decision_number"] = cell_text(data["decision_number"])
                data["issuer_name"] = cell_text(data["issuer_name"])
                history.record_honour(
                    row.nominee, actor=self.actor, data={**data, "entry": row.entry}, source=HonourSource.IMPORT
                )
            elif kind in (DUTY, UNION):
                rating_kind = RatingKind.DUTY if kind == DUTY else RatingKind.UNION_GRADE
                history.record_rating(
                    row.nominee,
                    actor=self.actor,
                    data={"year": values["year"], "kind": rating_kind, "level": row.level},
                )
            elif kind == DISCIPLINE:
                note = " – ".join(
                    part
                    for part in (cell_text(values.get("decision_number")), cell_text(values.get("issuer_name")))
                    if part
                )
                history.record_discipline(
                    row.person,
                    actor=self.actor,
                    data={"year": values["year"], "level": row.level, "decided_on": values["decided_on"], "note": note},
                )
            else:
                history.record_absence(
                    row.person,
                    actor=self.actor,
                    data={"year": values["year"], "days": values["days"], "reason": row.reason},
                )
        except DomainError as error:
            self.issue(row.number, error.field if error.field in SPECS else "", error.message)
            raise _RolledBack from error
        result.counts[kind] = result.counts.get(kind, 0) + 1
