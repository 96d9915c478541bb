"""Dashboard figures: how each kind of target adds up over the grassroots unions, what awaits
approval apart from what is approved, completeness, the running totals against a full rebuild,
filters, a family of plans, and a number of queries that does not grow with the tree.

The tree (tests/conftest.py) with the figures every unit sends for round 1 below:

province (LĐLĐ tỉnh An Phú, owner of the plan)
├── district (CĐ phường Xuân Hòa)
│   ├── G1 grassroots        ngoai_nn  CT01 25, CT02 60.000.000, CT03 9/10,   CT04 yes, CT05 yes, CT06 5
│   └── G2 other_grassroots  fdi       CT01 15, CT02 40.000.000, CT03 50/100, CT04 no,  CT05 yes, CT06 0
└── other_district (CĐ phường Đông Sơn)
    └── G3 far_grassroots    hcsn      CT01 20, CT02 20.000.000, CT03 30/40,  CT04 yes, CT05 no,  CT06 6

Round 1 ends on 30/6/2026: a target counted over the year is expected at 181/365 = 49,6 % of plan.
"""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.interchange import import_campaign
from campaigns.models import Campaign
from campaigns.services import publish_campaign
from dashboards import progress
from dashboards.board import Filters, Verdict, build
from dashboards.models import Progress
from organizations import services as organizations
from organizations.models import ClusterMember, Organization
from reports.models import Registration, Report, ReportValue, Status
from reports.services import registrations as registration_services
from reports.services import reports as services
from tests.factories import kind, make_cluster, make_membership, make_organization, make_user, plan_document

ON, RISK, OFF, NONE = Verdict.ON_TRACK, Verdict.AT_RISK, Verdict.OFF_TRACK, Verdict.NO_DATA
ROUND_ONE_EXPECTED = D("0.496")  # 181 days (1/1–30/6) of 365, to 3 places

G1 = {
    "CT01": {"value": 25},
    "CT02": {"value": 60_000_000},
    "CT03": {"numerator": 9, "denominator": 10},
    "CT04": {"achieved": True},
    "CT05": {"achieved": True},
    "CT06": {"value": 5},
}
G2 = {
    "CT01": {"value": 15},
    "CT02": {"value": 40_000_000},
    "CT03": {"numerator": 50, "denominator": 100},
    "CT04": {"achieved": False},
    "CT05": {"achieved": True},
    "CT06": {"value": 0},
}
G3 = {
    "CT01": {"value": 20},
    "CT02": {"value": 20_000_000},
    "CT03": {"numerator": 30, "denominator": 40},
    "CT04": {"achieved": True},
    "CT05": {"achieved": False},
    "CT06": {"value": 6},
}


# Building the plan -------------------------------------------------------------------------


def target(code, kind_, text, plan_value, *, comparator="gte", period="year", allocations=()):
    return {
        "code": code,
        "label": "",
        "joiner": "",
        "text": text,
        "kind": kind_,
        "comparator": comparator,
        "plan_value": plan_value,
        "unit": "",
        "sectors": [],
        "unit_kinds": [],
        "period": period,
        "allocations": [{"unit": unit, "value": value} for unit, value in allocations],
    }


def group(label, title, targets):
    return {"label": label, "title": title, "intro": "", "layout": "lines", "targets": targets}


PROVINCE_TARGETS = [
    group(
        "1.",
        "Chỉ tiêu về phát triển đoàn viên",
        [
            target(
                "CT01",
                "count",
                "Kết nạp mới 120 đoàn viên",
                120,
                allocations=[("CDP-XH", 70), ("CDP-DS", 50), ("CDCS-MXH", 40), ("CDCS-GBM", 30), ("CDCS-THDS", 50)],
            ),
            target(
                "CT02",
                "money",
                "Vận động 200.000.000 đồng Quỹ Mái ấm Công đoàn",
                200_000_000,
                allocations=[("CDP-XH", 150_000_000), ("CDP-DS", 50_000_000)],
            ),
        ],
    ),
    group(
        "2.",
        "Chỉ tiêu về hoạt động",
        [
            target("CT03", "percentage", "70% đoàn viên được tuyên truyền pháp luật", 70),
            target("CT04", "coverage", "100% CĐCS tổ chức Tháng Công nhân", 100, period="round"),
            target("CT05", "yes_no", "Tổ chức Hội nghị người lao động", None),
            target(
                "CT06",
                "count",
                "Không quá 10 vụ ngừng việc tập thể",
                10,
                comparator="lte",
                allocations=[("CDP-XH", 6)],
            ),
        ],
    ),
]


def publish(owner, actor, *, number, targets, parent=None):
    """Import a plan of ``owner`` with ``targets`` and publish it; round 1 is due in a month,
    so what is sent now is on time."""
    data = plan_document(owner.code, year=2026, number=number, issued_on="2026-01-10")
    data["target_groups"] = targets
    if parent is not None:
        data["parent"] = {
            "owner": parent.owner.code,
            "year": parent.year,
            "number": parent.number,
            "symbol": parent.symbol,
        }
    campaign = import_campaign(data, actor=actor)
    assert campaign.parent == parent
    publish_campaign(campaign, actor=actor)
    campaign.rounds.filter(number=1).update(report_due=timezone.localdate() + datetime.timedelta(days=30))
    return Campaign.objects.get(pk=campaign.pk)


@pytest.fixture
def actor(personas):
    """The province's staff enters, sends and reviews for every unit below the province."""
    return personas.province_staff


@pytest.fixture
def plan(tree, actor):
    return publish(tree.province, actor, number=7, targets=PROVINCE_TARGETS)


