"""Units in Excel: the import template, the subtree export and the import itself.

The template and the export share their columns, so an exported sheet can be
edited and imported back. Headers are recognised in every portal language.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.exceptions import DomainError
from core.text import clean, fold
from core.xlsx import Column, XlsxExporter, cell_text, parse_date
from organizations.models import (
    Level,
    Organization,
    OrganizationKind,
    Sector,
    code_validator,
    kind_fits_under,
)
from organizations.services import ORGANIZATION_FIELDS, create_organization, update_organization


@dataclass(frozen=True)
class Spec:
    key: str
    header: str
    required: bool = False
    width: int = 16
    import_only: bool = False
    export_only: bool = False


COLUMNS = [
    Spec("code", gettext_lazy("Unit code"), required=True, width=16),
    Spec("name", gettext_lazy("Unit name"), required=True, width=48),
    Spec("short_name", gettext_lazy("Short name"), width=20),
    Spec("kind", gettext_lazy("Unit kind"), required=True, width=34),
    Spec("sector", gettext_lazy("Sector"), width=26),
    Spec("parent_code", gettext_lazy("Parent unit code"), required=True, width=18),
    Spec("members_count", gettext_lazy("Union members"), width=12),
    Spec("workers_count", gettext_lazy("Workers"), width=12),
    Spec("founded_on", gettext_lazy("Founded on"), width=14),
    Spec("address", gettext_lazy("Address"), width=30),
    Spec("phone", gettext_lazy("Phone"), width=14),
    Spec("email", gettext_lazy("E-mail"), width=24),
    # Extra columns of the export: read for information, ignored on import.
    Spec("parent_name", gettext_lazy("Parent unit name"), width=40, export_only=True),
    Spec("level", gettext_lazy("Level"), width=22, export_only=True),
    Spec("status", gettext_lazy("Status"), width=14, export_only=True),
    Spec("ended_on", gettext_lazy("Ended on"), width=14, export_only=True),
    Spec("successor_code", gettext_lazy("Merged into (code)"), width=18, export_only=True),
]
IMPORT_COLUMNS = [c for c in COLUMNS if not c.export_only]


def _header_lookup():
    """Folded header text in every language → column spec."""
    lookup = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for spec in COLUMNS:
                lookup[fold(str(spec.header))] = spec
    return lookup


def _sector_lookup():
    lookup = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in Sector.choices:
                lookup[fold(str(label))] = value
                lookup[fold(value)] = value
    return lookup


# Exports ---------------------------------------------------------------------


class UnitExporter(XlsxExporter):
    """The units of a subtree, one per row, parents before children."""

    sheet_title = "Don vi"

    def __init__(self, root, *, include_ended=True):
        self.root = root
        self.include_ended = include_ended
        self.columns = [Column(spec.header, spec.width) for spec in COLUMNS]
        self.filename = f"don-vi-{root.code.lower()}-{timezone.localdate():%Y%m%d}.xlsx"

    def queryset(self):
        qs = Organization.objects.subtree(self.root).select_related("kind", "parent", "successor")
        if not self.include_ended:
            qs = qs.filter(is_active=True)
        return qs.order_by("kind__level", "parent__code", "code")

    def rows(self):
        for org in self.queryset().iterator(chunk_size=2000):
            yield [
                org.code,
                org.name,
                org.short_name,
                org.kind.name,
                org.get_sector_display() if org.sector else "",
                org.parent.code if org.parent else "",
                org.members_count,
                org.workers_count,
                org.founded_on,
                org.address,
                org.phone,
                org.email,
                org.parent.name if org.parent else "",
                Level(org.kind.level).label,
                _("Active") if org.is_active else _("Ended"),
                org.ended_on,
                org.successor.code if org.successor else "",
            ]


class UnitTemplateExporter(XlsxExporter):
    """An empty import sheet with drop-down lists and an instructions sheet."""

    sheet_title = "Don vi"
    filename = "mau-nhap-don-vi.xlsx"

    def __init__(self):
        self.columns = [Column(spec.header, spec.width) for spec in IMPORT_COLUMNS]

    def decorate(self, workbook):
        today = timezone.localdate()
        kinds = [k for k in OrganizationKind.objects.all() if k.is_valid_on(today)]
        lists = workbook.create_sheet("Danh muc")
        lists.append([str(_("Unit kinds")), str(_("Sectors"))])
        sectors = [str(label) for _value, label in Sector.choices]
        for index in range(max(len(kinds), len(sectors))):
            lists.append(
                [
                    kinds[index].name if index < len(kinds) else None,
                    sectors[index] if index < len(sectors) else None,
                ]
            )
        data_sheet = workbook.worksheets[0]
        kind_col = get_column_letter(_column_index("kind"))
        sector_col = get_column_letter(_column_index("sector"))
        for col, source in (
            (kind_col, f"'Danh muc'!$A$2:$A${len(kinds) + 1}"),
            (sector_col, f"'Danh muc'!$B$2:$B${len(sectors) + 1}"),
        ):
            validation = DataValidation(type="list", formula1=source, allow_blank=True)
            validation.add(f"{col}2:{col}{settings.IMPORT_MAX_ROWS + 1}")
            data_sheet.data_validations.append(validation)
        guide = workbook.create_sheet("Huong dan")
        for line in _instructions():
            guide.append([line])
        guide.column_dimensions["A"].width = 120


def _column_index(key):
    return next(i for i, spec in enumerate(IMPORT_COLUMNS, start=1) if spec.key == key)


def _instructions():
    required = ", ".join(str(c.header) for c in IMPORT_COLUMNS if c.required)
    return [
        str(_("How to fill in this sheet")),
        str(_("One unit per row, from row 2. Do not change the headers in row 1.")),
        str(_("Required columns: %(columns)s.") % {"columns": required}),
        str(_("Unit code: unique nationwide; capital letters without accents, digits, dot, dash.")),
        str(
            _(
                "Parent unit code: a unit already in the portal within your unit, "
                "or a unit in another row of this sheet."
            )
        ),
        str(_("Unit kind and sector: pick from the drop-down lists (sheet “Danh muc”).")),
        str(_("Numbers: whole numbers, 0 or more. Dates: dd/mm/yyyy.")),
        str(
            _(
                "A row whose code already exists updates that unit; its parent must stay the same "
                "(use “Move” in the portal to change it)."
            )
        ),
        str(_("The file is imported only if every row is correct; otherwise nothing is saved.")),
    ]


# Import ----------------------------------------------------------------------


@dataclass
class ImportIssue:
    row: int
    column: str
    message: str

    @property
    def location(self):
        if self.row and self.column:
            return _("Row %(row)s, column %(column)s") % {"row": self.row, "column": self.column}
        if self.row:
            return _("Row %(row)s") % {"row": self.row}
        return ""


@dataclass
class ParsedRow:
    number: int
    values: dict = field(default_factory=dict)
    kind: OrganizationKind | None = None
    parent: Organization | None = None
    existing: Organization | None = None


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    issues: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.issues


_GROUPED_INT = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def _parse_int(value):
    if value in (None, ""):
        return 0
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = clean(value).replace(" ", "")
        if _GROUPED_INT.match(text):
            text = re.sub(r"[.,]", "", text)
        if not text.isdigit():
            raise ValueError
        number = int(text)
    if number < 0 or number > 2_000_000_000:
        raise ValueError
    return number


class UnitImport:
    """Validate every row of an uploaded sheet, then create or update all units, or none.

    Units are placed under ``scope``: every parent must be ``scope`` itself, a unit
    below it, or a unit in another row of the sheet.
    """

    def __init__(self, *, actor, scope):
        self.actor = actor
        self.scope = scope
        self.issues = []
        self.columns = {}  # column index → spec

    def issue(self, row, spec_or_letter, message):
        column = spec_or_letter
        if isinstance(spec_or_letter, Spec):
            letter = next(
                (get_column_letter(i + 1) for i, s in self.columns.items() if s.key == spec_or_letter.key),
                "",
            )
            column = f"{letter} ({spec_or_letter.header})" if letter else str(spec_or_letter.header)
        self.issues.append(ImportIssue(row, column, message))

    def run(self, workbook):
        """Import ``workbook``; the result lists created and updated units, or the issues."""
        result = ImportResult()
        rows = self._read(workbook)
        if rows:  # cross-row checks run even when some values were bad: report everything
            self._resolve(rows)
        if self.issues:
            result.issues = self.issues
            return result
        try:
            with transaction.atomic():
                self._apply(rows, result)
        except _RolledBack:
            result = ImportResult(issues=self.issues)
        return result

    # Reading -----------------------------------------------------------------

    def _read(self, workbook):
        if not workbook.worksheets:
            self.issue(0, "", _("The workbook has no sheet."))
            return []
        sheet = workbook.worksheets[0]
        row_iter = sheet.iter_rows(values_only=True)
        header = next(row_iter, None)
        if header is None or not any(cell_text(v) for v in header):
            self.issue(0, "", _("The sheet has no header row. Use the template from the portal."))
            return []
        if not self._read_header(header):
            return []
        rows = []
        for number, values in enumerate(row_iter, start=2):
            if not any(cell_text(v) for v in values):
                continue
            if len(rows) >= settings.IMPORT_MAX_ROWS:
                self.issue(
                    number,
                    "",
                    _("The sheet has more than %(max)s rows; split it into several files.")
                    % {"max": settings.IMPORT_MAX_ROWS},
                )
                return []
            rows.append(self._read_row(number, values))
        if not rows:
            self.issue(0, "", _("The sheet has no data rows."))
        return rows

    def _read_header(self, header):
        lookup = _header_lookup()
        seen = {}
        for index, value in enumerate(header):
            text = cell_text(value)
            if not text:
                continue
            letter = get_column_letter(index + 1)
            spec = lookup.get(fold(text.rstrip("*").strip()))
            if spec is None:
                self.issue(1, letter, _("Unknown column “%(header)s”.") % {"header": text})
            elif spec.key in seen:
                self.issue(1, letter, _("Column “%(header)s” appears twice.") % {"header": text})
            else:
                seen[spec.key] = index
                self.columns[index] = spec
        for spec in IMPORT_COLUMNS:
            if spec.required and spec.key not in seen:
                self.issue(1, "", _("Required column “%(header)s” is missing.") % {"header": spec.header})
        return not self.issues

    def _read_row(self, number, values):
        raw = {}
        for index, spec in self.columns.items():
            if spec.export_only:
                continue
            raw[spec.key] = values[index] if index < len(values) else None
        row = ParsedRow(number)
        for spec in IMPORT_COLUMNS:
            parser = getattr(self, f"_parse_{spec.key}", None)
            value = raw.get(spec.key)
            try:
                row.values[spec.key] = parser(value) if parser else cell_text(value)
            except ValidationError as exc:
                self.issue(number, spec, exc.messages[0])
        return row

    def _required(self, key, value):
        text = cell_text(value)
        if not text:
            raise ValidationError(_("This value is required."))
        return text

    def _parse_code(self, value):
        code = self._required("code", value).upper()
        code_validator(code)
        if len(code) > 50:
            raise ValidationError(_("At most 50 characters."))
        return code

    def _parse_name(self, value):
        name = self._required("name", value)
        if len(name) > 255:
            raise ValidationError(_("At most 255 characters."))
        return name

    def _parse_short_name(self, value):
        text = cell_text(value)
        if len(text) > 120:
            raise ValidationError(_("At most 120 characters."))
        return text

    def _parse_kind(self, value):
        text = self._required("kind", value)
        kind = self._kind_names().get(fold(text))
        if kind is not None:
            return kind
        raise ValidationError(
            _("Unknown unit kind “%(value)s”; pick one from the list in sheet “Danh muc”.") % {"value": text}
        )

    def _parse_sector(self, value):
        text = cell_text(value)
        if not text:
            return ""
        if not hasattr(self, "_sector_cache"):
            self._sector_cache = _sector_lookup()  # per import, not per row: it folds every label
        sector = self._sector_cache.get(fold(text))
        if sector is None:
            raise ValidationError(_("Unknown sector “%(value)s”.") % {"value": text})
        return sector

    def _parse_parent_code(self, value):
        return self._required("parent_code", value).upper()

    def _parse_members_count(self, value):
        try:
            return _parse_int(value)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a whole number of 0 or more.") % {"value": cell_text(value)}
            ) from None

    _parse_workers_count = _parse_members_count

    def _parse_founded_on(self, value):
        try:
            day = parse_date(value)
        except ValueError:
            raise ValidationError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": cell_text(value)}) from None
        if day and day > timezone.localdate():
            raise ValidationError(_("The date is in the future."))
        return day

    def _parse_email(self, value):
        text = cell_text(value)
        if text:
            validate_email(text)
        return text

    def _kinds(self):
        if not hasattr(self, "_kind_cache"):
            self._kind_cache = list(OrganizationKind.objects.all())
        return self._kind_cache

    def _kind_names(self):
        """Each kind under its folded name, code and abbreviation, built once per import
        (folding every kind's names again for every row made 20.000 rows take 40 s)."""
        if not hasattr(self, "_kind_name_cache"):
            self._kind_name_cache = {}
            for kind in reversed(self._kinds()):  # the first kind wins a shared name, as before
                for name in (kind.name, kind.code, kind.abbreviation):
                    if name:
                        self._kind_name_cache[fold(name)] = kind
        return self._kind_name_cache

    # Cross-row checks ----------------------------------------------------------

    def _resolve(self, rows):
        code_spec = _spec("code")
        first_row = {}
        for row in rows:
            code = row.values.get("code")
            if not code:
                continue
            if code in first_row:
                self.issue(
                    row.number,
                    code_spec,
                    _("Code %(code)s is already used in row %(row)s.") % {"code": code, "row": first_row[code]},
                )
            else:
                first_row[code] = row.number
        self._load_existing(rows)
        self._check_parents(rows)
        self._check_cycles(rows)

    def _load_existing(self, rows):
        codes = {r.values["code"] for r in rows if r.values.get("code")}
        parent_codes = {r.values["parent_code"] for r in rows if r.values.get("parent_code")}
        wanted = codes | parent_codes
        in_scope = Organization.objects.subtree(self.scope).filter(code__in=wanted).select_related("kind", "parent")
        self.in_scope = {o.code: o for o in in_scope}
        outside = Organization.objects.filter(code__in=wanted - set(self.in_scope))
        self.outside = {o.code: o for o in outside}
        for row in rows:
            code = row.values.get("code")
            if code in self.outside:
                self.issue(
                    row.number,
                    _spec("code"),
                    _("Code %(code)s belongs to “%(unit)s”, which is outside %(scope)s.")
                    % {"code": code, "unit": self.outside[code], "scope": self.scope.name},
                )
            row.existing = self.in_scope.get(code)

    def _check_parents(self, rows):
        by_code = {r.values["code"]: r for r in rows if r.values.get("code")}
        parent_spec = _spec("parent_code")
        today = timezone.localdate()
        for row in rows:
            parent_code = row.values.get("parent_code")
            kind = row.values.get("kind")
            if not parent_code or not kind:
                continue
            if parent_code == row.values.get("code"):
                self.issue(row.number, parent_spec, _("A unit cannot be its own parent."))
                continue
            if row.existing is not None:
                current = row.existing.parent.code if row.existing.parent else ""
                if current != parent_code:
                    self.issue(
                        row.number,
                        parent_spec,
                        _("Unit %(code)s is now under %(current)s; use “Move” in the portal to change its parent.")
                        % {"code": row.values["code"], "current": current or "—"},
                    )
                # An existing unit keeps its parent, which may lie above the scope.
                continue
            if parent_code in self.in_scope:
                row.parent = self.in_scope[parent_code]
                parent_kind = row.parent.kind
                parent_active = row.parent.is_active
            elif parent_code in by_code:
                parent_kind = by_code[parent_code].values.get("kind")
                parent_active = True
            elif parent_code in self.outside:
                self.issue(
                    row.number,
                    parent_spec,
                    _("Parent unit %(code)s is outside %(scope)s, which you are importing into.")
                    % {"code": parent_code, "scope": self.scope.name},
                )
                continue
            else:
                self.issue(
                    row.number,
                    parent_spec,
                    _("No unit has the code %(code)s, neither in the portal nor in this sheet.")
                    % {"code": parent_code},
                )
                continue
            if not parent_active:
                self.issue(
                    row.number,
                    parent_spec,
                    _("Parent unit %(code)s has ended.") % {"code": parent_code},
                )
            elif parent_kind is not None and not kind_fits_under(kind, parent_kind):
                self.issue(
                    row.number,
                    _spec("kind"),
                    _("A unit of kind “%(kind)s” cannot sit under a unit of kind “%(parent)s”.")
                    % {"kind": kind.name, "parent": parent_kind.name},
                )
            on_date = row.values.get("founded_on") or today
            if not kind.is_valid_on(on_date):
                self.issue(
                    row.number,
                    _spec("kind"),
                    _("The unit kind “%(kind)s” is not in use on %(date)s.")
                    % {"kind": kind.name, "date": date_format(on_date, "SHORT_DATE_FORMAT")},
                )

    def _check_cycles(self, rows):
        by_code = {r.values["code"]: r for r in rows if r.values.get("code")}
        for row in by_code.values():
            seen = {row.values["code"]}
            parent = row.values.get("parent_code")
            while parent in by_code:
                if parent in seen:
                    self.issue(
                        row.number,
                        _spec("parent_code"),
                        _("Rows of this sheet are each other's parents (a loop)."),
                    )
                    break
                seen.add(parent)
                parent = by_code[parent].values.get("parent_code")

    # Writing -------------------------------------------------------------------

    def _apply(self, rows, result):
        """Write every row; on the first refusal, note it and roll everything back."""
        created = {}
        pending = [r for r in rows if r.existing is None]
        for row in rows:
            if row.existing is not None:
                result.updated.append(self._write(row, update_organization, row.existing, expected_version=None))
        # Parents first: each pass creates the rows whose parent now exists.
        while pending:
            ready = [r for r in pending if r.parent is not None or r.values["parent_code"] in created]
            if not ready:
                raise _RolledBack
            for row in ready:
                parent = row.parent or created[row.values["parent_code"]]
                org = self._write(row, create_organization, parent=parent)
                created[org.code] = org
                result.created.append(org)
            pending = [r for r in pending if r not in ready]

    def _write(self, row, service, *args, **kwargs):
        data = {k: v for k, v in row.values.items() if k in ORGANIZATION_FIELDS}
        try:
            return service(*args, actor=self.actor, data=data, **kwargs)
        except DomainError as error:
            spec = next((c for c in IMPORT_COLUMNS if c.key == error.field), None)
            self.issue(row.number, spec or "", error.message)
            raise _RolledBack from error


class _RolledBack(Exception):
    """Raised inside the import transaction to undo every row written so far."""


def _spec(key):
    return next(spec for spec in COLUMNS if spec.key == key)
