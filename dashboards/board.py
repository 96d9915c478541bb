"""The figures of a campaign dashboard for one unit over its subtree.

Plans that answer one another (the Tổng Liên đoàn's, a province's, a district's) form a
*family*; their targets add up by short code. Everything is read in a fixed number of
grouped queries, whatever the number of units: totals of the units with units below from
``Progress``, the grassroots unions directly below from their submissions, plans and
allocations in one query each.

How each kind of target is summed and judged is stated on the page (``RULES``):

- counts and money add up; the share of plan is achieved / plan;
- percentages pool numerators and denominators, never average the units' percentages;
- coverage and yes/no targets count the units that did it among those that answered;
- the expected share at a round is the part of the year elapsed at the round's end for a
  target counted cumulatively over the year; rates and per-round targets are expected in
  full at every round;
- on track: at least the expected share; at risk: at least 80 % of it; otherwise off track.
  For an "at most" target: on track within the plan, at risk up to 10 % over, else off track.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.models import Status as CampaignStatus
from dashboards import progress
from dashboards.models import Stage
from organizations.models import Cluster, ClusterMember, Level, Organization
from reports.models import Status
from targets.models import Allocation, Period, Target, TargetKind

AT_RISK_SHARE = Decimal("0.8")
OVER_LIMIT_SHARE = Decimal("1.1")
SCORE_CAP = Decimal("1.2")
HUNDRED = Decimal(100)


class Verdict:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    LABELS = {
        ON_TRACK: _("On track"),
        AT_RISK: _("At risk"),
        OFF_TRACK: _("Off track"),
        NO_DATA: _("No figures yet"),
    }
    # Shapes as well as colours, so the status reads in black and white and to screen readers.
    SYMBOLS = {ON_TRACK: "▲", AT_RISK: "◆", OFF_TRACK: "▼", NO_DATA: "–"}


RULES = [
    _(
        "Counts and money add up over the units. Percentages pool the numerators and denominators of the "
        "units (never an average of their percentages). Coverage and yes/no targets count the units that did "
        "it among those that reported."
    ),
    _(
        "Expected share at a round: for a target counted over the year, the part of the year elapsed at the "
        "round's end (at 30/6, 49.6%); rates and targets counted per round are expected in full at every round."
    ),
    _(
        # xgettext:no-python-format
        "On track: achieved at least the expected share of plan. At risk: at least 80% of the expected share. "
        "Off track: less. For an “at most” target: on track within the plan, at risk up to 10% over it."
    ),
    _(
        "Score: the mean over the targets with figures of achieved ÷ expected, at most 120 points each. Targets "
        "on track: the share of those targets that are on track."
    ),
    _("Achieved counts approved reports of the grassroots unions; what awaits approval is shown apart."),
]


@dataclass
class Filters:
    period: int = 0  # round number; 0 = the year-end report
    sector: str = ""
    kind: int | None = None
    cluster: Cluster | None = None
    group: int | None = None


# The family of plans -----------------------------------------------------------------


FAMILY_SQL = """
WITH RECURSIVE fam(id) AS (
    SELECT CAST(%s AS BIGINT)
    UNION
    SELECT c.id FROM {table} c JOIN fam ON c.parent_id = fam.id WHERE c.status IN (%s, %s)
)
SELECT c.id, c.owner_id FROM {table} c JOIN fam ON fam.id = c.id
"""


def family(campaign):
    """``{campaign id: owner id}`` for the plan and every published plan answering it, at any depth."""
    sql = FAMILY_SQL.format(table=Campaign._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, CampaignStatus.PUBLISHED, CampaignStatus.CLOSED])
        return dict(cursor.fetchall())


# Figures -------------------------------------------------------------------------------


def expected_share(target, round_, year):
    """The share of the plan due by the end of ``round_`` (None: the year-end report)."""
    if round_ is None or target.kind not in (TargetKind.COUNT, TargetKind.MONEY) or target.period == Period.ROUND:
        return Decimal(1)
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year, 12, 31) - start).days + 1
    elapsed = (min(round_.end, datetime.date(year, 12, 31)) - start).days + 1
    return (Decimal(max(elapsed, 0)) / Decimal(days)).quantize(Decimal("0.001"))


@dataclass
class Cell:
    """One target for one unit and period."""

    target: Target
    plan: Decimal | None = None
    allocated: Decimal | None = None
    pledged: Decimal | None = None
    achieved: Decimal | None = None  # a count, a sum of money, or a rate in %
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    pending: Decimal | None = None
    pending_numerator: Decimal | None = None
    pending_denominator: Decimal | None = None
    answered: int = 0
    expected: Decimal = Decimal(1)
    share: Decimal | None = None  # achieved as a share of plan (1 = 100 %)
    verdict: str = Verdict.NO_DATA

    @property
    def is_rate(self):
        return self.target.kind in (TargetKind.PERCENTAGE, TargetKind.COVERAGE, TargetKind.YES_NO)

    @property
    def share_percent(self):
        return None if self.share is None else (self.share * HUNDRED).quantize(Decimal("0.1"))

    @property
    def expected_percent(self):
        return (self.expected * HUNDRED).quantize(Decimal("0.1"))

    @property
    def verdict_label(self):
        return Verdict.LABELS[self.verdict]

    @property
    def symbol(self):
        return Verdict.SYMBOLS[self.verdict]

    @property
    def score(self):
        """Points of this target in a unit's score: the share of what was expected, capped."""
        if self.verdict == Verdict.NO_DATA:
            return None
        if not self.target.is_at_least:
            return {Verdict.ON_TRACK: HUNDRED, Verdict.AT_RISK: Decimal(80)}.get(self.verdict, Decimal(50))
        if not self.expected:
            return HUNDRED
        return min(self.share / self.expected, SCORE_CAP) * HUNDRED