# Sending and reviewing ---------------------------------------------------------------------


def send(plan, unit, actor, figures, number=1):
    """Save and send a unit's report for round ``number``; figures: code -> Entry fields."""
    round_ = plan.rounds.get(number=number)
    targets = {t.code: t for t in plan.targets.all()}
    entries = {targets[code].pk: services.Entry(**fields) for code, fields in figures.items()}
    report = services.save_report(plan, unit, round_, actor=actor, data=services.ReportInput(entries=entries))
    report, sent = services.submit_report(report, actor=actor)
    assert sent and report.status == Status.SUBMITTED
    return report


def approve(report, actor):
    report = services.approve_report(report, actor=actor)
    assert report.status == Status.APPROVED
    return report


def send_all(plan, tree, actor):
    """G1, G2 and G3 send round 1 and the district level approves them."""
    return [
        approve(send(plan, unit, actor, figures), actor)
        for unit, figures in [(tree.grassroots, G1), (tree.other_grassroots, G2), (tree.far_grassroots, G3)]
    ]


def cells(row):
    return {cell.target.code: cell for cell in row.cells}


def rows(board):
    return {row.unit.pk: row for row in board.rows}


def completeness(c):
    return {
        "units": c.units,
        "on_time": c.on_time,
        "late": c.late,
        "pending": c.pending,
        "approved": c.approved,
        "returned": c.returned,
        "missing": c.missing,
    }


def figures(cell):
    return {
        "plan": cell.plan,
        "achieved": cell.achieved,
        "numerator": cell.numerator,
        "denominator": cell.denominator,
        "pending": cell.pending,
        "share": cell.share,
        "expected": cell.expected,
        "verdict": cell.verdict,
    }


# 1. Every kind of target ---------------------------------------------------------------------


