"""axe-core on every kind of page: no WCAG 2 A/AA violations, in both layouts."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from awards.models import Rating
from campaigns.models import Clause
from core.audit import save_as
from dashboards.models import Export, ExportStatus
from organizations.services import update_organization
from reports.services import reports as report_services
from tests.awards.factories import (
    make_council,
    make_decision,
    make_evidence,
    make_meeting,
    make_nomination,
    make_person,
)
from tests.factories import make_cluster, make_membership, make_user

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def violations(page):
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.fixture
def axe_page(browser, live_server):
    # axe is injected as an inline script, which the portal's CSP rightly forbids.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


def sign_in(page, username):
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-12345")
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_signed_out_pages(axe_page, tree):
    for url in [reverse("accounts:login"), reverse("accounts:password_reset"), reverse("documents:verify")]:
        axe_page.goto(url)
        assert violations(axe_page) == [], url


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_signed_in_pages(axe_page, tree, personas, published_plan, width):
    cluster = make_cluster(tree.province, members=[tree.district, tree.other_district])
    plan = published_plan.pk
    group = published_plan.target_groups.first().pk
    section = published_plan.sections.first().pk
    first_round = published_plan.rounds.first().pk
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, "tinh.quantri")
    urls = [
        reverse("core:home"),
        reverse("organizations:organization_list"),
        reverse("organizations:organization_list") + "?q=xuan",
        reverse("organizations:organization_detail", args=[tree.district.pk]),
        reverse("organizations:organization_create", args=[tree.district.pk]),
        reverse("organizations:organization_merge", args=[tree.grassroots.pk]),
        reverse("organizations:organization_import", args=[tree.district.pk]),
        reverse("organizations:organization_history", args=[tree.district.pk]),
        reverse("organizations:cluster_list"),
        reverse("organizations:cluster_detail", args=[cluster.pk]),
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[personas.g1_officer.pk]),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_create"),
        reverse("campaigns:campaign_import"),
        reverse("campaigns:campaign_detail", args=[plan]),
        reverse("campaigns:campaign_detail", args=[plan]) + "?tab=document",
        reverse("campaigns:campaign_update", args=[plan]),
        reverse("campaigns:legal_basis_list", args=[plan]),
        reverse("campaigns:theme_list", args=[plan]),
        reverse("campaigns:section_list", args=[plan]),
        reverse("campaigns:section_update", args=[plan, section]),
        reverse("campaigns:round_list", args=[plan]),
        reverse("campaigns:commemoration_list", args=[plan, first_round]),
        reverse("campaigns:target_group_list", args=[plan]),
        reverse("campaigns:target_group_update", args=[plan, group]),
        reverse("campaigns:task_list", args=[plan]),
        reverse("campaigns:deadline_list", args=[plan]),
        reverse("campaigns:recipient_list", args=[plan]),
        reverse("campaigns:campaign_amend", args=[plan]),
        reverse("campaigns:campaign_clone", args=[plan]),
        reverse("campaigns:campaign_sign", args=[plan]),
        reverse("campaigns:campaign_version", args=[plan, 1]),
        reverse("targets:allocation", args=[plan, tree.province.pk]),
        reverse("documents:issuer_list", args=[tree.province.pk]),
        reverse("documents:issuer_create", args=[tree.province.pk]),
        reverse("documents:issuer_update", args=[published_plan.issuer_id]),
        reverse("documents:certificate_upload", args=[tree.province.pk]),
        reverse("reports:registration_detail", args=[plan, tree.grassroots.pk]),
        reverse("reports:report_detail", args=[plan, tree.grassroots.pk, "1"]),
        reverse("reports:report_detail", args=[plan, tree.district.pk, "year"]),
        reverse("reports:registration_board", args=[plan, tree.province.pk]),
        reverse("reports:report_board", args=[plan, tree.province.pk, "1"]),
        reverse("reports:report_bulk_import", args=[plan, tree.province.pk, "1"]),
        reverse("initiatives:initiative_list"),
        reverse("initiatives:initiative_create"),
    ]
    found = {}
    for url in urls:
        axe_page.goto(url)
        problems = violations(axe_page)
        if problems:
            found[url] = problems
    assert found == {}


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_dashboard_pages(axe_page, tree, personas, published_plan, width):
    """The dashboard with figures in it (verdicts, rankings, a cluster), its print page, an export."""
    make_cluster(tree.province, members=[tree.district, tree.other_district])
    ct01 = published_plan.targets.get(code="CT01")
    round_one = published_plan.rounds.get(number=1)
    for unit, value in [(tree.other_grassroots, 30), (tree.far_grassroots, 5)]:
        data = report_services.ReportInput(entries={ct01.pk: report_services.Entry(value=Decimal(value))})
        report = report_services.save_report(published_plan, unit, round_one, actor=personas.province_staff, data=data)
        report, _sent = report_services.submit_report(report, actor=personas.province_staff)
        report_services.approve_report(report, actor=personas.province_staff)
    exports = [
        Export.objects.create(requested_by=personas.province_staff, campaign=published_plan, unit=tree.province),
        Export.objects.create(
            requested_by=personas.province_staff,
            campaign=published_plan,
            unit=tree.province,
            status=ExportStatus.FAILED,
            error="Hết dung lượng đĩa.",
        ),
    ]
    plan = published_plan.pk
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, "tinh.quantri")
    urls = [
        reverse("dashboards:index"),
        reverse("dashboards:campaign", args=[plan]),
        reverse("dashboards:campaign", args=[plan]) + "?round=1",
        reverse("dashboards:campaign", args=[plan]) + f"?round=1&sector=fdi&unit={tree.district.pk}&sort=score",
        reverse("dashboards:print", args=[plan]) + "?round=1",
        *(reverse("dashboards:export_status", args=[export.pk]) for export in exports),
    ]
    found = {}
    for url in urls:
        assert axe_page.goto(url).ok, url
        problems = violations(axe_page)
        if problems:
            found[url] = problems
    assert found == {}


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_award_pages(axe_page, tree, personas, width):
    """The pages of the awards flow with their action forms, each as the user who acts there:
    a draft nomination (its files and sending up), a failing nomination under review (the
    override reason), a meeting in session with a ballot round open, an issued decision."""
    staff = make_user("phuong.quantri", full_name="Đỗ Văn Quận")
    make_membership(staff, tree.district, "staff")
    hoa = make_person(tree.grassroots, "Nguyễn Thị Hoa", position="Tổ trưởng tổ may 3")
    binh = make_person(tree.grassroots, "Trần Văn Bình")
    Rating.objects.create(person=binh, year=2026, kind="duty", level=3)
    draft = make_nomination(tree.grassroots, person=hoa, entry="giay-khen-ctt-cn", deciding_unit=tree.district)
    make_evidence(draft)
    pending = make_nomination(
        tree.grassroots,
        person=binh,
        entry="giay-khen-ctt-cn",
        status="pending",
        holder=tree.district,
        deciding_unit=tree.district,
    )
    council, seats = make_council(tree.district, members=3)
    ready = make_nomination(
        tree.grassroots, unit=tree.grassroots, entry="giay-khen-ctt-tt", status="ready", holder=tree.district
    )
    meeting = make_meeting(council, nominations=[ready], status="open")
    meeting.ballot_round, meeting.ballot_open = 1, True
    meeting.save()
    decision = make_decision(
        tree.district,
        [(tree.grassroots, make_person(tree.grassroots, "Lê Thị Cúc"), "giay-khen-ctt-cn")],
        actor=staff,
        status="issued",
    )
    axe_page.set_viewport_size({"width": width, "height": 900})
    pages = [
        ("may.chutich", reverse("awards:nomination_detail", args=[draft.pk])),
        ("phuong.quantri", reverse("awards:nomination_detail", args=[pending.pk])),
        ("phuong.quantri", reverse("awards:decision_detail", args=[decision.pk])),
        (seats[0].user.username, reverse("awards:meeting_detail", args=[meeting.pk])),
    ]
    found = {}
    for username, url in pages:
        axe_page.context.clear_cookies()
        sign_in(axe_page, username)
        assert axe_page.goto(url).ok, url
        assert axe_page.url.endswith(url), f"{username} did not reach {url}"  # not the sign-in page
        problems = violations(axe_page)
        if problems:
            found[url] = problems
    assert found == {}


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_audit_pages(axe_page, tree, personas, published_plan, width):
    """The audit trail with entries in it, as the two roles that read it: the journal (plain,
    filtered, and with a filter error), a user's journal, a plan's and a unit's history."""
    update_organization(
        tree.grassroots,
        actor=personas.grassroots_chair,
        data={"members_count": 435, "phone": "0236 3821 456"},
        expected_version=tree.grassroots.version,
    )
    clause = Clause.objects.filter(section__campaign=published_plan).first()
    clause.body = "Nội dung đã sửa lần thứ hai"
    save_as(clause, personas.province_staff, reason="Sửa câu chữ")
    journal = reverse("audit:journal")
    pages = [
        ("tinh.quantri", journal, True),
        ("tinh.quantri", journal + "?kind=organizations.organization&user=may.chutich", True),
        ("tinh.quantri", journal + "?date_from=2026-12-01&date_to=2026-01-01", False),
        ("tinh.quantri", reverse("audit:user_journal", args=[personas.grassroots_chair.pk]), True),
        ("tinh.lanhdao", reverse("audit:object_journal", args=["campaigns.campaign", published_plan.pk]), True),
        (
            "tinh.lanhdao",
            reverse("audit:object_journal", args=["organizations.organization", tree.grassroots.pk]),
            True,
        ),
    ]
    axe_page.set_viewport_size({"width": width, "height": 900})
    found = {}
    signed_in = None
    for username, url, has_entries in pages:
        if username != signed_in:
            axe_page.context.clear_cookies()
            sign_in(axe_page, username)
            signed_in = username
        assert axe_page.goto(url).ok, url
        assert axe_page.url.endswith(url), f"{username} did not reach {url}"
        # Checked with rows in the table, or, for the bad filter, with its error shown.
        if has_entries:
            assert axe_page.locator("main table tbody tr").count() > 0, url
        else:
            assert axe_page.locator(".invalid-feedback").count() > 0, url
        problems = violations(axe_page)
        if problems:
            found[url] = problems
    assert found == {}