def _rate(numerator, denominator):
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.01"))


def _judge(cell):
    if cell.achieved is None:
        return Verdict.NO_DATA
    plan = cell.plan
    if plan is None or (not plan and cell.target.is_at_least):
        return Verdict.NO_DATA
    if not cell.target.is_at_least:
        if cell.achieved <= plan:
            return Verdict.ON_TRACK
        return Verdict.AT_RISK if cell.achieved <= plan * OVER_LIMIT_SHARE else Verdict.OFF_TRACK
    cell.share = (cell.achieved / plan).quantize(Decimal("0.0001"))
    if cell.share >= cell.expected:
        return Verdict.ON_TRACK
    return Verdict.AT_RISK if cell.share >= cell.expected * AT_RISK_SHARE else Verdict.OFF_TRACK


_EXPECTED = {}


def _expected(target, round_, year):
    """``expected_share``, computed once per target and round (a page has thousands of cells)."""
    key = (target.pk, target.kind, target.period, round_.end if round_ else None, year)
    if key not in _EXPECTED:
        if len(_EXPECTED) > 10000:
            _EXPECTED.clear()
        _EXPECTED[key] = expected_share(target, round_, year)
    return _EXPECTED[key]


def make_cell(target, table, unit_id, period, round_, year, plan, allocated=None):
    """Read one target's sums for a unit from ``table`` and judge them."""
    if plan is None and target.kind in (TargetKind.PERCENTAGE, TargetKind.COVERAGE):
        plan = target.plan_value  # a rate is the same for every unit
    cell = Cell(target=target, plan=plan, allocated=allocated, expected=_expected(target, round_, year))
    approved = table.get(unit_id, Stage.REPORT, period, target.code, Status.APPROVED)
    pending = table.get(unit_id, Stage.REPORT, period, target.code, Status.SUBMITTED)
    pledged = table.get(unit_id, Stage.REGISTRATION, 0, target.code, Status.APPROVED)
    if target.kind in (TargetKind.COUNT, TargetKind.MONEY):
        cell.pledged = pledged.total if pledged.entries else None
        cell.achieved = approved.total if approved.entries else None
        cell.pending = pending.total if pending.entries else None
    elif target.kind == TargetKind.PERCENTAGE:
        cell.numerator, cell.denominator = approved.numerator, approved.denominator
        cell.achieved = _rate(approved.numerator, approved.denominator)
        cell.pending_numerator, cell.pending_denominator = pending.numerator, pending.denominator
        cell.pending = _rate(pending.numerator, pending.denominator)
    else:
        cell.numerator, cell.denominator, cell.answered = (
            Decimal(approved.yes),
            Decimal(approved.answered),
            approved.answered,
        )
        cell.achieved = _rate(approved.yes, approved.answered)
        cell.pending_numerator, cell.pending_denominator = Decimal(pending.yes), Decimal(pending.answered)
        cell.pending = _rate(pending.yes, pending.answered)
        if cell.plan is None and target.kind == TargetKind.YES_NO:
            cell.plan = HUNDRED
    cell.verdict = _judge(cell)
    return cell


