"""Roll-up: an upper unit's figures as the sum of its units' approved reports.

Counts and money add up; percentages add numerators and denominators (never percentages);
coverage counts the units that did it against the units that answered; a count of
initiatives is taken from the register of the unit's subtree.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from initiatives.models import Initiative
from reports.models import Report, ReportValue, Status, period_bounds, year_to
from targets.models import Period, TargetKind


@dataclass
class Figure:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    achieved: bool | None = None
    units: int = 0
    note: str = ""

    @property
    def percent(self):
        if self.numerator is None or not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.1"))

    def same_as(self, other, kind):
        """Whether a unit's own figure says the same as this roll-up."""
        if kind in (TargetKind.COUNT, TargetKind.MONEY):
            return _num(self.value) == _num(other.value)
        if kind in (TargetKind.PERCENTAGE, TargetKind.COVERAGE):
            return (_num(self.numerator), _num(self.denominator)) == (_num(other.numerator), _num(other.denominator))
        return True


def _num(value):
    return None if value is None else Decimal(value).normalize()


def approved_reports(campaign, unit, round_):
    """The approved reports of the participating units directly below ``unit``."""
    return Report.objects.filter(
        campaign=campaign,
        round=round_,
        status=Status.APPROVED,
        organization__parent=unit,
        organization__in=campaign.participants().values("pk"),
    )


def rollup(campaign, unit, round_, targets):
    """``{target id: Figure}`` summing the approved reports of the units below ``unit``."""
    rows = (
        ReportValue.objects.filter(report__in=approved_reports(campaign, unit, round_), target__in=targets)
        .values("target_id")
        .annotate(
            total=Sum("value"),
            numerator=Sum("numerator"),
            denominator=Sum("denominator"),
            yes=Count("pk", filter=Q(achieved=True)),
            answered=Count("pk", filter=Q(achieved__isnull=False)),
            units=Count("pk"),
        )
    )
    by_target = {row["target_id"]: row for row in rows}
    figures = {}
    for target in targets:
        row = by_target.get(target.pk)
        figures[target.pk] = _figure(target, row) if row else Figure()
    figures.update(initiative_counts(campaign, unit, round_, targets))
    return figures


def _figure(target, row):
    if target.kind in (TargetKind.COUNT, TargetKind.MONEY):
        return Figure(value=row["total"], units=row["units"])
    if target.kind == TargetKind.PERCENTAGE:
        return Figure(numerator=row["numerator"], denominator=row["denominator"], units=row["units"])
    # Coverage and yes/no: units below that did it, out of those that answered; units that
    # are themselves aggregates bring their own numerator and denominator.
    numerator = (row["numerator"] or 0) + row["yes"]
    denominator = (row["denominator"] or 0) + row["answered"]
    return Figure(numerator=Decimal(numerator), denominator=Decimal(denominator), units=row["units"])


def initiative_counts(campaign, unit, round_, targets):
    """Targets counted from the initiative register: initiatives of the subtree in the period."""
    figures = {}
    for target in targets:
        if not target.is_counted_from_initiatives:
            continue
        start, end = period_bounds(campaign, round_) if target.period == Period.ROUND else year_to(campaign, round_)
        count = Initiative.objects.within(unit, start, end).count()
        figures[target.pk] = Figure(value=Decimal(count))
    return figures
