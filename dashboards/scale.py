"""A national-scale synthetic dataset: the whole union tree with a campaign per province.

The Tổng Liên đoàn launches a national campaign; each provincial federation and each
national sector union answers it with its own plan carrying the same 20 target codes,
allocates down to its ward/commune unions and they to their grassroots unions; every
grassroots union has an approved registration and reports for two rounds (most approved,
some pending, some missing). Sizes follow SCALE.md: 34 provinces and 20 sector unions,
about 130 000 grassroots unions, the merged Hồ Chí Minh City near 15 000.

Rows are written with PostgreSQL's COPY (plain INSERTs elsewhere), in id ranges reserved
up front, so 10 million rows take minutes, not hours. Everything is deterministic for a
given seed.
"""

import datetime
import itertools
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from campaigns.interchange import import_campaign
from organizations.models import Organization, OrganizationKind
from reports.models import Pledge, Registration, Report, ReportValue, Status
from targets.models import Allocation

PREFIX = "SC"
YEAR = 2026

# Grassroots unions per provincial federation after the 2025 merger (Hồ Chí Minh City includes
# Bình Dương and Bà Rịa–Vũng Tàu). The sum with the sector unions is about 130 000.
PROVINCES = [
    ("HCM", "Thành phố Hồ Chí Minh", 15000),
    ("HNI", "Thành phố Hà Nội", 9000),
    ("DNA", "tỉnh Đồng Nai", 7000),
    ("BNI", "tỉnh Bắc Ninh", 6000),
    ("HPG", "Thành phố Hải Phòng", 5500),
    ("HYN", "tỉnh Hưng Yên", 4200),
    ("TNH", "tỉnh Tây Ninh", 4100),
    ("THA", "tỉnh Thanh Hóa", 4000),
    ("NAN", "tỉnh Nghệ An", 3800),
    ("DNG", "Thành phố Đà Nẵng", 3600),
    ("PTO", "tỉnh Phú Thọ", 3500),
    ("NBH", "tỉnh Ninh Bình", 3400),
    ("QNH", "tỉnh Quảng Ninh", 3300),
    ("TNG", "tỉnh Thái Nguyên", 3000),
    ("CTO", "Thành phố Cần Thơ", 3000),
    ("AGG", "tỉnh An Giang", 2900),
    ("LDG", "tỉnh Lâm Đồng", 2800),
    ("KHH", "tỉnh Khánh Hòa", 2700),
    ("DLK", "tỉnh Đắk Lắk", 2600),
    ("GLA", "tỉnh Gia Lai", 2500),
    ("VLG", "tỉnh Vĩnh Long", 2500),
    ("DTP", "tỉnh Đồng Tháp", 2400),
    ("QNI", "tỉnh Quảng Ngãi", 2300),
    ("LCI", "tỉnh Lào Cai", 2200),
    ("HTH", "tỉnh Hà Tĩnh", 2000),
    ("CMU", "tỉnh Cà Mau", 2000),
    ("QTR", "tỉnh Quảng Trị", 2000),
    ("TQG", "tỉnh Tuyên Quang", 1900),
    ("HUE", "Thành phố Huế", 1800),
    ("LSN", "tỉnh Lạng Sơn", 1500),
    ("SLA", "tỉnh Sơn La", 1500),
    ("CBG", "tỉnh Cao Bằng", 1200),
    ("DBN", "tỉnh Điện Biên", 1100),
    ("LCU", "tỉnh Lai Châu", 900),
]
SECTOR_UNIONS = 20
SECTOR_UNION_SIZE = 300
UNITS_PER_UPPER = 60
SECTORS = ["ngoai_nn", "ngoai_nn", "fdi", "dnnn", "hcsn"]