def test_every_kind_of_target_adds_up_its_own_way(tree, actor, plan):
    send_all(plan, tree, actor)
    # G1 pledges 45 new members (its share was 40); the district approves the registration.
    ct01 = plan.targets.get(code="CT01")
    registration = registration_services.save_registration(
        plan, tree.grassroots, actor=actor, data=registration_services.RegistrationInput(pledges={ct01.pk: (D(45), "")})
    )
    registration, _sent = registration_services.submit_registration(registration, actor=actor)
    registration_services.approve_registration(registration, actor=actor)

    board = build(plan, tree.province, Filters(period=1))
    total = cells(board.total)
    assert [c.target.code for c in board.total.cells] == ["CT01", "CT02", "CT03", "CT04", "CT05", "CT06"]

    # Count: 25 + 15 + 20 = 60 of 120 → 0,5 ≥ 0,496 expected by 30/6 → on track. Passed down: 70 + 50.
    assert figures(total["CT01"]) == {
        "plan": D(120),
        "achieved": D(60),
        "numerator": None,
        "denominator": None,
        "pending": None,
        "share": D("0.5"),
        "expected": ROUND_ONE_EXPECTED,
        "verdict": ON,
    }
    assert (total["CT01"].allocated, total["CT01"].pledged) == (D(120), D(45))
    # Money: 60 + 40 + 20 = 120 million of 200 million → 0,6 → on track; passed down 150 + 50 million.
    assert (total["CT02"].achieved, total["CT02"].plan, total["CT02"].allocated) == (
        D(120_000_000),
        D(200_000_000),
        D(200_000_000),
    )
    assert (total["CT02"].share, total["CT02"].verdict) == (D("0.6"), ON)
    # Percentage, pooled: (9 + 50 + 30) / (10 + 100 + 40) = 89/150 = 59,33 % (not the mean of 90, 50 and 75).
    # A rate is expected in full at every round: 59,33 / 70 = 0,8476 ≥ 0,8 × 1 → at risk.
    assert figures(total["CT03"]) == {
        "plan": D(70),
        "achieved": D("59.33"),
        "numerator": D(89),
        "denominator": D(150),
        "pending": None,
        "share": D("0.8476"),
        "expected": D(1),
        "verdict": RISK,
    }
    # Coverage: 2 units of the 3 that answered said yes → 66,67 % of 100 % → off track (< 80 %).
    assert figures(total["CT04"]) == {
        "plan": D(100),
        "achieved": D("66.67"),
        "numerator": D(2),
        "denominator": D(3),
        "pending": None,
        "share": D("0.6667"),
        "expected": D(1),
        "verdict": OFF,
    }
    assert total["CT04"].answered == 3
    # Yes/no without a plan value: all units should → plan 100 %; 2 of 3 → 66,67 % → off track.
    assert (total["CT05"].achieved, total["CT05"].plan, total["CT05"].verdict) == (D("66.67"), D(100), OFF)
    # "At most 10": 5 + 0 + 6 = 11 > 10 but ≤ 10 × 1,1 → at risk; no share of plan for a ceiling.
    assert (total["CT06"].achieved, total["CT06"].plan, total["CT06"].share, total["CT06"].verdict) == (
        D(11),
        D(10),
        None,
        RISK,
    )
    # Score: CT01 0,5/0,496 = 100,806…; CT02 0,6/0,496 = 1,2097 capped at 120; CT03 84,76; CT04 66,67;
    # CT05 66,67; CT06 at risk under a ceiling = 80 → 518,906… / 6 = 86,48 → 86,5.
    assert board.total.score == D("86.5")
    assert board.total.met_share == D("33.3")  # CT01 and CT02 of 6 judged
    assert completeness(board.total.reports) == {
        "units": 3,
        "on_time": 3,
        "late": 0,
        "pending": 0,
        "approved": 3,
        "returned": 0,
        "missing": 0,
    }
    # The registration was due on 15/3/2026: sent late.
    assert completeness(board.total.registrations) == {
        "units": 3,
        "on_time": 0,
        "late": 1,
        "pending": 0,
        "approved": 1,
        "returned": 0,
        "missing": 2,
    }
    assert board.missing == []  # the rows are the two wards, not grassroots unions

    # The rows of the province: the two wards, from the running totals.
    below = rows(board)
    assert set(below) == {tree.district.pk, tree.other_district.pk}
    ward = cells(below[tree.other_district.pk])
    # G3 alone: 20 of the 50 given → 0,4 < 0,496 but ≥ 0,8 × 0,496 = 0,3968 → at risk.
    assert (ward["CT01"].achieved, ward["CT01"].plan, ward["CT01"].share, ward["CT01"].verdict) == (
        D(20),
        D(50),
        D("0.4"),
        RISK,
    )
    assert (ward["CT03"].numerator, ward["CT03"].denominator, ward["CT03"].achieved) == (D(30), D(40), D("75.00"))
    assert not below[tree.other_district.pk].is_leaf

    # The district: its two grassroots unions.
    district = build(plan, tree.district, Filters(period=1))
    total = cells(district.total)
    # Count: 25 + 15 = 40 of the 70 given → 0,5714 → on track; it passed down 40 + 30.
    assert (total["CT01"].achieved, total["CT01"].plan, total["CT01"].allocated, total["CT01"].share) == (
        D(40),
        D(70),
        D(70),
        D("0.5714"),
    )
    assert total["CT01"].pledged == D(45)
    # Money: 100 million of the 150 million given → 0,6667 → on track; nothing passed down.
    assert (total["CT02"].achieved, total["CT02"].plan, total["CT02"].allocated, total["CT02"].verdict) == (
        D(100_000_000),
        D(150_000_000),
        None,
        ON,
    )
    # Pooled over units of different sizes: (9 + 50) / (10 + 100) = 59/110 = 53,64 %, not (90 + 50) / 2 = 70 %.
    # 53,64 / 70 = 0,7663 < 0,8 → off track.
    assert figures(total["CT03"]) == {
        "plan": D(70),
        "achieved": D("53.64"),
        "numerator": D(59),
        "denominator": D(110),
        "pending": None,
        "share": D("0.7663"),
        "expected": D(1),
        "verdict": OFF,
    }
    # Coverage: 1 yes of 2 answers = 50 %; yes/no: 2 of 2 = 100 % → on track.
    assert (total["CT04"].numerator, total["CT04"].denominator, total["CT04"].achieved, total["CT04"].verdict) == (
        D(1),
        D(2),
        D("50.00"),
        OFF,
    )
    assert (total["CT05"].achieved, total["CT05"].verdict) == (D("100.00"), ON)
    # At most: 5 + 0 = 5 within the 6 given → on track.
    assert (total["CT06"].achieved, total["CT06"].plan, total["CT06"].verdict) == (D(5), D(6), ON)
    # Score: CT01 0,5714/0,496 = 115,20…; CT02 capped 120; CT03 76,63; CT04 50; CT05 100; CT06 100
    # → 561,83… / 6 = 93,64 → 93,6. On track: CT01, CT02, CT05, CT06 of 6 → 66,7 %.
    assert (district.total.score, district.total.met_share) == (D("93.6"), D("66.7"))
    # The province's row for the district reads the same figures from the running totals.
    ward = cells(below[tree.district.pk])
    assert [(c.achieved, c.plan, c.verdict) for c in ward.values()] == [
        (c.achieved, c.plan, c.verdict) for c in total.values()
    ]

    leaves = rows(district)
    assert set(leaves) == {tree.grassroots.pk, tree.other_grassroots.pk}
    assert all(row.is_leaf for row in leaves.values())
    g1 = cells(leaves[tree.grassroots.pk])
    # G1: 25 of its 40 → 0,625 → on track; 9/10 = 90 % of 70 → share 1,2857 → on track.
    assert (g1["CT01"].achieved, g1["CT01"].plan, g1["CT01"].share, g1["CT01"].verdict) == (
        D(25),
        D(40),
        D("0.625"),
        ON,
    )
    assert (g1["CT03"].achieved, g1["CT03"].share, g1["CT03"].verdict) == (D("90.00"), D("1.2857"), ON)
    assert (g1["CT02"].achieved, g1["CT02"].plan, g1["CT02"].verdict) == (D(60_000_000), None, NONE)
    assert g1["CT01"].pledged == D(45)
    g2 = cells(leaves[tree.other_grassroots.pk])
    assert (g2["CT04"].achieved, g2["CT04"].verdict) == (D("0.00"), OFF)  # answered no
    assert (g2["CT06"].achieved, g2["CT06"].plan, g2["CT06"].verdict) == (D(0), None, NONE)  # no share given
    assert completeness(leaves[tree.grassroots.pk].reports)["approved"] == 1
    assert district.missing == []


