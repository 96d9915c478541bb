"""Fifty people acting on the same report or allocation table at the same moment (PostgreSQL only).

Every workflow step locks the report row and checks its state or version, so whatever the
interleaving exactly one of them wins, the others are told why, the history records one
step and the dashboard totals count the report once. Saves opened on the same version
keep one; people who read again and retry all get theirs in, and nothing is written twice.

Each test runs several bursts one after the other on the same data: a test that threads
need is a transactional one, and emptying the database after it costs seconds on PostgreSQL.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.exceptions import ConflictError, DomainError
from dashboards import progress
from dashboards.models import ALL_KINDS, ALL_SECTORS, Progress, Stage
from reports.models import Action, Event, Report, ReportValue, Status
from reports.services import reports as services
from targets.models import Allocation, AllocationSheet
from targets.services import save_allocation
from tests.concurrency import THREADS, burst, report
from tests.factories import make_membership, make_organization, make_user

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]

MEASURES = ("total", "numerator", "denominator", "yes", "answered", "entries", "late")
NOT_AWAITING_APPROVAL = "Chỉ duyệt được nội dung đang chờ duyệt."
NOT_AWAITING_RETURN = "Chỉ trả lại được nội dung đang chờ duyệt."
LOCKED = "Báo cáo đã gửi hoặc đã duyệt; không thể sửa nữa."
CONFLICT = "đã lưu nội dung này trong lúc bạn đang sửa"
ALLOCATION_CONFLICT = "đã lưu bảng giao chỉ tiêu trong lúc bạn đang sửa"


def write(plan, unit, round_, actor, ct01, value, version=None):
    data = services.ReportInput(entries={ct01.pk: services.Entry(value=Decimal(value))})
    return services.save_report(plan, unit, round_, actor=actor, data=data, expected_version=version)


@pytest.fixture
def reviewers(tree, personas, district_people):
    """Five people allowed to review the district's units: three of the district, two of the province."""
    extra = []
    for n in range(2):
        user = make_user(f"phuong.duyet{n}", full_name=f"Người duyệt {n}")
        make_membership(user, tree.district, "approver")
        extra.append(user)
    province = make_user("tinh.duyet", full_name="Người duyệt tỉnh")
    make_membership(province, tree.province, "approver")
    return [district_people.leader, *extra, personas.leader_viewer, province]


def progress_rows(plan):
    rows = Progress.objects.filter(campaign=plan).values_list(
        "unit_id", "stage", "period", "code", "sector", "leaf_kind_id", "state", *MEASURES
    )
    # A -1 upsert leaves a row of zeros behind where a rebuild writes nothing: the same totals.
    return sorted(row for row in rows if any(row[7:]))


def assert_totals(plan, tree, expected):
    """Reports and the sum of their CT01 by state, above the grassroots, for round 1; and the
    running totals (kept by +1/-1 at each step) equal to a recount from the reports."""
    for unit in (tree.district, tree.province):
        rows = Progress.objects.filter(
            campaign=plan, unit=unit, stage=Stage.REPORT, period=1, sector=ALL_SECTORS, leaf_kind_id=ALL_KINDS
        )
        found = {}
        for state in (Status.SUBMITTED, Status.APPROVED, Status.RETURNED):
            reports = rows.filter(state=state, code="").values_list("entries", flat=True).first() or 0
            ct01 = rows.filter(state=state, code="CT01").values_list("total", flat=True).first() or 0
            found[state] = (reports, ct01)
        assert found == {state: expected.get(state, (0, 0)) for state in found}, unit
    kept = progress_rows(plan)
    progress.rebuild(plan)
    assert kept == progress_rows(plan)


def submit_fifty(record_property, draft, actor, key, scenario):
    """50 submits of one draft; sending twice is not an error: the later ones get sent=False."""
    version = draft.version
    outcome = burst(lambda i: services.submit_report(draft, actor=actor, request_key=key(i)))
    assert outcome.unexpected() == []
    sent = [i for i, (_report, now) in enumerate(outcome.results) if now]
    report(record_property, outcome, scenario, ok=len(sent), conflicts=THREADS - len(sent))
    assert len(sent) == 1
    stored = Report.objects.get(pk=draft.pk)
    assert (stored.status, stored.version, stored.submitted_by) == (Status.SUBMITTED, version + 1, actor)
    assert stored.last_request == key(sent[0])
    assert list(Event.objects.filter(report=draft).values_list("action", flat=True)) == [Action.SUBMITTED]
    assert Report.objects.filter(campaign=draft.campaign, organization=draft.organization).count() == 1
    assert ReportValue.objects.filter(report=draft).count() == 1
    return stored