# 20 targets: (kind, plan value per grassroots union or rate, sectors it applies to)
TARGETS = (
    [("count", 12, [])] * 8
    + [("count", 2, ["ngoai_nn", "fdi"]), ("count", 1, [])]
    + [("money", 5_000_000, []), ("money", 20_000_000, [])]
    + [("percentage", 85, []), ("percentage", 70, []), ("percentage", 90, ["hcsn", "dnnn"]), ("percentage", 60, [])]
    + [("coverage", 100, []), ("coverage", 100, [])]
    + [("yes_no", None, []), ("yes_no", None, [])]
)
TEXTS = {
    "count": "Kết nạp, phát triển mới {value} đoàn viên (chỉ tiêu {code})",
    "money": "Vận động ủng hộ {value} đồng (chỉ tiêu {code})",
    "percentage": "{value}% công đoàn cơ sở đạt yêu cầu (chỉ tiêu {code})",
    "coverage": "100% công đoàn cơ sở tổ chức hoạt động (chỉ tiêu {code})",
    "yes_no": "Tổ chức phong trào thi đua chuyên đề (chỉ tiêu {code})",
}


def codes():
    return [f"CT{i + 1:02d}" for i in range(len(TARGETS))]


@dataclass
class Federation:
    """A provincial federation or a national sector union and the size of its subtree."""

    code: str
    name: str
    grassroots: int
    kind: str
    upper_kind: str


def federations(scale=1.0):
    found = [
        Federation(
            f"{PREFIX}-{code}", f"Liên đoàn Lao động {name}", max(int(size * scale), 3), "ldld_tinh", "cd_xa_phuong"
        )
        for code, name, size in PROVINCES
    ]
    found += [
        Federation(
            f"{PREFIX}-N{n + 1:02d}",
            f"Công đoàn ngành trung ương số {n + 1:02d}",
            max(int(SECTOR_UNION_SIZE * scale), 3),
            "cd_nganh_tw",
            "cd_tct",
        )
        for n in range(SECTOR_UNIONS)
    ]
    return found


class Ids:
    """Id ranges handed out before writing, so rows can point at each other without reading back."""

    def __init__(self, model):
        self.model = model
        self.next = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def take(self):
        value = self.next
        self.next += 1
        return value


class Writer:
    """Streams rows into one table: COPY on PostgreSQL, batched INSERTs elsewhere."""

    def __init__(self, model, columns):
        self.table = model._meta.db_table
        self.columns = columns
        self.count = 0

    def write(self, rows):
        if connection.vendor == "postgresql":
            self._copy(rows)
        else:
            self._insert(rows)
        self._reset_sequence()

    def _copy(self, rows):
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {self.table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    self.count += 1

    def _insert(self, rows):
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        sql = f"INSERT INTO {self.table} ({quoted}) VALUES ({', '.join(['%s'] * len(self.columns))})"
        with connection.cursor() as cursor:
            iterator = iter(rows)
            while batch := list(itertools.islice(iterator, 5000)):
                cursor.executemany(sql, batch)
                self.count += len(batch)

    def _reset_sequence(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {self.table}), 1))",
                    [self.table],
                )