def test_other_rounds_do_not_mix_into_round_one(tree, actor, plan):
    send_all(plan, tree, actor)
    # G1 sends round 2 as well: 30 more members; it shows in round 2 only.
    approve(send(plan, tree.grassroots, actor, {"CT01": {"value": 30}}, number=2), actor)

    one = cells(build(plan, tree.province, Filters(period=1)).total)
    assert one["CT01"].achieved == D(60)  # 25 + 15 + 20
    board = build(plan, tree.province, Filters(period=2))
    two = cells(board.total)
    # Round 2 ends on 31/12: the whole plan is expected; 30 of 120 → 0,25 < 0,8 → off track.
    assert (two["CT01"].achieved, two["CT01"].expected, two["CT01"].share, two["CT01"].verdict) == (
        D(30),
        D(1),
        D("0.25"),
        OFF,
    )
    assert two["CT03"].achieved is None and two["CT03"].verdict == NONE
    assert (board.total.reports.approved, board.total.reports.missing) == (1, 2)
    # The chart shows both rounds: round 1 at 50 % of plan against 49,6 % expected, round 2 at 25 % of 100 %.
    series = {round_.number: {c.target.code: c for c in chart_cells} for round_, chart_cells in board.chart}
    assert (series[1]["CT01"].share_percent, series[1]["CT01"].expected_percent) == (D("50.0"), D("49.6"))
    assert (series[2]["CT01"].share_percent, series[2]["CT01"].expected_percent) == (D("25.0"), D("100.0"))


# 2. Awaiting approval is shown apart ---------------------------------------------------------


def test_what_awaits_approval_is_apart_from_what_is_achieved(tree, actor, plan):
    def province():
        board = build(plan, tree.province, Filters(period=1))
        return cells(board.total), board.total.reports

    g1 = send(plan, tree.grassroots, actor, G1)
    total, reports = province()
    assert (total["CT01"].achieved, total["CT01"].pending, total["CT01"].verdict) == (None, D(25), NONE)
    assert (total["CT03"].achieved, total["CT03"].pending) == (None, D("90.00"))  # 9/10
    assert (total["CT03"].pending_numerator, total["CT03"].pending_denominator) == (D(9), D(10))
    assert (reports.pending, reports.approved, reports.on_time, reports.missing) == (1, 0, 1, 2)

    g1 = approve(g1, actor)
    total, reports = province()
    assert (total["CT01"].achieved, total["CT01"].pending) == (D(25), None)
    assert (reports.pending, reports.approved) == (0, 1)

    g2 = send(plan, tree.other_grassroots, actor, G2)
    total, reports = province()
    # The approved 9/10 = 90 % is achieved; G2's 50/100 = 50 % waits apart, not pooled into it.
    assert (total["CT01"].achieved, total["CT01"].pending) == (D(25), D(15))
    assert (total["CT03"].achieved, total["CT03"].pending) == (D("90.00"), D("50.00"))
    assert (reports.pending, reports.approved) == (1, 1)

    g2 = services.return_report(g2, actor=actor, comment="Thiếu danh sách đoàn viên mới kết nạp.")
    assert g2.status == Status.RETURNED
    total, reports = province()
    assert (total["CT01"].achieved, total["CT01"].pending) == (D(25), None)
    assert (total["CT03"].pending, total["CT04"].pending) == (None, None)
    assert (reports.pending, reports.approved, reports.returned, reports.missing) == (0, 1, 1, 1)

    # G2 corrects its figure and sends again: 18 now waits.
    round_ = plan.rounds.get(number=1)
    ct01 = plan.targets.get(code="CT01")
    data = services.ReportInput(entries={ct01.pk: services.Entry(value=D(18))})
    services.submit_report(
        services.save_report(plan, tree.other_grassroots, round_, actor=actor, data=data), actor=actor
    )
    total, reports = province()
    assert (total["CT01"].achieved, total["CT01"].pending) == (D(25), D(18))
    assert (reports.pending, reports.returned) == (1, 0)

    g1 = services.reopen_report(g1, actor=actor, reason="Số kết nạp tính trùng.")
    total, reports = province()
    # The reopened report leaves the achieved figures; only G2's 18 is left, still awaiting approval.
    assert (total["CT01"].achieved, total["CT01"].pending, total["CT01"].verdict) == (None, D(18), NONE)
    assert (total["CT03"].achieved, total["CT03"].numerator, total["CT03"].denominator) == (None, D(0), D(0))
    assert (reports.pending, reports.approved, reports.returned, reports.missing) == (1, 0, 1, 1)
    district = build(plan, tree.district, Filters(period=1))
    assert cells(rows(district)[tree.grassroots.pk])["CT01"].achieved is None
    assert rows(district)[tree.grassroots.pk].reports.returned == 1
    assert cells(rows(district)[tree.other_grassroots.pk])["CT01"].pending == D(18)


# 3. Completeness -------------------------------------------------------------------------------


