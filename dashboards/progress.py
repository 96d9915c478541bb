"""Keeping ``Progress`` up to date, and reading sums from it or from the submissions.

Each source below is one grouped query over the submissions of *leaf* units (units that
report their own figures). ``rebuild`` groups them by the leaf's parent and then adds each
group to every unit above it with a recursive CTE, all in one INSERT … SELECT. ``apply``
does the same for a single submission with a sign, as an upsert, before and after each
state change. ``leaf_sums`` runs the very same sources grouped by the leaf itself, which
is how a page reads the grassroots unions directly below a unit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from campaigns.models import Campaign
from campaigns.models import Status as CampaignStatus
from dashboards.models import ALL_KINDS, ALL_SECTORS, Progress, Stage
from organizations.models import Organization
from reports.models import Pledge, Registration, Report, ReportValue, Status

# Figures count once sent; a returned submission is counted apart, as is one not yet sent.
VALUE_STATES = (Status.SUBMITTED, Status.APPROVED)
COUNTED_STATES = (Status.SUBMITTED, Status.APPROVED, Status.RETURNED)
UNITS_STATE = "units"

COLUMNS = ("grp", "stage", "period", "code", "sector", "kind", "state")
MEASURES = ("total", "num", "den", "yes", "answered", "entries", "late")
PROGRESS_MEASURES = ("total", "numerator", "denominator", "yes", "answered", "entries", "late")

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))
NONE = Value(0, output_field=IntegerField())


# Sources ---------------------------------------------------------------------------


def _key(prefix, group, stage, period, code):
    """The grouping columns, named p_* so they never clash with a model's own fields."""
    return {
        "p_grp": F(f"{prefix}organization__{group}"),
        "p_stage": Value(stage),
        "p_period": period,
        "p_code": code,
        "p_sector": F(f"{prefix}organization__sector"),
        "p_kind": F(f"{prefix}organization__kind_id"),
    }


def _measures(**given):
    base = {
        "p_total": ZERO,
        "p_num": ZERO,
        "p_den": ZERO,
        "p_yes": NONE,
        "p_answered": NONE,
        "p_entries": NONE,
        "p_late": NONE,
    }
    base.update({f"p_{name}": expression for name, expression in given.items()})
    return base


def report_values(reports, group):
    values = ReportValue.objects.filter(report__in=reports.filter(status__in=VALUE_STATES)).exclude(
        value__isnull=True, numerator__isnull=True, denominator__isnull=True, achieved__isnull=True
    )
    key = _key("report__", group, Stage.REPORT, Coalesce("report__round__number", 0), F("target__code"))
    key["p_state"] = F("report__status")
    return (
        values.values(**key)
        .annotate(
            **_measures(
                total=Coalesce(Sum("value"), ZERO),
                num=Coalesce(Sum("numerator"), ZERO),
                den=Coalesce(Sum("denominator"), ZERO),
                yes=Count("pk", filter=Q(achieved=True)),
                answered=Count("pk", filter=Q(achieved__isnull=False)),
                entries=Count("pk"),
            )
        )
        .order_by()
    )


def report_counts(reports, group):
    key = _key("", group, Stage.REPORT, Coalesce("round__number", 0), Value(""))
    key["p_state"] = F("status")
    return (
        reports.filter(status__in=COUNTED_STATES)
        .values(**key)
        .annotate(**_measures(entries=Count("pk"), late=Count("pk", filter=Q(late_days__gt=0))))
        .order_by()
    )


def pledges(registrations, group):
    values = Pledge.objects.filter(registration__in=registrations.filter(status__in=VALUE_STATES))
    key = _key("registration__", group, Stage.REGISTRATION, NONE, F("target__code"))
    key["p_state"] = F("registration__status")
    return (
        values.values(**key)
        .annotate(**_measures(total=Coalesce(Sum("value"), ZERO), entries=Count("pk", filter=Q(value__isnull=False))))
        .order_by()
    )


def registration_counts(registrations, group):
    key = _key("", group, Stage.REGISTRATION, NONE, Value(""))
    key["p_state"] = F("status")
    return (
        registrations.filter(status__in=COUNTED_STATES)
        .values(**key)
        .annotate(**_measures(entries=Count("pk"), late=Count("pk", filter=Q(late_days__gt=0))))
        .order_by()
    )


def unit_counts(units, group):
    key = {
        "p_grp": F(group),
        "p_stage": Value(Stage.UNITS),
        "p_period": NONE,
        "p_code": Value(""),
        "p_sector": F("sector"),
        "p_kind": F("kind_id"),
        "p_state": Value(UNITS_STATE),
    }
    return units.values(**key).annotate(**_measures(entries=Count("pk"))).order_by()


