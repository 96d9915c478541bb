"""Writing a whole sheet of figures at once: one transaction, history kept in bulk."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record_bulk
from core.exceptions import DomainError
from reports import scope
from reports.models import EDITABLE, Action, Event, Report, ReportValue
from reports.services import workflow
from reports.services.reports import same_value

FIELDS = ("value", "numerator", "denominator", "achieved")
BATCH = 100


@transaction.atomic
def save_bulk(campaign, unit, round_, rows, *, actor):
    """Write the figures of ``rows`` (``BulkRow``) into their units' reports for the period.

    The upper unit enters them on behalf of its units: each value carries the actor and is
    marked so. A report that has been sent or approved is refused, and then nothing is written.
    Returns the number of values that changed.
    """
    workflow.check_campaign_open(campaign)
    workflow.require_enter(actor, unit)
    reports = _reports_for(campaign, round_, [row.unit for row in rows], actor)
    existing = {(v.report_id, v.target_id): v for v in ReportValue.objects.filter(report__in=reports.values())}
    created, updated, touched = [], [], set()
    own = scope.own_entry_unit_ids(actor)
    for row in rows:
        report = reports[row.unit.pk]
        behalf = row.unit.pk not in own
        for target_id, fields in row.entries.items():
            current = existing.get((report.pk, target_id))
            if current is None:
                if all(v is None for v in fields.values()):
                    continue
                current = ReportValue(report=report, target_id=target_id)
                created.append(current)
            elif all(same_value(getattr(current, k), v) for k, v in fields.items()):
                continue
            else:
                updated.append(current)
            for name, value in fields.items():
                setattr(current, name, value)
            current.entered_by, current.on_behalf = actor, behalf
            touched.add(report.pk)
    ReportValue.objects.bulk_create(created, batch_size=BATCH)
    record_bulk(created, actor=actor, reason=_("Entered from Excel"))
    _update_values(updated, actor)
    _stamp(reports, touched, actor)
    return len(created) + len(updated)


def _update_values(updated, actor):
    """One UPDATE per distinct set of figures: a sheet repeats the same few values a lot,
    and Django's bulk_update builds a CASE per row that grows quadratically."""
    groups = defaultdict(list)
    for value in updated:
        groups[tuple(getattr(value, name) for name in FIELDS) + (value.on_behalf,)].append(value.pk)
    now = timezone.now()
    for key, pks in groups.items():
        fields = dict(zip(FIELDS, key[:-1], strict=True))
        for start in range(0, len(pks), 500):
            ReportValue.objects.filter(pk__in=pks[start : start + 500]).update(
                **fields, on_behalf=key[-1], entered_by=actor, updated_at=now
            )
    record_bulk(updated, actor=actor, update=True, reason=_("Entered from Excel"))


def _reports_for(campaign, round_, units, actor):
    found = {
        r.organization_id: r
        for r in Report.objects.select_for_update().filter(campaign=campaign, round=round_, organization__in=units)
    }
    locked = [r for r in found.values() if r.status not in EDITABLE]
    if locked:
        raise DomainError(_("Some reports were sent meanwhile; download the sheet again."))
    missing = [Report(campaign=campaign, round=round_, organization=u) for u in units if u.pk not in found]
    for report in Report.objects.bulk_create(missing):
        found[report.organization_id] = report
    if any(r.pk is None for r in found.values()):
        # Databases that do not return ids from bulk inserts: read them back.
        found = {
            r.organization_id: r for r in Report.objects.filter(campaign=campaign, round=round_, organization__in=units)
        }
    new_units = {report.organization_id for report in missing}
    record_bulk([found[pk] for pk in new_units], actor=actor, reason=_("Entered from Excel"))
    return found


def _stamp(reports, touched, actor):
    changed = [r for r in reports.values() if r.pk in touched]
    Report.objects.filter(pk__in=touched).update(version=F("version") + 1, updated_by=actor, updated_at=timezone.now())
    Event.objects.bulk_create(
        (Event(report=r, action=Action.IMPORTED, actor=actor, on_behalf=True) for r in changed), batch_size=500
    )