def test_fifty_submits_then_fifty_reviews_of_one_report_act_once(
    record_property, tree, personas, plan, targets, round_one, reviewers
):
    ct01 = targets["CT01"]
    may = write(plan, tree.grassroots, round_one, personas.g1_officer, ct01, 12)
    giay = write(plan, tree.other_grassroots, round_one, personas.other_grassroots_chair, ct01, 7)

    # The same form sent 50 times (one request key).
    submit_fifty(record_property, may, personas.g1_officer, lambda i: "same-form", "submit, one form sent 50 times")
    assert_totals(plan, tree, {Status.SUBMITTED: (1, 12)})

    # 50 approvals of it.
    version = may.version + 1
    outcome = burst(lambda i: services.approve_report(may, actor=reviewers[i % len(reviewers)], comment=f"Duyệt {i}"))
    refused = outcome.raised(DomainError)
    report(record_property, outcome, "approve", ok=len(outcome.ok()), conflicts=len(refused), expected=(DomainError,))
    assert outcome.unexpected(DomainError) == []
    assert len(outcome.ok()) == 1 and len(refused) == THREADS - 1
    assert {str(outcome.errors[i]) for i in refused} == {NOT_AWAITING_APPROVAL}
    [winner] = outcome.ok()
    stored = Report.objects.get(pk=may.pk)
    assert (stored.status, stored.version) == (Status.APPROVED, version + 1)
    assert (stored.reviewed_by, stored.review_comment) == (reviewers[winner % len(reviewers)], f"Duyệt {winner}")
    steps = [(e.action, e.actor, e.comment) for e in Event.objects.filter(report=may)]
    assert steps[1:] == [(Action.APPROVED, stored.reviewed_by, f"Duyệt {winner}")]
    # Counted once as approved (not 50 times), and no longer as awaiting approval.
    assert_totals(plan, tree, {Status.APPROVED: (1, 12)})

    # 50 tabs sending the other unit's draft (50 request keys).
    giay = submit_fifty(record_property, giay, personas.other_grassroots_chair, lambda i: f"tab-{i}", "submit, 50 tabs")
    assert_totals(plan, tree, {Status.APPROVED: (1, 12), Status.SUBMITTED: (1, 7)})

    # 25 approvals against 25 returns of it.
    def review(i):
        actor = reviewers[i % len(reviewers)]
        if i % 2:
            return services.return_report(giay, actor=actor, comment=f"Trả lại {i}")
        return services.approve_report(giay, actor=actor, comment=f"Duyệt {i}")

    outcome = burst(review)
    refused = outcome.raised(DomainError)
    report(
        record_property,
        outcome,
        "approve vs return",
        ok=len(outcome.ok()),
        conflicts=len(refused),
        expected=(DomainError,),
    )
    assert outcome.unexpected(DomainError) == []
    assert len(outcome.ok()) == 1 and len(refused) == THREADS - 1
    for i in refused:
        assert str(outcome.errors[i]) == (NOT_AWAITING_RETURN if i % 2 else NOT_AWAITING_APPROVAL)
    [winner] = outcome.ok()
    if winner % 2:
        state, action, comment = Status.RETURNED, Action.RETURNED, f"Trả lại {winner}"
        expected = {Status.APPROVED: (1, 12), Status.RETURNED: (1, 0)}  # a returned report's figures do not count
    else:
        state, action, comment = Status.APPROVED, Action.APPROVED, f"Duyệt {winner}"
        expected = {Status.APPROVED: (2, 19)}
    stored = Report.objects.get(pk=giay.pk)
    assert (stored.status, stored.version, stored.review_comment) == (state, giay.version + 1, comment)
    assert list(Event.objects.filter(report=giay).values_list("action", "comment"))[1:] == [(action, comment)]
    assert_totals(plan, tree, expected)