def leaves(campaign):
    """The campaign's taking-part units that report their own figures, leaving out the
    subtrees of units that run a published plan answering this one (those count there)."""
    units = campaign.participants()
    units = units.exclude(pk__in=campaign.participants().values("parent_id"))
    answering = Campaign.objects.filter(
        parent=campaign, status__in=[CampaignStatus.PUBLISHED, CampaignStatus.CLOSED]
    ).values_list("owner_id", flat=True)
    owners = list(answering)
    if owners:
        units = units.exclude(pk__in=Organization.objects.subtree(owners).values("pk"))
    return units


def leaf_ids(campaign, ids):
    """Those of ``ids`` (units of the campaign's subtree) with no unit below taking part.
    Cheaper than ``leaves`` for a handful of units: only their children are read."""
    ids = set(ids)
    children = campaign.in_scope(Organization.objects.filter(parent_id__in=ids))
    return ids - set(children.order_by().values_list("parent_id", flat=True).distinct())


def sources(campaign, group, *, units=None, registration=None, report=None, period=None):
    """The grouped queries for one campaign: everything, or one submission's share."""
    reports = Report.objects.filter(campaign=campaign, is_aggregate=False)
    if period is not None:
        reports = reports.filter(round__number=period) if period else reports.filter(round__isnull=True)
    registrations = Registration.objects.filter(campaign=campaign)
    if units is None:
        # The whole campaign: reports say themselves whether they are a sum; a registration
        # is a unit's own when no unit below it takes part.
        leaf_units = leaves(campaign)
        registrations = registrations.exclude(organization__in=campaign.participants().values("parent_id"))
    else:
        leaf_units = units
        reports = reports.filter(organization__in=units)
        registrations = registrations.filter(organization__in=units)
    if report is not None:
        return [report_values(reports.filter(pk=report.pk), group), report_counts(reports.filter(pk=report.pk), group)]
    if registration is not None:
        one = registrations.filter(pk=registration.pk)
        return [pledges(one, group), registration_counts(one, group)]
    return [
        unit_counts(leaf_units, group),
        registration_counts(registrations, group),
        pledges(registrations, group),
        report_counts(reports, group),
        report_values(reports, group),
    ]


def _union(querysets):
    parts, params = [], []
    columns = ", ".join(f"q.{connection.ops.quote_name('p_' + c)}" for c in COLUMNS + MEASURES)
    for qs in querysets:
        sql, qs_params = qs.query.sql_with_params()
        parts.append(f"SELECT {columns} FROM ({sql}) q")
        params.extend(qs_params)
    return " UNION ALL ".join(parts), params


# Writing -----------------------------------------------------------------------------