@dataclass
class Completeness:
    units: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0
    approved: int = 0
    returned: int = 0

    @property
    def sent(self):
        return self.approved + self.pending

    @property
    def missing(self):
        return max(self.units - self.sent - self.returned, 0)

    @property
    def sent_percent(self):
        return (Decimal(self.sent) * HUNDRED / self.units).quantize(Decimal("0.1")) if self.units else None


def completeness(table, unit_id, stage, period):
    units = table.get(unit_id, Stage.UNITS, 0, "", progress.UNITS_STATE).entries
    approved = table.get(unit_id, stage, period, "", Status.APPROVED)
    pending = table.get(unit_id, stage, period, "", Status.SUBMITTED)
    returned = table.get(unit_id, stage, period, "", Status.RETURNED)
    late = approved.late + pending.late
    return Completeness(
        units=units,
        on_time=approved.entries + pending.entries - late,
        late=late,
        pending=pending.entries,
        approved=approved.entries,
        returned=returned.entries,
    )


@dataclass
class Row:
    """A unit in the drill-down, a cluster in the ranking, or the unit itself."""

    unit: Organization | None
    cells: list
    reports: Completeness
    registrations: Completeness
    is_leaf: bool = False
    cluster: Cluster | None = None
    rank: int | None = None

    @cached_property
    def judged(self):
        return [c for c in self.cells if c.verdict != Verdict.NO_DATA]

    @cached_property
    def on_track(self):
        return sum(1 for c in self.cells if c.verdict == Verdict.ON_TRACK)

    @cached_property
    def met_share(self):
        judged = self.judged
        return (Decimal(self.on_track) * HUNDRED / len(judged)).quantize(Decimal("0.1")) if judged else None

    @cached_property
    def score(self):
        """The mean of the targets' points (share of what was expected, capped at 120)."""
        points = [c.score for c in self.cells if c.score is not None]
        return (sum(points) / len(points)).quantize(Decimal("0.1")) if points else None


@dataclass
class Dashboard:
    campaign: Campaign
    unit: Organization
    filters: Filters
    targets: list
    rounds: list
    round: object
    family: dict
    total: Row = None
    rows: list = field(default_factory=list)
    clusters: list = field(default_factory=list)
    chart: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    leaf_campaign: Campaign = None

    @property
    def ranking(self):
        ranked = [r for r in self.rows if r.score is not None]
        return sorted(ranked, key=lambda r: (-r.score, -(r.met_share or 0), r.unit.name))


# Building ------------------------------------------------------------------------------


def dashboard_targets(campaign, group=None):
    targets = (
        Target.objects.filter(campaign=campaign).select_related("group").order_by("group__position", "position", "pk")
    )
    if group:
        targets = targets.filter(group_id=group)
    return list(targets)


def leaf_campaign_for(campaign_ids_owners, unit):
    """The plan of the family that the units directly below ``unit`` answer: the one whose
    owner is nearest above (or is) the unit."""
    chain = [unit.pk] + [a.pk for a in reversed(Organization.objects.ancestors_of(unit))]
    for owner in chain:
        for campaign_id, owner_id in campaign_ids_owners.items():
            if owner_id == owner:
                return campaign_id
    return None


