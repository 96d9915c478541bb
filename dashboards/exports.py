"""Dashboards to Excel: the page as shown, and every grassroots union of the subtree.

Both stream through ``core.xlsx.XlsxExporter`` (openpyxl write-only), so memory stays flat
however many rows there are. The detail export reads the submissions with a server-side
cursor, unit by unit, and runs in the background beyond ``INLINE_ROWS`` units.
"""

import tempfile
from decimal import Decimal

from django.core.files import File
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.xlsx import DECIMAL_FORMAT, INTEGER_FORMAT, Column, XlsxExporter
from dashboards import board as boards
from dashboards import progress
from dashboards.models import Export, ExportStatus
from organizations.models import Cluster, Organization
from reports.models import Report, ReportValue, Status
from targets.models import TargetKind

INLINE_ROWS = 3000
PERCENT_FORMAT = "0.0"
PROGRESS_EVERY = 500


def _number(value):
    return None if value is None else Decimal(value)


def target_header(target):
    return f"{target.code}: {target.text[:60]}"


class ViewExporter(XlsxExporter):
    """The dashboard as shown: the unit's total, then each row, every target's figures."""

    sheet_title = "Tong hop"
    frozen_columns = 2

    def __init__(self, dashboard):
        self.board = dashboard
        self.filename = f"bang-theo-doi-{slugify(dashboard.unit.code)}-{dashboard.campaign.year}.xlsx"
        self.columns = [
            Column(_("Code"), 16),
            Column(_("Unit"), 40),
            Column(_("Units taking part"), 10),
            Column(_("Sent on time"), 10),
            Column(_("Sent late"), 10),
            Column(_("Not sent"), 10),
            Column(_("Targets on track (%)"), 10, PERCENT_FORMAT),
            Column(_("Score"), 10, PERCENT_FORMAT),
        ]
        for _target in dashboard.targets:
            self.columns += [
                Column(_("Plan"), 14, DECIMAL_FORMAT),
                Column(_("Achieved"), 14, DECIMAL_FORMAT),
                Column(_("Awaiting approval"), 14, DECIMAL_FORMAT),
                # xgettext:no-python-format
                Column(_("% of plan"), 10, PERCENT_FORMAT),
                Column(_("Status"), 14),
            ]

    def header_rows(self):
        board = self.board
        title = [
            _("%(campaign)s – %(unit)s – %(period)s – produced %(time)s")
            % {
                "campaign": board.campaign.subject[:120],
                "unit": board.unit.name,
                "period": period_name(board),
                "time": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
            }
        ]
        groups = [""] * 8
        for target in board.targets:
            groups += [target_header(target), "", "", "", ""]
        return [title, groups, [str(c.header) for c in self.columns]]

    def rows(self):
        yield self.line(self.board.total, total=True)
        for row in self.board.rows:
            yield self.line(row)

    def line(self, row, total=False):
        unit = row.unit
        values = [
            unit.code,
            (_("Total: %(unit)s") % {"unit": unit.name}) if total else unit.name,
            row.reports.units,
            row.reports.on_time,
            row.reports.late,
            row.reports.missing,
            row.met_share,
            row.score,
        ]
        for cell in row.cells:
            values += [cell.plan, cell.achieved, cell.pending, cell.share_percent, str(cell.verdict_label)]
        return values


def period_name(board):
    if board.round is None:
        return _("Year-end report (tổng kết)")
    return board.round.name or _("Round %(n)s") % {"n": board.round.number}