def _write(campaign_id, querysets, *, sign=1, upsert=False):
    table = Progress._meta.db_table
    org = Organization._meta.db_table
    union, params = _union(querysets)
    sums = ", ".join(f"SUM(b.p_{m}) * %s" for m in MEASURES)
    targets = ", ".join(PROGRESS_MEASURES)
    conflict = ""
    if upsert:
        keys = "campaign_id, unit_id, stage, period, code, sector, leaf_kind_id, state"
        updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in PROGRESS_MEASURES)
        conflict = f" ON CONFLICT ({keys}) DO UPDATE SET {updates}"
    sql = (
        f"WITH RECURSIVE b0 AS ({union}), "
        # Every row once more under "all sectors, all kinds": an unfiltered page reads those.
        f"b AS (SELECT * FROM b0 UNION ALL SELECT p_grp, p_stage, p_period, p_code, %s, %s, p_state, "
        f"{', '.join('p_' + m for m in MEASURES)} FROM b0), "
        f"up(grp, anc) AS ("
        f"  SELECT DISTINCT p_grp, p_grp FROM b WHERE p_grp IS NOT NULL"
        f"  UNION ALL SELECT up.grp, o.parent_id FROM up JOIN {org} o ON o.id = up.anc WHERE o.parent_id IS NOT NULL) "
        f"INSERT INTO {table} (campaign_id, unit_id, stage, period, code, sector, leaf_kind_id, state, {targets}) "
        f"SELECT %s, up.anc, b.p_stage, b.p_period, b.p_code, b.p_sector, b.p_kind, b.p_state, {sums} "
        f"FROM b JOIN up ON up.grp = b.p_grp WHERE 1 = 1 "
        f"GROUP BY up.anc, b.p_stage, b.p_period, b.p_code, b.p_sector, b.p_kind, b.p_state{conflict}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ALL_SECTORS, ALL_KINDS, campaign_id, *([sign] * len(MEASURES))])


def _lock(campaign_id):
    """One writer per campaign at a time, so a rebuild never races an approval."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7301, campaign_id])


@transaction.atomic
def rebuild(campaign):
    """Recompute every total of one campaign from its submissions."""
    _lock(campaign.pk)
    Progress.objects.filter(campaign=campaign).delete()
    _write(campaign.pk, sources(campaign, "parent_id"))


def rebuild_all(campaigns=None):
    campaigns = (
        Campaign.objects.filter(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.CLOSED])
        if campaigns is None
        else campaigns
    )
    count = 0
    for campaign in campaigns:
        rebuild(campaign)
        count += 1
    return count


def apply(submission, sign):
    """Add (+1) or take away (-1) one submission's share in the totals of the units above it."""
    campaign = Campaign.objects.get(pk=submission.campaign_id)
    if not leaves(campaign).filter(pk=submission.organization_id).exists():
        return  # a unit with units below: its figures are theirs, already counted
    leaf_units = Organization.objects.filter(pk=submission.organization_id)
    if isinstance(submission, Report):
        parts = sources(campaign, "parent_id", units=leaf_units, report=submission)
    else:
        parts = sources(campaign, "parent_id", units=leaf_units, registration=submission)
    _lock(campaign.pk)
    _write(campaign.pk, parts, sign=sign, upsert=True)


# Reading -----------------------------------------------------------------------------


@dataclass
class Sums:
    total: Decimal = Decimal(0)
    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    yes: int = 0
    answered: int = 0
    entries: int = 0
    late: int = 0

    def add(self, other):
        for name in PROGRESS_MEASURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


EMPTY = Sums()  # what ``Table.get`` answers for a missing key; never added to


@dataclass
class Table:
    """Sums by (unit id, stage, period, code, state)."""

    cells: dict = field(default_factory=dict)

    def put(self, unit_id, stage, period, code, state, sums):
        key = (unit_id, stage, int(period), code, state)
        if key in self.cells:
            self.cells[key].add(sums)
        else:
            self.cells[key] = sums

    def get(self, unit_id, stage, period, code, state):
        return self.cells.get((unit_id, stage, period, code, state)) or EMPTY

    def merge(self, other):
        for key, sums in other.cells.items():
            self.put(*key, Sums().add(sums))
        return self


def _number(value):
    if isinstance(value, Decimal):
        return value
    return Decimal(0) if value is None else Decimal(str(value))


def unit_sums(campaign_ids, unit_ids, *, sector="", kind=None, table=None, period=None, every_period=()):
    """Totals of non-leaf units, from ``Progress``: one grouped query. With ``period``, only
    that round (and the registration) is read, except for the units in ``every_period``."""
    table = table or Table()
    rows = Progress.objects.filter(campaign_id__in=campaign_ids, unit_id__in=unit_ids)
    if period is not None:
        rows = rows.filter(Q(period__in=[period, 0]) | Q(unit_id__in=list(every_period)))
    if not sector and not kind:
        rows = rows.filter(sector=ALL_SECTORS, leaf_kind_id=ALL_KINDS)
    else:
        rows = rows.exclude(sector=ALL_SECTORS)
    if sector:
        rows = rows.filter(sector=sector)
    if kind:
        rows = rows.filter(leaf_kind_id=kind)
    grouped = (
        rows.values("unit_id", "stage", "period", "code", "state")
        .annotate(**{f"s_{m}": Sum(m) for m in PROGRESS_MEASURES})
        .order_by()
    )
    # Plain tuples straight from the cursor: a province page reads some ten thousand rows.
    sql, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, stage, period, code, state, *m in cursor.fetchall():
            sums = Sums(_number(m[0]), _number(m[1]), _number(m[2]), m[3] or 0, m[4] or 0, m[5] or 0, m[6] or 0)
            table.put(unit_id, stage, period, code, state, sums)
    return table


def leaf_sums(campaign, unit_ids, *, table=None, period=None):
    """The same sums for leaf units (ids, a few hundred at most: those directly below one
    unit), read from their submissions in one query; with ``period``, that round only."""
    table = table or Table()
    leaf_units = Organization.objects.filter(pk__in=list(unit_ids))
    union, params = _union(sources(campaign, "id", units=leaf_units, period=period))
    with connection.cursor() as cursor:
        cursor.execute(union, params)
        for row in cursor.fetchall():
            grp, stage, period, code, _sector, _kind, state, *measures = row
            sums = Sums(*(_number(v) if i < 3 else int(v or 0) for i, v in enumerate(measures)))
            table.put(grp, stage, period, code, state, sums)
    return table
