"""The dashboard journey in Chromium, at desktop and phone widths.

A leader of the Tổng Liên đoàn opens the dashboard of the national plan, filters it to round 1
and the foreign-invested sector, drills down three levels (province, district, grassroots
union) and exports the district's view to Excel: the file's figures equal the page's.

The figures come from approved round-1 reports, sent through the report services, so the
totals above the grassroots (``dashboards.Progress``) are the ones the signals keep:

    TLĐ ─ LĐLĐ An Phú (plan 80) ─ CĐ phường Xuân Hòa (plan 50) ─ May Xuân Hòa   ngoài NN  12 (awaiting approval)
        │                                                      ├ Giày Bình Minh  FDI  7 (plan 20)
        │                                                      └ Điện tử Kim Ngân FDI  4 (no plan)
        │                    └ CĐ phường Đông Sơn (plan 30) ─ Tiểu học Đông Sơn   HCSN  5
        └ LĐLĐ Bắc Sơn (plan 40) ─ CP Bắc Sơn DNNN 9, Dệt Bắc Sơn FDI 6
"""

import datetime
import re
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from campaigns.services import publish_campaign
from reports.services import reports as report_services
from targets.services import save_allocation
from tests.browser.helpers import fits
from tests.factories import make_campaign, make_membership, make_organization, make_user

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

SUBJECT = "Phát động phong trào thi đua năm 2026"
# Round 2 is under way (the dashboard opens on it); round 1's reports were due on 05/7/2026.
TODAY = datetime.date(2026, 7, 3)


@pytest.fixture
def today(monkeypatch):
    """Pin the portal's "today" (the live server runs in this process)."""
    localdate = timezone.localdate

    def pinned(value=None, timezone=None):
        return TODAY if value is None else localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", pinned)
    return TODAY


@pytest.fixture
def national_plan(tree, today):
    """The TLĐ's published plan, CT01 split down to the grassroots, round 1 reported."""
    staff = make_user("tld.quantri", full_name="Ngô Văn Trung")
    make_membership(staff, tree.tld, "staff")
    leader = make_user("tld.lanhdao", full_name="Trịnh Thị Lãnh Đạo")
    make_membership(leader, tree.tld, "approver", position="Phó Chủ tịch")
    kim_ngan = make_organization(
        "Công đoàn cơ sở Công ty TNHH Điện tử Kim Ngân", parent=tree.district, code="CDCS-DTKN", sector="fdi"
    )
    det_bac_son = make_organization(
        "Công đoàn cơ sở Công ty TNHH Dệt Bắc Sơn", parent=tree.other_province, code="CDCS-DBS", sector="fdi"
    )

    plan = make_campaign(tree.tld, staff, year=2026, number=1, issued_on="2026-01-10")
    publish_campaign(plan, actor=staff)
    ct01 = plan.targets.get(code="CT01")
    for unit, shares in [
        (tree.tld, {tree.province: 80, tree.other_province: 40}),
        (tree.province, {tree.district: 50, tree.other_district: 30}),
        (tree.district, {tree.other_grassroots: 20}),
    ]:
        values = {(child.pk, ct01.pk): value for child, value in shares.items()}
        save_allocation(plan, unit, actor=staff, values=values, expected_version=None)

    round_one = plan.rounds.get(number=1)
    for unit, value, approve in [
        (tree.grassroots, 12, False),
        (tree.other_grassroots, 7, True),
        (kim_ngan, 4, True),
        (tree.far_grassroots, 5, True),
        (tree.foreign_grassroots, 9, True),
        (det_bac_son, 6, True),
    ]:
        data = report_services.ReportInput(entries={ct01.pk: report_services.Entry(value=Decimal(value))})
        report = report_services.save_report(plan, unit, round_one, actor=staff, data=data)
        report, _sent = report_services.submit_report(report, actor=staff)
        if approve:
            report_services.approve_report(report, actor=staff)
    return plan


def heading(page):
    return page.get_by_role("heading", level=1)


def number(text):
    """A figure as the page writes it in Vietnamese (1.234 · 35,5%), or None for a dash."""
    found = re.search(r"\d[\d.,]*", text)
    return Decimal(found.group().replace(".", "").replace(",", ".")) if found else None


def achieved(page):
    return page.locator("tr[data-code=CT01] td[data-field=achieved]")


def row(page, code):
    return page.locator(f"tr[data-unit='{code}']")


def drill(page, code, name):
    row(page, code).locator("th a").click()
    expect(heading(page)).to_have_text(name)


def page_rows(page):
    """The rows of the units below as shown: {code: (units, on time, late, not sent, CT01 figure)}."""
    shown = {}
    for line in page.locator("tr[data-unit]").all():
        counts = [number(line.locator("td").nth(i).inner_text()) for i in range(4)]
        shown[line.get_attribute("data-unit")] = (*counts, number(line.locator("td[data-code=CT01]").inner_text()))
    return shown