class DetailExporter(XlsxExporter):
    """Every grassroots union below the unit with its own figures for the period."""

    sheet_title = "Chi tiet"
    frozen_columns = 2

    def __init__(self, campaign, unit, filters, *, on_progress=None):
        self.campaign, self.unit, self.filters = campaign, unit, filters
        self.on_progress = on_progress
        self.targets = boards.dashboard_targets(campaign, filters.group)
        self.filename = f"chi-tiet-{slugify(unit.code)}-{campaign.year}.xlsx"
        self.columns = [
            Column(_("Code"), 16),
            Column(_("Unit"), 40),
            Column(_("Unit above"), 30),
            Column(_("Sector"), 12),
            Column(_("Report"), 14),
            Column(_("Days late"), 8, INTEGER_FORMAT),
        ]
        for target in self.targets:
            if target.kind == TargetKind.PERCENTAGE:
                self.columns += [
                    Column(f"{target.code} – {_('numerator')}", 12, DECIMAL_FORMAT),
                    Column(f"{target.code} – {_('denominator')}", 12, DECIMAL_FORMAT),
                ]
            else:
                self.columns.append(Column(target_header(target), 14, DECIMAL_FORMAT))

    def plans(self):
        """[(campaign, root, leaf ids)] for every plan of the family with grassroots unions in
        the unit's subtree; ``root`` is the narrower of the unit and the plan's owner. Leaf ids
        are held as a set (a few MB nationally) so no query nests one subtree in another."""
        if hasattr(self, "_plans"):
            return self._plans
        fam = boards.family(self.campaign)
        inside = set(Organization.objects.subtree(self.unit).values_list("pk", flat=True))
        self._plans = []
        for campaign in type(self.campaign).objects.filter(pk__in=list(fam)).select_related("owner").order_by("pk"):
            root = campaign.owner if campaign.owner_id in inside else self.unit
            leaf_ids = inside & set(progress.leaves(campaign).values_list("pk", flat=True))
            if leaf_ids:
                self._plans.append((campaign, root, leaf_ids))
        return self._plans

    def count(self):
        return sum(len(leaf_ids) for _campaign, _root, leaf_ids in self.plans())

    def rows(self):
        done = 0
        sectors = dict(Organization._meta.get_field("sector").choices)
        statuses = dict(Status.choices)
        for campaign, root, leaf_ids in self.plans():
            subtree = Organization.objects.subtree(root).values("pk")
            reports = Report.objects.filter(campaign=campaign, is_aggregate=False, organization__in=subtree)
            if self.filters.period:
                reports = reports.filter(round__number=self.filters.period)
            else:
                reports = reports.filter(round__isnull=True)
            report_of = _stream_reports(reports)
            values = _stream_values(reports)
            pending_values = next(values, None)
            units = boards._units(Organization.objects.filter(pk__in=subtree), self.filters)
            for org in units.select_related("parent").order_by("pk").iterator(chunk_size=2000):
                if org.pk not in leaf_ids:
                    continue
                report = report_of.get(org.pk)
                figures = {}
                while pending_values is not None and pending_values[0] <= org.pk:
                    if pending_values[0] == org.pk:
                        figures[pending_values[1]] = pending_values[2:]
                    pending_values = next(values, None)
                yield self.line(org, report, figures, sectors, statuses)
                done += 1
                if self.on_progress and done % PROGRESS_EVERY == 0:
                    self.on_progress(done)
        if self.on_progress:
            self.on_progress(done)

    def line(self, org, report, figures, sectors, statuses):
        status = statuses.get(report[0]) if report else _("Not sent")
        late = report[1] if report else None
        values = [org.code, org.name, org.parent.name if org.parent else "", sectors.get(org.sector, ""), status, late]
        for target in self.targets:
            value, numerator, denominator, achieved = figures.get(target.code, (None, None, None, None))
            if target.kind == TargetKind.PERCENTAGE:
                values += [_number(numerator), _number(denominator)]
            elif target.kind in (TargetKind.COVERAGE, TargetKind.YES_NO):
                values.append(None if achieved is None else (_("Yes") if achieved else _("No")))
            else:
                values.append(_number(value))
        return values


def _stream_reports(reports):
    """{unit id: (status, days late)}: one row per unit, small enough to hold."""
    rows = reports.values_list("organization_id", "status", "late_days")
    return {org_id: (status, late) for org_id, status, late in rows.iterator(chunk_size=5000)}


def _stream_values(reports):
    """(unit id, code, value, numerator, denominator, done) in unit order, through a server-side cursor."""
    values = (
        ReportValue.objects.filter(report__in=reports.filter(status__in=progress.VALUE_STATES))
        .order_by("report__organization_id")
        .values_list("report__organization_id", "target__code", "value", "numerator", "denominator", "achieved")
    )
    yield from values.iterator(chunk_size=5000)


# Background ------------------------------------------------------------------------------


def units_below(campaign, unit, filters):
    """How many grassroots unions the detail export would list, from the totals (one query)."""
    from dashboards.models import Stage

    family = list(boards.family(campaign))
    table = progress.unit_sums(family, [unit.pk], sector=filters.sector, kind=filters.kind, period=0)
    return max(table.get(unit.pk, Stage.UNITS, 0, "", progress.UNITS_STATE).entries, 1)


def start_export(user, campaign, unit, params):
    export = Export.objects.create(requested_by=user, campaign=campaign, unit=unit, params=params)
    from dashboards.tasks import write_export

    # Enqueued in the same transaction: the worker sees the task only once the export exists.
    write_export.enqueue(export.pk)
    return export


def filters_from(params):
    cluster = Cluster.objects.filter(pk=params.get("cluster")).first() if params.get("cluster") else None
    return boards.Filters(
        period=int(params.get("period") or 0),
        sector=params.get("sector") or "",
        kind=params.get("kind"),
        cluster=cluster,
        group=params.get("group"),
    )


def run_export(export_id):
    export = Export.objects.select_related("campaign", "unit", "requested_by").get(pk=export_id)
    if export.status != ExportStatus.QUEUED:
        return
    export.status = ExportStatus.RUNNING
    export.save(update_fields=["status"])
    language = export.params.get("language") or "vi"
    try:
        with override(language):
            filters = filters_from(export.params)

            def report(done):
                Export.objects.filter(pk=export.pk).update(rows_done=done)

            exporter = DetailExporter(export.campaign, export.unit, filters, on_progress=report)
            export.rows_total = exporter.count()
            export.save(update_fields=["rows_total"])
            with tempfile.TemporaryFile() as stream:
                exporter.write(stream)
                stream.seek(0)
                export.file.save(exporter.filename, File(stream), save=False)
            export.file_name = exporter.filename
            export.status = ExportStatus.DONE
            export.rows_done = export.rows_total
    except Exception as error:  # the user sees it failed, with why; the worker goes on
        export.status = ExportStatus.FAILED
        export.error = str(error)[:500]
    export.finished_at = timezone.now()
    export.save()