def plans(family_ids, targets, unit_ids):
    """``{(unit id, code): plan}``: a unit's own plan when it runs one, else what it was given."""
    codes = [t.code for t in targets]
    found = {}
    for org_id, code, value in Allocation.objects.filter(
        target__campaign_id__in=family_ids, organization_id__in=unit_ids, target__code__in=codes
    ).values_list("organization_id", "target__code", "value"):
        found[(org_id, code)] = value
    for owner_id, code, value in Target.objects.filter(
        campaign_id__in=family_ids, campaign__owner_id__in=unit_ids, code__in=codes, plan_value__isnull=False
    ).values_list("campaign__owner_id", "code", "plan_value"):
        found[(owner_id, code)] = value
    return found


def passed_down(family_ids, targets, unit):
    """What ``unit`` allocated to the units below it, per code."""
    rows = (
        Allocation.objects.filter(
            target__campaign_id__in=family_ids, allocated_by=unit, target__code__in=[t.code for t in targets]
        )
        .values("target__code")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {row["target__code"]: row["total"] for row in rows}


def _units(queryset, filters):
    if filters.sector:
        queryset = queryset.filter(Q(sector=filters.sector) | Q(kind__level__lt=Level.GRASSROOTS))
    if filters.kind:
        queryset = queryset.filter(Q(kind_id=filters.kind) | Q(kind__level__lt=Level.GRASSROOTS))
    return queryset


def within(unit, ids):
    """The ids among ``ids`` that are ``unit`` or below it (one upward CTE over those ids)."""
    ids = list(ids)
    if not ids:
        return set()
    org = Organization._meta.db_table
    sql = (
        f"WITH RECURSIVE up(start, anc) AS (SELECT id, id FROM {org} WHERE id IN ({', '.join(['%s'] * len(ids))}) "
        f"UNION ALL SELECT up.start, o.parent_id FROM up JOIN {org} o ON o.id = up.anc WHERE o.parent_id IS NOT NULL) "
        f"SELECT DISTINCT start FROM up WHERE anc = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, unit.pk])
        return {row[0] for row in cursor.fetchall()}


def build(campaign, unit, filters, *, today=None):
    fam = family(campaign)
    rounds = list(campaign.rounds.order_by("number"))
    round_ = next((r for r in rounds if r.number == filters.period), None)
    targets = dashboard_targets(campaign, filters.group)
    board = Dashboard(
        campaign=campaign, unit=unit, filters=filters, targets=targets, rounds=rounds, round=round_, family=fam
    )
    leaf_id = leaf_campaign_for(fam, unit)
    board.leaf_campaign = Campaign.objects.filter(pk=leaf_id).first() if leaf_id else campaign

    # Which units make the rows: the cluster's members inside the subtree, else the units directly below.
    if filters.cluster is not None:
        member_ids = ClusterMember.objects.filter(cluster=filters.cluster, year=campaign.year).values_list(
            "organization_id", flat=True
        )
        row_units = Organization.objects.filter(pk__in=within(unit, member_ids))
    else:
        row_units = Organization.objects.filter(parent=unit, is_active=True)
    row_units = list(_units(row_units, filters).select_related("kind").order_by("name"))
    leaf_ids = progress.leaf_ids(board.leaf_campaign, [u.pk for u in row_units] + [unit.pk])

    # Rows need the chosen round only; the unit itself every round, for the chart.
    table = progress.unit_sums(
        list(fam),
        [u.pk for u in row_units if u.pk not in leaf_ids] + [unit.pk],
        sector=filters.sector,
        kind=filters.kind,
        period=filters.period,
        every_period=[unit.pk],
    )
    row_leaves = leaf_ids - {unit.pk}
    if row_leaves:
        # Sector and kind filters were applied to the rows already.
        progress.leaf_sums(board.leaf_campaign, row_leaves, table=table, period=filters.period)
    if unit.pk in leaf_ids:
        progress.leaf_sums(board.leaf_campaign, [unit.pk], table=table)

    all_ids = [u.pk for u in row_units] + [unit.pk]
    plan_of = plans(list(fam), targets, all_ids)
    down = passed_down(list(fam), targets, unit)

    def row_for(org, *, allocated=None):
        cells = [
            make_cell(
                t,
                table,
                org.pk,
                filters.period,
                round_,
                campaign.year,
                plan_of.get((org.pk, t.code)),
                (allocated or {}).get(t.code),
            )
            for t in targets
        ]
        return Row(
            unit=org,
            cells=cells,
            reports=completeness(table, org.pk, Stage.REPORT, filters.period),
            registrations=completeness(table, org.pk, Stage.REGISTRATION, 0),
            is_leaf=org.pk in leaf_ids,
        )

    board.rows = [row_for(u) for u in row_units]
    if filters.cluster is not None:
        board.total = _sum_rows(board, unit, table, [u.pk for u in row_units], plan_of)
    else:
        board.total = row_for(unit, allocated=down)
    board.chart = chart_series(board, table, plan_of)
    # Returned reports are owed again, so those units are reminded too.
    board.missing = [r.unit for r in board.rows if r.is_leaf and r.reports.sent == 0]
    board.clusters = cluster_ranking(board)
    return board


def _sum_rows(board, unit, table, unit_ids, plan_of):
    """The total of a cluster view: the members' sums added together."""
    merged = progress.Table()
    for key, sums in table.cells.items():
        if key[0] in unit_ids:
            merged.put(unit.pk, *key[1:], progress.Sums().add(sums))
    plan = {}
    for (org_id, code), value in plan_of.items():
        if org_id in unit_ids:
            plan[(unit.pk, code)] = plan.get((unit.pk, code), Decimal(0)) + value
    # Rates are not added up: make_cell falls back to the plan's rate.
    plan = {k: v for k, v in plan.items() if k[1] in {t.code for t in board.targets if t.is_allocatable}}
    cells = [
        make_cell(
            t, merged, unit.pk, board.filters.period, board.round, board.campaign.year, plan.get((unit.pk, t.code))
        )
        for t in board.targets
    ]
    return Row(
        unit=unit,
        cells=cells,
        reports=completeness(merged, unit.pk, Stage.REPORT, board.filters.period),
        registrations=completeness(merged, unit.pk, Stage.REGISTRATION, 0),
    )


def chart_series(board, table, plan_of):
    """Per round, per target: the share of plan achieved and the share expected."""
    series = []
    for round_ in board.rounds:
        cells = [
            make_cell(
                t,
                table,
                board.unit.pk,
                round_.number,
                round_,
                board.campaign.year,
                plan_of.get((board.unit.pk, t.code)),
            )
            for t in board.targets
        ]
        series.append((round_, cells))
    return series


def cluster_ranking(board):
    """Clusters of units directly below, ranked by the same score as the units."""
    below = {r.unit.pk: r for r in board.rows}
    if not below or board.filters.cluster is not None:
        return []
    members = (
        ClusterMember.objects.filter(year=board.campaign.year, organization_id__in=list(below), cluster__is_active=True)
        .select_related("cluster")
        .order_by("cluster__name")
    )
    grouped = {}
    for member in members:
        grouped.setdefault(member.cluster, []).append(below[member.organization_id])
    ranked = []
    for cluster, rows in grouped.items():
        cells = []
        for index, target in enumerate(board.targets):
            parts = [r.cells[index] for r in rows]
            cells.append(_pool(target, parts, board))
        row = Row(unit=None, cells=cells, reports=Completeness(), registrations=Completeness(), cluster=cluster)
        row.size = len(rows)
        ranked.append(row)
    ranked.sort(key=lambda r: (-(r.score or -1), r.cluster.name))
    return ranked


def _pool(target, parts, board):
    """One cluster's figure for a target, pooled from its members' sums, never averaged."""
    cell = Cell(target=target, expected=parts[0].expected if parts else Decimal(1))
    if target.kind in (TargetKind.COUNT, TargetKind.MONEY):
        achieved = [p.achieved for p in parts if p.achieved is not None]
        plans_ = [p.plan for p in parts if p.plan is not None]
        cell.achieved = sum(achieved) if achieved else None
        cell.plan = sum(plans_) if plans_ else None
    else:
        numerator = sum((p.numerator or 0) for p in parts)
        denominator = sum((p.denominator or 0) for p in parts)
        cell.numerator, cell.denominator = Decimal(numerator), Decimal(denominator)
        cell.achieved = _rate(numerator, denominator)
        cell.plan = target.plan_value if target.plan_value is not None else HUNDRED
    cell.verdict = _judge(cell)
    return cell