def test_completeness_counts_on_time_late_returned_and_missing(tree, actor, plan):
    # A fourth grassroots union is founded under Đông Sơn: the totals are rebuilt for the new tree.
    g4 = organizations.create_organization(
        actor=actor,
        parent=tree.other_district,
        data={
            "code": "CDCS-HTX",
            "name": "Công đoàn cơ sở Hợp tác xã Đông Sơn",
            "kind": kind("cdcs"),
            "sector": "ngoai_nn",
        },
    )
    board = build(plan, tree.province, Filters(period=1))
    assert (board.total.reports.units, board.total.reports.missing) == (4, 4)

    approve(send(plan, tree.grassroots, actor, G1), actor)  # due in a month: on time
    today = timezone.localdate()
    plan.rounds.filter(number=1).update(report_due=today - datetime.timedelta(days=3))
    late = send(plan, tree.other_grassroots, actor, G2)  # three days after the due date
    assert late.late_days == 3
    returned = send(plan, tree.far_grassroots, actor, G3)
    services.return_report(returned, actor=actor, comment="Bổ sung minh chứng.")

    board = build(plan, tree.province, Filters(period=1))
    # 4 units: G1 approved on time, G2 late awaiting approval, G3 returned, G4 nothing → 4 − 2 sent − 1 returned.
    assert completeness(board.total.reports) == {
        "units": 4,
        "on_time": 1,
        "late": 1,
        "pending": 1,
        "approved": 1,
        "returned": 1,
        "missing": 1,
    }
    assert board.total.reports.sent_percent == D("50.0")  # 2 of 4
    # G2's figures wait; only G1's are achieved.
    assert (cells(board.total)["CT01"].achieved, cells(board.total)["CT01"].pending) == (D(25), D(15))
    wards = rows(board)
    assert completeness(wards[tree.district.pk].reports) == {
        "units": 2,
        "on_time": 1,
        "late": 1,
        "pending": 1,
        "approved": 1,
        "returned": 0,
        "missing": 0,
    }
    assert completeness(wards[tree.other_district.pk].reports) == {
        "units": 2,
        "on_time": 0,
        "late": 0,
        "pending": 0,
        "approved": 0,
        "returned": 1,
        "missing": 1,
    }

    ward = build(plan, tree.other_district, Filters(period=1))
    # Neither G3 (returned) nor G4 has a report sent now: both are listed to be reminded.
    assert sorted(u.code for u in ward.missing) == ["CDCS-HTX", "CDCS-THDS"]
    units = rows(ward)
    assert (units[g4.pk].reports.units, units[g4.pk].reports.missing) == (1, 1)
    assert (units[tree.far_grassroots.pk].reports.returned, units[tree.far_grassroots.pk].reports.missing) == (1, 0)
    district = build(plan, tree.district, Filters(period=1))
    assert district.missing == []
    assert rows(district)[tree.other_grassroots.pk].reports.late == 1
    assert rows(district)[tree.grassroots.pk].reports.on_time == 1


# 4. Running totals against a rebuild ----------------------------------------------------------


def progress_rows(plan):
    """Every total of the plan by its key, leaving out rows that a change brought back to zero."""
    found = {}
    for row in Progress.objects.filter(campaign=plan):
        measures = tuple(getattr(row, name) for name in progress.PROGRESS_MEASURES)
        assert all(m >= 0 for m in measures), row
        if any(measures):
            key = (row.unit_id, row.stage, row.period, row.code, row.sector, row.leaf_kind_id, row.state)
            found[key] = measures
    return found


def test_running_totals_equal_a_full_rebuild(tree, actor, plan):
    g1, g2, g3 = (
        send(plan, tree.grassroots, actor, G1),
        send(plan, tree.other_grassroots, actor, G2),
        send(plan, tree.far_grassroots, actor, G3),
    )
    g1 = approve(g1, actor)
    g2 = services.return_report(g2, actor=actor, comment="Kiểm tra lại CT03.")
    g3 = approve(g3, actor)
    services.reopen_report(g3, actor=actor, reason="Sai mẫu số CT03.")
    round_ = plan.rounds.get(number=1)
    ct03 = plan.targets.get(code="CT03")
    data = services.ReportInput(entries={ct03.pk: services.Entry(numerator=D(30), denominator=D(45))})
    g3, _sent = services.submit_report(
        services.save_report(plan, tree.far_grassroots, round_, actor=actor, data=data), actor=actor
    )
    approve(g3, actor)
    plan.rounds.filter(number=1).update(report_due=timezone.localdate() - datetime.timedelta(days=1))
    data = services.ReportInput(entries={ct03.pk: services.Entry(numerator=D(40), denominator=D(100))})
    g2, _sent = services.submit_report(
        services.save_report(plan, tree.other_grassroots, round_, actor=actor, data=data), actor=actor
    )
    approve(send(plan, tree.grassroots, actor, {"CT01": {"value": 10}}, number=2), actor)
    ct01 = plan.targets.get(code="CT01")
    pledges = registration_services.RegistrationInput(pledges={ct01.pk: (D(40), "")})
    registration = registration_services.save_registration(plan, tree.grassroots, actor=actor, data=pledges)
    registration, _sent = registration_services.submit_registration(registration, actor=actor)
    registration = registration_services.approve_registration(registration, actor=actor)
    registration_services.reopen_registration(registration, actor=actor, reason="Đăng ký lại")
    registration = registration_services.save_registration(
        plan,
        tree.other_grassroots,
        actor=actor,
        data=registration_services.RegistrationInput(pledges={ct01.pk: (D(30), "")}),
    )
    registration_services.submit_registration(registration, actor=actor)
    assert Report.objects.filter(campaign=plan).count() == 4
    assert Registration.objects.filter(campaign=plan, status=Status.RETURNED).count() == 1

    running = progress_rows(plan)
    cdcs = tree.grassroots.kind_id
    # Spot checks: G1 approved 25 in round 1 (ngoai_nn); G2's 40/100 waits, sent one day late.
    assert running[(tree.province.pk, "p", 1, "CT01", "ngoai_nn", cdcs, "approved")][0] == D(25)
    assert running[(tree.province.pk, "p", 1, "CT03", "hcsn", cdcs, "approved")][1:3] == (D(30), D(45))
    assert running[(tree.district.pk, "p", 1, "CT03", "fdi", cdcs, "submitted")][1:3] == (D(40), D(100))
    assert running[(tree.tld.pk, "p", 1, "", "fdi", cdcs, "submitted")][5:] == (1, 1)  # entries, late
    assert running[(tree.district.pk, "r", 0, "", "ngoai_nn", cdcs, "returned")][5] == 1
    assert running[(tree.province.pk, "u", 0, "", "hcsn", cdcs, "units")][5] == 1

    progress.rebuild(plan)
    assert progress_rows(plan) == running