def add_with_retries(read, save):
    """A person who adds 1, and on a conflict reads again and retries; returns the attempts."""

    def add_one(i):
        for attempt in range(1, 20 * THREADS):
            version, figure = read(i)
            try:
                save(i, figure + 1, version)
            except ConflictError:
                continue
            return attempt
        raise AssertionError("never got through")

    return add_one


def test_fifty_edits_lose_nothing_and_fifty_tabs_send_once(
    record_property, tree, personas, plan, targets, round_one, district_people
):
    ct01 = targets["CT01"]
    draft = write(plan, tree.grassroots, round_one, personas.g1_officer, ct01, 12)
    value = ReportValue.objects.get(report=draft, target=ct01)
    history = value.history.count()

    # 50 saves of the report opened on the same version, each with its own figure: one is kept.
    version = draft.version
    outcome = burst(
        lambda i: write(plan, tree.grassroots, round_one, personas.g1_officer, ct01, 100 + i, version=version)
    )
    conflicts = outcome.raised(ConflictError)
    report(
        record_property,
        outcome,
        "save, same version",
        ok=len(outcome.ok()),
        conflicts=len(conflicts),
        expected=(ConflictError,),
    )
    assert outcome.unexpected(ConflictError) == []
    assert len(outcome.ok()) == 1 and len(conflicts) == THREADS - 1
    assert all(CONFLICT in str(outcome.errors[i]) for i in conflicts)
    [winner] = outcome.ok()
    assert Report.objects.get(pk=draft.pk).version == version + 1
    assert list(ReportValue.objects.filter(report=draft).values_list("pk", "value")) == [
        (value.pk, Decimal(100 + winner))
    ]
    assert value.history.count() == history + 1

    # 50 people each adding 1 to the figure, reading again after a conflict: all 50 count.
    start, version = Decimal(100 + winner), version + 1

    def read_report(i):
        # One statement, so the version and the figure come from the same committed state.
        return Report.objects.filter(pk=draft.pk, values__target=ct01).values_list("version", "values__value").get()

    def save_report(i, figure, seen):
        write(plan, tree.grassroots, round_one, personas.g1_officer, ct01, figure, version=seen)

    outcome = burst(add_with_retries(read_report, save_report))
    retries = sum(outcome.results[i] - 1 for i in outcome.ok())
    report(record_property, outcome, "save +1 with retries", ok=len(outcome.ok()), conflicts=retries)
    assert outcome.unexpected() == []
    assert ReportValue.objects.get(pk=value.pk).value == start + THREADS
    assert Report.objects.get(pk=draft.pk).version == version + THREADS
    assert ReportValue.objects.filter(report=draft).count() == 1
    assert value.history.count() == history + 1 + THREADS

    # 50 saves of the district's allocation table from the same version: one is kept.
    sheet = AllocationSheet.objects.get(campaign=plan, organization=tree.district)
    shares = Allocation.objects.filter(target=ct01, organization=tree.grassroots)
    history = Allocation.history.filter(target=ct01, organization=tree.grassroots).count()
    outcome = burst(
        lambda i: save_allocation(
            plan,
            tree.district,
            actor=district_people.staff,
            values={(tree.grassroots.pk, ct01.pk): Decimal(60 + i)},
            expected_version=sheet.version,
        )
    )
    conflicts = outcome.raised(ConflictError)
    ok = len(outcome.ok())
    report(
        record_property, outcome, "allocation, same version", ok=ok, conflicts=len(conflicts), expected=(ConflictError,)
    )
    assert outcome.unexpected(ConflictError) == []
    assert ok == 1 and len(conflicts) == THREADS - 1
    assert all(ALLOCATION_CONFLICT in str(outcome.errors[i]) for i in conflicts)
    [winner] = outcome.ok()
    assert outcome.results[winner] == 1  # one share changed
    assert AllocationSheet.objects.get(pk=sheet.pk).version == sheet.version + 1
    assert list(shares.values_list("value", flat=True)) == [Decimal(60 + winner)]
    assert Allocation.history.filter(target=ct01, organization=tree.grassroots).count() == history + 1

    # Đông Sơn splits its share for the first time (no sheet, no share yet) among five units:
    # 50 people each add 1 to one unit's share, reading again after a conflict.
    staff = make_user("dongson.quantri", full_name="Đỗ Văn Sơn")
    make_membership(staff, tree.other_district, "staff")
    units = [tree.far_grassroots]
    units += [make_organization(f"Công đoàn cơ sở số {n}", parent=tree.other_district, sector="fdi") for n in range(4)]
    assert not AllocationSheet.objects.filter(campaign=plan, organization=tree.other_district).exists()
    progress.rebuild(plan)  # the factory adds units without the service that recounts the totals

    def read_allocation(i):
        # The version first: a share read after it is at least as new, and a newer share
        # comes with a newer version, which the save then refuses.
        seen = AllocationSheet.objects.filter(campaign=plan, organization=tree.other_district)
        seen = seen.values_list("version", flat=True).first() or 0  # not created yet: version 0, as the page shows
        share = Allocation.objects.filter(target=ct01, organization=units[i % len(units)])
        return seen, share.values_list("value", flat=True).first() or 0

    def save_share(i, share, seen):
        values = {(units[i % len(units)].pk, ct01.pk): share}
        save_allocation(plan, tree.other_district, actor=staff, values=values, expected_version=seen)

    outcome = burst(add_with_retries(read_allocation, save_share))
    retries = sum(outcome.results[i] - 1 for i in outcome.ok())
    report(record_property, outcome, "allocation +1 with retries", ok=len(outcome.ok()), conflicts=retries)
    assert outcome.unexpected() == []  # no unique violation, no deadlock
    shares = Allocation.objects.filter(target=ct01, organization__in=units)
    assert sorted(shares.values_list("organization_id", "value")) == sorted(
        (unit.pk, Decimal(THREADS // len(units))) for unit in units
    )
    assert sum(shares.values_list("value", flat=True)) == THREADS
    assert AllocationSheet.objects.get(campaign=plan, organization=tree.other_district).version == THREADS
    written = Allocation.history.filter(target=ct01, organization__in=units)
    assert written.count() == THREADS  # one history row per successful save
    assert written.filter(history_type="+").count() == len(units)
    assert set(written.values_list("history_user", flat=True)) == {staff.pk}

    # Through the whole HTTP stack: 50 tabs of one browser, opened on the same version, press "Send".
    version = version + THREADS
    url = reverse("reports:report_detail", args=[plan.pk, tree.grassroots.pk, "1"])
    browser = Client()
    browser.force_login(personas.g1_officer)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    tabs = [Client() for _n in range(THREADS)]
    for tab in tabs:
        tab.cookies.load({settings.SESSION_COOKIE_NAME: session})

    def send(i):
        data = {"version": version, "action": "submit", "request_key": f"tab-{i}", f"v_{ct01.pk}": str(500 + i)}
        response = tabs[i].post(url, {**data, "highlights": "", "shortcomings": "", "proposals": ""})
        return response.status_code, [str(m) for m in response.wsgi_request._messages]

    outcome = burst(send)
    assert outcome.unexpected() == []  # the test client raises a server error in the thread: none here
    redirected = [i for i, (status, _m) in enumerate(outcome.results) if status == 302]
    refused = [i for i, (status, _m) in enumerate(outcome.results) if status == 200]
    report(
        record_property,
        outcome,
        "HTTP submit, 50 tabs",
        ok=len(redirected),
        conflicts=len(refused),
    )
    assert len(redirected) == 1 and len(refused) == THREADS - 1
    [winner] = redirected
    stored = Report.objects.get(pk=draft.pk)
    assert (stored.status, stored.version, stored.last_request) == (Status.SUBMITTED, version + 2, f"tab-{winner}")
    sent = (
        f"Đã gửi báo cáo tới {tree.district}, chậm {stored.late_days} ngày so với hạn."
        if stored.late_days
        else f"Đã gửi báo cáo tới {tree.district} để duyệt."
    )
    assert outcome.results[winner][1] == [sent]
    for i in refused:
        [message] = outcome.results[i][1]
        assert CONFLICT in message or message == LOCKED, message
    assert ReportValue.objects.get(pk=value.pk).value == Decimal(500 + winner)
    assert list(Event.objects.filter(report=draft).values_list("action", flat=True)) == [Action.SUBMITTED]
    assert_totals(plan, tree, {Status.SUBMITTED: (1, 500 + winner)})