def sheet_figures(path):
    """The view export read back: the total's CT01 plan and achieved, and the rows as ``page_rows``."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    lines = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    groups, headers = lines[1], lines[2]
    plan_column = next(i for i, text in enumerate(groups) if str(text or "").startswith("CT01:"))
    with translation.override("vi"):
        assert headers[plan_column : plan_column + 4] == tuple(
            gettext(h) for h in ("Plan", "Achieved", "Awaiting approval", "% of plan")
        )

    def figure(value):
        return None if value is None else Decimal(str(value))

    total, *below = lines[3:]
    rows = {}
    for line in below:
        share, done = figure(line[plan_column + 3]), figure(line[plan_column + 1])
        # The page shows a row's % of plan, or what it achieved when it has no plan.
        rows[line[0]] = (*(figure(v) for v in line[2:6]), share if share is not None else done)
    return total[0], figure(total[plan_column]), figure(total[plan_column + 1]), rows


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_leader_filters_drills_down_three_levels_and_exports_what_the_page_shows(
    page, sign_in, tree, national_plan, tmp_path, viewport
):
    phone = viewport["width"] < 600
    page.set_viewport_size(viewport)
    sign_in("tld.lanhdao")

    # The dashboards from the main menu (behind its button at phone width), then the plan.
    toggler = page.get_by_role("button", name="Hiện trình đơn")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("navigation", name="Trình đơn chính").locator("a[href='/dashboards/']").click()
    page.wait_for_url("**/dashboards/")
    fits(page, phone)
    page.get_by_role("link", name=re.compile(SUBJECT)).click()
    expect(heading(page)).to_have_text(tree.tld.name)
    # It opens on round 2, under way: nothing is reported for it yet.
    expect(page.locator("select[name=round] option:checked")).to_have_attribute("value", "2")
    expect(achieved(page)).to_have_text("—")
    fits(page, phone)

    # Round 1, every sector: the approved figures add up; May Xuân Hòa's awaits approval apart.
    filters = page.locator("form.dashboard-filters")
    filters.locator("select[name=round]").select_option("1")
    filters.locator("button[type=submit]").click()
    expect(achieved(page)).to_have_text("31")
    expect(page.locator("tr[data-code=CT01] td").nth(5)).to_have_text("12")  # awaiting approval
    expect(page.locator("tr[data-code=CT01] td").nth(1)).to_have_text("120")  # the plan
    fits(page, phone)

    # The foreign-invested sector only: 7 + 4 in An Phú, 6 in Bắc Sơn.
    filters.locator("select[name=sector]").select_option("fdi")
    filters.locator("button[type=submit]").click()
    expect(filters.locator("select[name=sector]")).to_have_value("fdi")
    expect(filters.locator("select[name=round]")).to_have_value("1")
    expect(achieved(page)).to_have_text("17")
    expect(page.locator("tr[data-code=CT01] td").nth(5)).to_have_text("—")
    expect(page.locator("tr[data-unit]")).to_have_count(2)
    expect(row(page, "LDLD-AP").locator("td[data-code=CT01]")).to_contain_text("13,8%")  # 11 of 80
    expect(row(page, "LDLD-BS").locator("td[data-code=CT01]")).to_contain_text("15,0%")  # 6 of 40
    fits(page, phone)

    # Three levels down; the filters go along.
    drill(page, "LDLD-AP", tree.province.name)
    expect(achieved(page)).to_have_text("11")
    expect(filters.locator("select[name=sector]")).to_have_value("fdi")
    expect(row(page, "CDP-XH").locator("td[data-code=CT01]")).to_contain_text("22,0%")  # 11 of 50
    expect(row(page, "CDP-DS").locator("td[data-code=CT01]")).to_have_text("–")  # no FDI unit there
    expect(page.locator(".breadcrumb")).to_contain_text(tree.tld.name)
    fits(page, phone)

    drill(page, "CDP-XH", tree.district.name)
    expect(achieved(page)).to_have_text("11")
    # May Xuân Hòa (non-state) is filtered out; Kim Ngân has no plan, so its figure shows as is.
    expect(page.locator("tr[data-unit]")).to_have_count(2)
    expect(row(page, "CDCS-MXH")).to_have_count(0)
    expect(row(page, "CDCS-GBM").locator("td[data-code=CT01]")).to_contain_text("35,0%")  # 7 of 20
    expect(row(page, "CDCS-DTKN").locator("td[data-code=CT01]")).to_contain_text("4")
    expect(page.locator(".breadcrumb")).to_contain_text(tree.province.name)
    fits(page, phone)

    # The district's view to Excel: the same figures as on the page.
    shown_total = number(achieved(page).inner_text())
    shown_plan = number(page.locator("tr[data-code=CT01] td").nth(1).inner_text())
    shown_rows = page_rows(page)
    assert shown_rows == {
        "CDCS-GBM": (Decimal(1), Decimal(1), Decimal(0), Decimal(0), Decimal("35.0")),
        "CDCS-DTKN": (Decimal(1), Decimal(1), Decimal(0), Decimal(0), Decimal(4)),
    }
    with page.expect_download() as download_info:
        page.locator("a[href*='scope=view']").click()
    download = download_info.value
    assert download.suggested_filename == "bang-theo-doi-cdp-xh-2026.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    code, plan, total, rows = sheet_figures(saved)
    assert (code, plan, total) == ("CDP-XH", shown_plan, shown_total) == ("CDP-XH", Decimal(50), Decimal(11))
    assert rows == shown_rows

    drill(page, "CDCS-GBM", tree.other_grassroots.name)
    expect(achieved(page)).to_have_text("7")
    expect(page.locator("tr[data-code=CT01] td").nth(1)).to_have_text("20")
    expect(page.locator("tr[data-unit]")).to_have_count(0)
    expect(page.locator(".breadcrumb")).to_contain_text(tree.district.name)
    fits(page, phone)

    # Back up through the breadcrumb: the filters are kept.
    page.locator(".breadcrumb").get_by_role("link", name=tree.tld.name).click()
    expect(heading(page)).to_have_text(tree.tld.name)
    expect(achieved(page)).to_have_text("17")