# 4b. Changes of the tree ------------------------------------------------------------------------


def test_a_unit_moved_within_the_plan_takes_its_figures_along(tree, actor, plan):
    send_all(plan, tree, actor)
    organizations.move_organization(
        tree.other_grassroots, actor=actor, new_parent=tree.other_district, effective_on=timezone.localdate()
    )
    board = build(plan, tree.province, Filters(period=1))
    wards = rows(board)
    # Xuân Hòa keeps G1 (25); Đông Sơn now has G2 and G3: 15 + 20 = 35, (50 + 30) / (100 + 40) = 80/140 = 57,14 %.
    assert (cells(wards[tree.district.pk])["CT01"].achieved, wards[tree.district.pk].reports.units) == (D(25), 1)
    other = cells(wards[tree.other_district.pk])
    assert (other["CT01"].achieved, other["CT03"].achieved) == (D(35), D("57.14"))
    assert wards[tree.other_district.pk].reports.approved == 2
    assert cells(board.total)["CT01"].achieved == D(60)  # the province is unchanged: 25 + 15 + 20
    running = progress_rows(plan)
    progress.rebuild(plan)
    assert progress_rows(plan) == running


def test_a_unit_moved_to_another_province_leaves_the_plan(tree, actor, plan):
    superuser = make_user("quantri.hethong", full_name="Quản Trị Hệ Thống", is_superuser=True)
    organizations.move_organization(
        tree.other_grassroots, actor=superuser, new_parent=tree.other_province, effective_on=timezone.localdate()
    )
    board = build(plan, tree.province, Filters(period=1))
    # G1 and G3 are left: 2 units taking part, both yet to send; under Xuân Hòa, G1 alone.
    assert (board.total.reports.units, board.total.reports.missing) == (2, 2)
    assert rows(board)[tree.district.pk].reports.units == 1


def test_a_unit_that_changes_sector_is_counted_under_its_new_sector(tree, actor, plan):
    g1 = approve(send(plan, tree.grassroots, actor, G1), actor)
    unit = Organization.objects.get(pk=tree.grassroots.pk)
    organizations.update_organization(unit, actor=actor, data={"sector": "fdi"}, expected_version=unit.version)
    services.reopen_report(g1, actor=actor, reason="Cập nhật loại hình doanh nghiệp.")

    fdi = build(plan, tree.province, Filters(period=1, sector="fdi"))
    # G1 and G2 are now foreign-invested; G1's report is reopened, G2 has sent nothing.
    assert cells(fdi.total)["CT01"].achieved is None  # shows -25
    assert completeness(fdi.total.reports) == {
        "units": 2,  # shows 1
        "on_time": 0,  # shows -1
        "late": 0,
        "pending": 0,
        "approved": 0,  # shows -1
        "returned": 1,
        "missing": 1,
    }
    non_state = build(plan, tree.province, Filters(period=1, sector="ngoai_nn"))
    assert (non_state.total.reports.units, cells(non_state.total)["CT01"].achieved) == (0, None)  # shows 1 and 25
    running = progress_rows(plan)
    progress.rebuild(plan)
    assert progress_rows(plan) == running


# 5. Filters ------------------------------------------------------------------------------------


def test_the_sector_filter_keeps_the_leaves_of_that_sector(tree, actor, plan):
    send_all(plan, tree, actor)

    board = build(plan, tree.province, Filters(period=1, sector="fdi"))
    total = cells(board.total)
    # G2 alone: 15 members, 50/100 = 50 %, answered no to CT04.
    assert (total["CT01"].achieved, total["CT02"].achieved) == (D(15), D(40_000_000))
    assert (total["CT03"].numerator, total["CT03"].denominator, total["CT03"].achieved) == (D(50), D(100), D("50.00"))
    assert (total["CT04"].numerator, total["CT04"].denominator) == (D(0), D(1))
    assert (board.total.reports.units, board.total.reports.approved) == (1, 1)
    wards = rows(board)
    # The wards stay as rows; Đông Sơn has no foreign-invested union.
    assert cells(wards[tree.district.pk])["CT01"].achieved == D(15)
    assert cells(wards[tree.other_district.pk])["CT01"].achieved is None
    assert wards[tree.other_district.pk].reports.units == 0

    district = build(plan, tree.district, Filters(period=1, sector="ngoai_nn"))
    assert list(rows(district)) == [tree.grassroots.pk]
    assert cells(district.total)["CT01"].achieved == D(25)
    assert cells(district.total)["CT03"].achieved == D("90.00")  # 9/10

    # A state-sector filter at the district: nothing matches.
    empty = build(plan, tree.district, Filters(period=1, sector="dnnn"))
    assert empty.rows == [] and cells(empty.total)["CT01"].achieved is None
    assert (empty.total.reports.units, empty.total.score) == (0, None)


def test_the_group_filter_keeps_the_targets_of_that_group(tree, actor, plan):
    send_all(plan, tree, actor)
    activities = plan.target_groups.get(title="Chỉ tiêu về hoạt động")

    board = build(plan, tree.province, Filters(period=1, group=activities.pk))
    assert [t.code for t in board.targets] == ["CT03", "CT04", "CT05", "CT06"]
    assert [c.target.code for c in board.total.cells] == ["CT03", "CT04", "CT05", "CT06"]
    assert all([c.target.code for c in row.cells] == ["CT03", "CT04", "CT05", "CT06"] for row in board.rows)
    # Score over these four only: (84,76 + 66,67 + 66,67 + 80) / 4 = 74,525 → 74,5; none on track.
    assert (board.total.score, board.total.met_share) == (D("74.5"), D("0.0"))
    assert cells(board.total)["CT03"].achieved == D("59.33")  # 89/150, as without the filter