class Generator:
    def __init__(self, *, scale=1.0, seed=1, out=print):
        self.scale = scale
        self.random = random.Random(seed)
        self.out = out
        self.now = timezone.now()
        self.kinds = {k.code: k.pk for k in OrganizationKind.objects.all()}
        self.timings = []

    def step(self, label, function):
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
        self.timings.append((label, seconds))
        self.out(f"  {label}: {seconds:.1f} s")
        return result

    @transaction.atomic
    def run(self):
        if Organization.objects.filter(code=f"{PREFIX}-HCM").exists():
            raise RuntimeError("The scale data is already in this database; use a fresh database.")
        self.root = Organization.objects.filter(code="TLD").first() or Organization.objects.create(
            name="Tổng Liên đoàn Lao động Việt Nam", code="TLD", kind_id=self.kinds["tld"], search_text="tong lien doan"
        )
        self.feds = federations(self.scale)
        self.step("units", self.units)
        self.step("campaigns", self.campaigns)
        self.step("allocations", self.allocations)
        self.step("registrations and pledges", self.registrations)
        self.step("reports and values", self.reports)
        self.step("clusters", self.clusters)
        self.step("dashboard totals", self.totals)
        return self.summary()

    # Units ---------------------------------------------------------------------------

    def units(self):
        ids = Ids(Organization)
        self.tree = []  # (federation id, [(upper id, [grassroots ids and sectors])], [direct grassroots])
        columns = [
            "id",
            "name",
            "short_name",
            "code",
            "kind_id",
            "sector",
            "parent_id",
            "members_count",
            "workers_count",
            "is_active",
            "address",
            "phone",
            "email",
            "search_text",
            "version",
            "created_at",
            "updated_at",
        ]
        writer = Writer(Organization, columns)
        writer.write(self._unit_rows(ids))
        self.unit_count = writer.count

    def _unit(self, pk, name, code, kind, sector, parent, members):
        search = f"{name} {code}".lower()
        return (
            pk,
            name,
            "",
            code,
            self.kinds[kind],
            sector,
            parent,
            members,
            members + members // 10,
            True,
            "",
            "",
            "",
            search,
            1,
            self.now,
            self.now,
        )

    def _unit_rows(self, ids):
        for fed in self.feds:
            fed_id = ids.take()
            yield self._unit(fed_id, fed.name, fed.code, fed.kind, "", self.root.pk, 0)
            uppers, direct = [], []
            upper_count = max(fed.grassroots // UNITS_PER_UPPER, 1)
            # Few grassroots unions sit directly under a federation; most are under a ward,
            # commune, industrial-zone or sector union.
            direct_count = min(fed.grassroots // 100, 40)
            for u in range(upper_count):
                upper_id = ids.take()
                yield self._unit(
                    upper_id,
                    f"Công đoàn phường {u + 1:03d} – {fed.name}",
                    f"{fed.code}-P{u + 1:03d}",
                    fed.upper_kind,
                    "",
                    fed_id,
                    0,
                )
                uppers.append((upper_id, []))
            for g in range(fed.grassroots):
                unit_id = ids.take()
                sector = SECTORS[g % len(SECTORS)]
                members = 20 + (g * 37) % 900
                name = f"Công đoàn cơ sở Công ty số {g + 1:05d} – {fed.name}"
                if g < direct_count:
                    parent = fed_id
                    direct.append((unit_id, sector))
                else:
                    upper_id, children = uppers[g % upper_count]
                    parent = upper_id
                    children.append((unit_id, sector))
                yield self._unit(unit_id, name, f"{fed.code}-{g + 1:05d}", "cdcs", sector, parent, members)
            self.tree.append((fed_id, uppers, direct))

    # Campaigns -------------------------------------------------------------------------

    def campaigns(self):
        plan_sizes = {fed_id: sum(len(c) for _u, c in uppers) + len(direct) for fed_id, uppers, direct in self.tree}
        national = self._campaign(self.root.code, "TỔNG LĐLĐ VIỆT NAM", sum(plan_sizes.values()), None, 1)
        self.national = national
        self.campaign_of = {}
        self.fed_codes = dict(Organization.objects.filter(pk__in=plan_sizes).values_list("pk", "code"))
        for number, (fed_id, size) in enumerate(plan_sizes.items(), start=2):
            self.campaign_of[fed_id] = self._campaign(self.fed_codes[fed_id], "LĐLĐ", size, national, number)
        self.targets = {
            campaign.pk: {t.code: t for t in campaign.targets.all()}
            for campaign in [national, *self.campaign_of.values()]
        }

    def _campaign(self, owner_code, issuer_name, size, parent, number):
        targets = []
        for index, (kind, per_unit, sectors) in enumerate(TARGETS):
            code = codes()[index]
            value = per_unit * size if kind in ("count", "money") else per_unit
            targets.append(
                {
                    "code": code,
                    "label": f"{index + 1}.",
                    "joiner": "",
                    "kind": kind,
                    "comparator": "gte",
                    "text": TEXTS[kind].format(value=f"{value or 0:,}".replace(",", "."), code=code),
                    "plan_value": value,
                    "unit": "",
                    "sectors": sectors,
                    "unit_kinds": [],
                    "period": "year",
                    "source": "reported",
                    "allocations": [],
                }
            )
        data = {
            "format": "thidua.campaign/1",
            "owner": owner_code,
            "issuer": {
                "organization": owner_code,
                "style": "union",
                "parent_name": "TỔNG LĐLĐ VIỆT NAM",
                "name": issuer_name + " " + owner_code,
                "abbreviation": "LĐLĐ",
                "place": "Hà Nội",
            },
            "parent": None
            if parent is None
            else {"owner": parent.owner.code, "year": YEAR, "number": parent.number, "symbol": parent.symbol},
            "document": {
                "type": "KH",
                "heading": "KẾ HOẠCH",
                "number": number,
                "symbol": "KH-TĐ",
                "place": "Hà Nội",
                "issued_on": f"{YEAR}-01-15",
                "subject": f"Phát động phong trào thi đua năm {YEAR}",
                "year": YEAR,
                "kind": "regular",
                "allow_outside_year": False,
                "status": "published",
            },
            "scope": {"unit_kinds": [], "sectors": []},
            "themes": [],
            "legal_bases": [],
            "sections": [
                {"kind": "targets", "label": "I.", "title": "CHỈ TIÊU", "intro": "", "closing": "", "clauses": []}
            ],
            "rounds": [
                {
                    "number": 1,
                    "name": "Đợt 1",
                    "heading": "",
                    "theme": "",
                    "start": f"{YEAR}-01-01",
                    "end": f"{YEAR}-06-30",
                    "report_due": f"{YEAR}-07-10",
                    "description": "",
                    "is_peak": False,
                    "commemorations": [],
                },
                {
                    "number": 2,
                    "name": "Đợt 2",
                    "heading": "",
                    "theme": "",
                    "start": f"{YEAR}-07-01",
                    "end": f"{YEAR}-12-31",
                    "report_due": f"{YEAR}-12-31",
                    "description": "",
                    "is_peak": False,
                    "commemorations": [],
                },
            ],
            "target_groups": [{"label": "", "title": "", "intro": "", "layout": "lines", "targets": targets}],
            "tasks": [],
            "deadlines": [
                {"kind": "registration", "description": "Đăng ký thi đua", "due_date": f"{YEAR}-03-15", "round": 1}
            ],
            "recipients": [{"text": "Lưu: VT.", "group": ""}],
            "signer": {
                "collective_authority": "tm",
                "collective": "BAN THƯỜNG VỤ",
                "authority": "",
                "head_title": "",
                "title": "CHỦ TỊCH",
                "name": "Nguyễn Văn Thử",
            },
        }
        return import_campaign(data, actor=None)

    # Allocations -----------------------------------------------------------------------

    @staticmethod
    def share(unit_id, index):
        """What a grassroots union is given for count or money target ``index`` (deterministic)."""
        kind, per_unit, _sectors = TARGETS[index]
        spread = 0.5 + ((unit_id * 7 + index * 13) % 11) / 10  # 0.5 … 1.5 of the average
        return Decimal(round(per_unit * spread))

    def allocations(self):
        writer = Writer(Allocation, ["id", "target_id", "organization_id", "allocated_by_id", "value"])
        writer.write(self._allocation_rows(Ids(Allocation)))

    def _allocation_rows(self, ids):
        allocatable = [i for i, (kind, _v, _s) in enumerate(TARGETS) if kind in ("count", "money")]
        national_targets = self.targets[self.national.pk]
        for fed_id, uppers, direct in self.tree:
            targets = self.targets[self.campaign_of[fed_id].pk]
            fed_total = {i: Decimal(0) for i in allocatable}
            for upper_id, children in uppers:
                for i in allocatable:
                    upper_total = sum((self.share(unit_id, i) for unit_id, _sector in children), Decimal(0))
                    fed_total[i] += upper_total
                    yield (ids.take(), targets[codes()[i]].pk, upper_id, fed_id, upper_total)
                    for unit_id, _sector in children:
                        yield (ids.take(), targets[codes()[i]].pk, unit_id, upper_id, self.share(unit_id, i))
            for unit_id, _sector in direct:
                for i in allocatable:
                    fed_total[i] += self.share(unit_id, i)
                    yield (ids.take(), targets[codes()[i]].pk, unit_id, fed_id, self.share(unit_id, i))
            for i in allocatable:
                yield (ids.take(), national_targets[codes()[i]].pk, fed_id, self.root.pk, fed_total[i])

    # Registrations, reports ------------------------------------------------------------

    def grassroots(self):
        """Every grassroots union with its federation, in a fixed order."""
        for fed_id, uppers, direct in self.tree:
            for _upper_id, children in uppers:
                for unit_id, sector in children:
                    yield fed_id, unit_id, sector
            for unit_id, sector in direct:
                yield fed_id, unit_id, sector

    @staticmethod
    def applies(index, sector):
        sectors = TARGETS[index][2]
        return not sectors or sector in sectors

    def registrations(self):
        ids, pledge_ids = Ids(Registration), Ids(Pledge)
        registration_of = {}
        due = datetime.datetime(YEAR, 3, 10, 9, 0, tzinfo=datetime.UTC)

        def registration_rows():
            for fed_id, unit_id, _sector in self.grassroots():
                pk = registration_of[unit_id] = ids.take()
                yield (
                    pk,
                    self.campaign_of[fed_id].pk,
                    unit_id,
                    Status.APPROVED,
                    2,
                    due,
                    0,
                    due,
                    "",
                    "",
                    self.now,
                    self.now,
                    "",
                )

        def pledge_rows():
            for fed_id, unit_id, sector in self.grassroots():
                targets = self.targets[self.campaign_of[fed_id].pk]
                for index, (kind, per_unit, _sectors) in enumerate(TARGETS):
                    if self.applies(index, sector):
                        value = self.share(unit_id, index) if kind in ("count", "money") else Decimal(per_unit or 1)
                        yield (pledge_ids.take(), registration_of[unit_id], targets[codes()[index]].pk, value, "")

        Writer(
            Registration,
            [
                "id",
                "campaign_id",
                "organization_id",
                "status",
                "version",
                "submitted_at",
                "late_days",
                "reviewed_at",
                "review_comment",
                "last_request",
                "created_at",
                "updated_at",
                "note",
            ],
        ).write(registration_rows())
        Writer(Pledge, ["id", "registration_id", "target_id", "value", "reason"]).write(pledge_rows())

    def _status(self, round_number, unit_id):
        """Round 1 is nearly closed; round 2 is under way."""
        draw = (unit_id * 2654435761 + round_number * 97) % 100
        if round_number == 1:
            return (
                Status.APPROVED
                if draw < 90
                else Status.SUBMITTED
                if draw < 95
                else Status.RETURNED
                if draw < 97
                else None
            )
        return Status.APPROVED if draw < 55 else Status.SUBMITTED if draw < 70 else Status.DRAFT if draw < 80 else None

    def reports(self):
        report_ids, value_ids = Ids(Report), Ids(ReportValue)
        report_writer = Writer(
            Report,
            [
                "id",
                "campaign_id",
                "organization_id",
                "status",
                "version",
                "submitted_at",
                "late_days",
                "reviewed_at",
                "review_comment",
                "last_request",
                "created_at",
                "updated_at",
                "round_id",
                "highlights",
                "shortcomings",
                "proposals",
                "is_aggregate",
            ],
        )
        value_rows = []
        # Read before COPY starts: the connection can run nothing else while it streams.
        rounds = {c.pk: {r.number: r.pk for r in c.rounds.all()} for c in self.campaign_of.values()}

        def report_rows():
            for fed_id, unit_id, sector in self.grassroots():
                campaign = self.campaign_of[fed_id]
                for number in (1, 2):
                    status = self._status(number, unit_id)
                    if status is None:
                        continue
                    pk = report_ids.take()
                    late = (unit_id % 13) if (unit_id % 5 == 0) else 0
                    sent = (
                        None if status == Status.DRAFT else datetime.datetime(YEAR, 6 + number, 8, tzinfo=datetime.UTC)
                    )
                    yield (
                        pk,
                        campaign.pk,
                        unit_id,
                        status,
                        3,
                        sent,
                        late if sent else None,
                        sent if status == Status.APPROVED else None,
                        "",
                        "",
                        self.now,
                        self.now,
                        rounds[campaign.pk][number],
                        "",
                        "",
                        "",
                        False,
                    )
                    value_rows.append((pk, campaign.pk, unit_id, sector, number))

        report_writer.write(report_rows())
        Writer(
            ReportValue,
            [
                "id",
                "report_id",
                "target_id",
                "value",
                "numerator",
                "denominator",
                "achieved",
                "note",
                "review_comment",
                "on_behalf",
                "updated_at",
            ],
        ).write(self._value_rows(value_rows, value_ids))
        self.report_count = report_writer.count

    def _value_rows(self, reports, ids):
        for report_id, campaign_id, unit_id, sector, number in reports:
            targets = self.targets[campaign_id]
            progress = Decimal("0.5") if number == 1 else Decimal("1.0")
            for index, (kind, _per_unit, _sectors) in enumerate(TARGETS):
                if not self.applies(index, sector):
                    continue
                target_id = targets[codes()[index]].pk
                wobble = Decimal(70 + (unit_id * 31 + index * 17 + number) % 61) / 100  # 0.70 … 1.30
                value = numerator = denominator = achieved = None
                if kind in ("count", "money"):
                    value = (self.share(unit_id, index) * progress * wobble).quantize(Decimal(1))
                elif kind == "percentage":
                    denominator = Decimal(20 + (unit_id * 37) % 480)
                    rate = min(Decimal("0.55") + Decimal((unit_id + index * 7) % 45) / 100, Decimal(1))
                    numerator = (denominator * rate).quantize(Decimal(1))
                else:
                    achieved = (unit_id + index + number) % 7 != 0
                yield (
                    ids.take(),
                    report_id,
                    target_id,
                    value,
                    numerator,
                    denominator,
                    achieved,
                    "",
                    "",
                    False,
                    self.now,
                )

    # Clusters ----------------------------------------------------------------------------

    def clusters(self):
        from organizations.models import Cluster, ClusterMember

        provinces = [fed_id for fed_id, _u, _d in self.tree][: len(PROVINCES)]
        for number, start in enumerate(range(0, len(provinces), 6), start=1):
            cluster = Cluster.objects.create(
                organizer=self.root, kind="cum", name=f"Cụm thi đua số {number} (tỉnh, thành phố)", level=2
            )
            ClusterMember.objects.bulk_create(
                ClusterMember(cluster=cluster, organization_id=pk, year=YEAR, role="member")
                for pk in provinces[start : start + 6]
            )
        sector = Cluster.objects.create(
            organizer=self.root, kind="khoi", name="Khối công đoàn ngành trung ương", level=2
        )
        ClusterMember.objects.bulk_create(
            ClusterMember(cluster=sector, organization_id=fed_id, year=YEAR, role="member")
            for fed_id, _u, _d in self.tree[len(PROVINCES) :]
        )

    def totals(self):
        from django_tasks_db.models import DBTaskResult

        from dashboards.progress import rebuild_all
        from dashboards.tasks import rebuild_progress

        rebuild_all([self.national, *self.campaign_of.values()])
        # Publishing the plans queued a rebuild of each: the totals were just computed, and a
        # worker would otherwise spend its first ten minutes recomputing them once more.
        DBTaskResult.objects.ready().filter(task_path=rebuild_progress.module_path).delete()

    def summary(self):
        values = ReportValue.objects.filter(report__campaign__in=self.campaign_of.values()).count()
        return {
            "units": self.unit_count,
            "campaigns": len(self.campaign_of) + 1,
            "reports": self.report_count,
            "values": values,
            "timings": self.timings,
        }