def test_the_cluster_filter_shows_the_members_as_rows(tree, actor, plan):
    send_all(plan, tree, actor)
    cluster = make_cluster(
        tree.province,
        name="Cụm thi đua các doanh nghiệp và trường học",
        level=4,
        members=[tree.grassroots, tree.far_grassroots, tree.foreign_grassroots],
    )
    # G2 was a member last year only.
    ClusterMember.objects.create(cluster=cluster, organization=tree.other_grassroots, year=2025)

    board = build(plan, tree.province, Filters(period=1, cluster=cluster))
    # Only this year's members inside the province: G1 and G3 (Bắc Sơn's union is outside).
    assert set(rows(board)) == {tree.grassroots.pk, tree.far_grassroots.pk}
    assert all(row.is_leaf for row in board.rows)
    total = cells(board.total)
    # Count: 25 + 20 = 45 of their shares 40 + 50 = 90 → 0,5 ≥ 0,496 → on track.
    assert (total["CT01"].achieved, total["CT01"].plan, total["CT01"].share, total["CT01"].verdict) == (
        D(45),
        D(90),
        D("0.5"),
        ON,
    )
    # Percentage pooled: (9 + 30) / (10 + 40) = 39/50 = 78 % of the plan's 70 % → 1,1143 → on track.
    assert (total["CT03"].numerator, total["CT03"].denominator, total["CT03"].achieved) == (D(39), D(50), D("78.00"))
    assert (total["CT03"].plan, total["CT03"].share, total["CT03"].verdict) == (D(70), D("1.1143"), ON)
    # Coverage: both said yes → 100 %.
    assert (total["CT04"].numerator, total["CT04"].denominator, total["CT04"].verdict) == (D(2), D(2), ON)
    # No share of the money target was given to these units: no plan, no verdict.
    assert (total["CT02"].achieved, total["CT02"].plan, total["CT02"].verdict) == (D(80_000_000), None, NONE)
    assert (board.total.reports.units, board.total.reports.approved) == (2, 2)
    assert board.clusters == []

    # Without the filter, a cluster of the two wards is ranked with their pooled figures.
    wards = make_cluster(
        tree.province, name="Cụm thi đua phường", level=3, members=[tree.district, tree.other_district]
    )
    board = build(plan, tree.province, Filters(period=1))
    assert [row.cluster for row in board.clusters] == [wards]
    pooled = cells(board.clusters[0])
    # 40 + 20 = 60 of 70 + 50 = 120 → 0,5 → on track; 89/150 = 59,33 %.
    assert (pooled["CT01"].achieved, pooled["CT01"].plan, pooled["CT01"].verdict) == (D(60), D(120), ON)
    assert (pooled["CT03"].numerator, pooled["CT03"].denominator, pooled["CT03"].achieved) == (
        D(89),
        D(150),
        D("59.33"),
    )
    assert board.clusters[0].size == 2


# 6. A family of plans ---------------------------------------------------------------------------


NATIONAL_TARGETS = [
    group(
        "1.",
        "Chỉ tiêu của Tổng Liên đoàn",
        [
            target(
                "CT01", "count", "Kết nạp mới 1.000 đoàn viên", 1000, allocations=[("LDLD-AP", 150), ("LDLD-BS", 300)]
            ),
            target("CT03", "percentage", "75% đoàn viên được tuyên truyền pháp luật", 75),
            target("CT08", "count", "Giới thiệu 50 đoàn viên ưu tú cho Đảng xem xét kết nạp", 50),
        ],
    )
]


def test_a_family_of_plans_adds_up_by_target_code(tree, actor):
    national_staff = make_user("tld.quantri", full_name="Bùi Văn Trung Ương")
    make_membership(national_staff, tree.tld, "staff")
    national = publish(tree.tld, national_staff, number=1, targets=NATIONAL_TARGETS)
    plan = publish(tree.province, actor, number=7, targets=PROVINCE_TARGETS, parent=national)
    send_all(plan, tree, actor)
    approve(
        send(
            national,
            tree.foreign_grassroots,
            national_staff,
            {"CT01": {"value": 10}, "CT03": {"numerator": 10, "denominator": 20}, "CT08": {"value": 4}},
        ),
        national_staff,
    )

    board = build(national, tree.tld, Filters(period=1))
    assert board.leaf_campaign == national
    assert [c.target.code for c in board.total.cells] == ["CT01", "CT03", "CT08"]
    below = rows(board)
    assert set(below) == {tree.province.pk, tree.other_province.pk}
    province = cells(below[tree.province.pk])
    # The province's own plan answers: 60 achieved (25 + 15 + 20) of its 120 (not the 150 given to it).
    assert (province["CT01"].achieved, province["CT01"].plan, province["CT01"].share, province["CT01"].verdict) == (
        D(60),
        D(120),
        D("0.5"),
        ON,
    )
    # Its percentage against its own 70 %: 89/150 = 59,33 % → 0,8476 → at risk.
    assert (province["CT03"].achieved, province["CT03"].plan, province["CT03"].verdict) == (D("59.33"), D(70), RISK)
    assert (province["CT08"].achieved, province["CT08"].verdict) == (None, NONE)  # not in the province's plan
    assert (below[tree.province.pk].reports.units, below[tree.province.pk].reports.approved) == (3, 3)
    other = cells(below[tree.other_province.pk])
    # Bắc Sơn answers the national plan directly: 10 of the 300 given → 0,0333 → off track; 10/20 = 50 % of 75 %.
    assert (other["CT01"].achieved, other["CT01"].plan, other["CT01"].share, other["CT01"].verdict) == (
        D(10),
        D(300),
        D("0.0333"),
        OFF,
    )
    assert (other["CT03"].achieved, other["CT03"].plan, other["CT03"].share) == (D("50.00"), D(75), D("0.6667"))
    assert (other["CT08"].achieved, other["CT08"].plan) == (D(4), None)

    total = cells(board.total)
    # The whole country: 60 + 10 = 70 of 1.000 (150 + 300 given out); (89 + 10) / (150 + 20) = 99/170 = 58,24 %.
    assert (total["CT01"].achieved, total["CT01"].plan, total["CT01"].allocated) == (D(70), D(1000), D(450))
    assert (total["CT03"].numerator, total["CT03"].denominator, total["CT03"].achieved) == (D(99), D(170), D("58.24"))
    assert (total["CT08"].achieved, total["CT08"].plan, total["CT08"].share) == (D(4), D(50), D("0.08"))
    # The province's units count under its plan once, not again under the national one: 3 + 1.
    assert (board.total.reports.units, board.total.reports.approved, board.total.reports.missing) == (4, 4, 0)

    # Drilling into the province on the national plan reads the province's plan.
    drilled = build(national, tree.province, Filters(period=1))
    assert drilled.leaf_campaign == plan
    assert (cells(drilled.total)["CT01"].achieved, cells(drilled.total)["CT01"].plan) == (D(60), D(120))
    assert set(rows(drilled)) == {tree.district.pk, tree.other_district.pk}


# 7. Queries do not grow with the tree -----------------------------------------------------------


def field(page, name):
    """The first ``data-field`` value on the page."""
    return re.search(rf'data-field="{name}">([^<]*)<', page).group(1).strip()


def target_row(page, code):
    """The cells of one target's line in the table of progress against plan."""
    return re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S).group(1)


# Measured: 32 queries for the province page and 38 for the ward's, the same with 3 grassroots unions
# as with 63; a margin of 3 on top.
PROVINCE_QUERIES = 35
DISTRICT_QUERIES = 41


def test_the_dashboard_reads_a_fixed_number_of_queries(
    client, tree, personas, actor, plan, django_assert_max_num_queries
):
    send_all(plan, tree, actor)
    client.force_login(personas.province_staff)
    url = reverse("dashboards:campaign", args=[plan.pk])

    def page(unit, bound):
        with django_assert_max_num_queries(bound):
            response = client.get(url, {"unit": unit.pk, "round": 1})
        assert response.status_code == 200
        return response.content.decode()

    small = page(tree.province, PROVINCE_QUERIES)
    assert (field(small, "units"), field(small, "on_time"), field(small, "missing")) == ("3", "3", "0")
    # 60 of 120 = 50 % (shown without a trailing ,0); 89/150 = 59,33 % → 59,3 %; 59,33 / 70 = 84,8 %.
    assert (field(target_row(small, "CT01"), "achieved"), field(target_row(small, "CT01"), "share")) == ("60", "50,0%")
    assert (field(target_row(small, "CT03"), "achieved"), field(target_row(small, "CT03"), "share")) == (
        "89/150 = 59,3%",
        "84,8%",
    )
    assert field(target_row(small, "CT04"), "achieved") == "2/3 đơn vị = 66,7%"
    assert "Đúng tiến độ" in target_row(small, "CT01") and "Có nguy cơ chậm" in target_row(small, "CT03")
    assert "Chậm tiến độ" in target_row(small, "CT04")
    assert field(small, "score") == "86,5"
    assert page(tree.district, DISTRICT_QUERIES).count('<tr data-unit="') == 2  # G1 and G2

    # Sixty more grassroots unions, thirty under each ward, each with 1 new member and 1/2 approved.
    round_ = plan.rounds.get(number=1)
    ct01, ct03 = plan.targets.get(code="CT01"), plan.targets.get(code="CT03")
    for index in range(60):
        ward = tree.district if index < 30 else tree.other_district
        unit = make_organization(f"Công đoàn cơ sở Doanh nghiệp số {index + 1:02d}", parent=ward, sector="ngoai_nn")
        report = Report.objects.create(
            campaign=plan, organization=unit, round=round_, status=Status.APPROVED, late_days=0
        )
        ReportValue.objects.bulk_create(
            [
                ReportValue(report=report, target=ct01, value=1),
                ReportValue(report=report, target=ct03, numerator=1, denominator=2),
            ]
        )
    progress.rebuild(plan)  # what the tree-change task does

    large = page(tree.province, PROVINCE_QUERIES)
    # 3 + 60 units; 60 + 60 = 120 of 120 → 100 %; (89 + 60) / (150 + 120) = 149/270 = 55,2 %.
    assert (field(large, "units"), field(large, "on_time"), field(large, "missing")) == ("63", "63", "0")
    assert (field(target_row(large, "CT01"), "achieved"), field(target_row(large, "CT01"), "share")) == (
        "120",
        "100,0%",
    )
    assert field(target_row(large, "CT03"), "achieved") == "149/270 = 55,2%"
    district = page(tree.district, DISTRICT_QUERIES)
    # The ward: G1, G2 and 30 new unions, each its own row.
    assert district.count('<tr data-unit="') == 32
    assert (field(district, "units"), field(district, "on_time")) == ("32", "32")
    assert field(target_row(district, "CT01"), "achieved") == "70"  # 25 + 15 + 30
