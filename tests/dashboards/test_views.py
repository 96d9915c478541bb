"""Dashboard pages through the test client: figures, filters, print, Excel, background exports, access."""

import io
import json
import re
from html import escape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dashboards import exports
from dashboards.board import RULES
from dashboards.models import Export, ExportStatus
from organizations.models import Organization
from reports.models import Report, Status
from reports.services import reports as services
from targets.services import save_allocation
from tests.factories import make_cluster, make_membership, make_organization, make_user
from tests.xlsx import read_rows


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def save(plan, unit, round_number, actor, **by_code):
    targets = {t.code: t for t in plan.targets.all()}
    entries = {targets[code].pk: services.Entry(**fields) for code, fields in by_code.items()}
    round_ = plan.rounds.get(number=round_number) if round_number else None
    data = services.ReportInput(entries=entries, files={})
    return services.save_report(plan, unit, round_, actor=actor, data=data)


def approved(plan, unit, reviewer, round_number=1, **by_code):
    """A report of ``unit`` entered, sent and approved (entered on its behalf by ``reviewer``'s side)."""
    report = save(plan, unit, round_number, reviewer, **by_code)
    services.submit_report(report, actor=reviewer)
    services.approve_report(report, actor=reviewer)
    report.refresh_from_db()
    return report


def target_row(page, code):
    match = re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S)
    assert match, f"no row for {code}"
    return match.group(1)


def field(fragment, name):
    match = re.search(rf'data-field="{name}">([^<]*)<', fragment)
    assert match, f"no field {name}"
    return match.group(1).strip()


def unit_rows(page):
    """The codes of the drill-down rows, in order."""
    return re.findall(r'<tr data-unit="([^"]+)">', page)


def unit_row(page, code):
    match = re.search(rf'<tr data-unit="{re.escape(code)}">(.*?)</tr>', page, re.S)
    assert match, f"no row for {code}"
    return match.group(1)


def cell(row_html, code):
    match = re.search(rf'data-code="{code}"[^>]*>([^<]*)<', row_html)
    assert match, f"no cell {code}"
    return match.group(1).strip()


def completeness(page):
    """The first completeness block (the reports): units, on time, late, missing."""
    block = page.split('class="row small mb-0 completeness"', 1)[1].split("</dl>", 1)[0]
    return {name: field(block, name) for name in ("units", "on_time", "late", "missing")}


def dashboard(plan):
    return reverse("dashboards:campaign", args=[plan.pk])


def printed(plan):
    return reverse("dashboards:print", args=[plan.pk])


def export(plan):
    return reverse("dashboards:export", args=[plan.pk])


def workbook(response):
    content = response.content if hasattr(response, "content") else b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).worksheets[0], read_rows(content)


@pytest.fixture
def leader(tree):
    """The district's leader: reviews what its grassroots unions send."""
    user = make_user("phuong.lanhdao", full_name="Đinh Thị Duyệt")
    make_membership(user, tree.district, "approver")
    return user


@pytest.fixture
def plan(tree, published_plan, leader):
    """The published plan, the district's 70 of CT01 split 40 / 30 between its two unions."""
    staff = make_user("phuong.quantri", full_name="Đỗ Văn Quận")
    make_membership(staff, tree.district, "staff")
    ct01 = published_plan.targets.get(code="CT01")
    save_allocation(
        published_plan,
        tree.district,
        actor=staff,
        values={(tree.grassroots.pk, ct01.pk): 40, (tree.other_grassroots.pk, ct01.pk): 30},
        expected_version=None,
    )
    return published_plan


@pytest.fixture
def twelve(tree, plan, personas):
    """May Xuân Hòa's round-1 report, 12 new members, approved by the province."""
    return approved(plan, tree.grassroots, personas.province_staff, CT01={"value": 12})


# The page --------------------------------------------------------------------------------


def test_the_province_page_shows_figures_rules_completeness_and_the_units_below(client, tree, personas, plan, twelve):
    client.force_login(personas.province_staff)
    response = client.get(dashboard(plan), {"unit": tree.province.pk, "round": 1})
    assert response.status_code == 200
    page = text(response)
    assert '<h1 class="h3 mb-0">Liên đoàn Lao động tỉnh An Phú</h1>' in page
    assert "Phát động phong trào thi đua năm 2026 · Đợt 1" in page

    ct01 = target_row(page, "CT01")
    assert field(ct01, "achieved") == "12"
    assert field(ct01, "share") == "10,0%"  # 12 of the province's 120
    assert "verdict-off_track" in ct01  # 10 % against the 49,6 % expected at 30/6
    ct02 = target_row(page, "CT02")
    assert (field(ct02, "achieved"), field(ct02, "share")) == ("—", "—")

    # The rules, stated on the page in the active language.
    rules = page.split('class="small mb-3 dashboard-rules"', 1)[1].split("</details>", 1)[0]
    with translation.override("vi"):
        for rule in RULES:
            assert escape(str(rule)) in rules

    # Three grassroots unions take part; one has sent (and, after the 5/7 due date, late).
    figures = completeness(page)
    assert figures["units"] == "3" and figures["missing"] == "2"
    assert int(figures["on_time"]) + int(figures["late"]) == 1
    assert figures["late"] == ("1" if twelve.late_days else "0")

    # Drill-down: the two districts, never the unions below them.
    assert unit_rows(page) == ["CDP-XH", "CDP-DS"]
    xuan_hoa = unit_row(page, "CDP-XH")
    assert f'<a href="?round=1&amp;unit={tree.district.pk}">Công đoàn phường Xuân Hòa</a>' in xuan_hoa
    assert cell(xuan_hoa, "CT01") == "17,1%"  # 12 of the district's 70
    dong_son = unit_row(page, "CDP-DS")
    assert f'<a href="?round=1&amp;unit={tree.other_district.pk}">' in dong_son
    assert cell(dong_son, "CT01") == "–"


def test_drilling_down_to_the_district_shows_its_unions_and_their_own_plans(client, tree, personas, plan, twelve):
    client.force_login(personas.province_staff)
    page = text(client.get(dashboard(plan), {"unit": tree.district.pk, "round": 1}))
    assert '<h1 class="h3 mb-0">Công đoàn phường Xuân Hòa</h1>' in page
    ct01 = target_row(page, "CT01")
    assert (field(ct01, "achieved"), field(ct01, "share")) == ("12", "17,1%")
    # Breadcrumbs lead back up to the province.
    assert f'<a href="?round=1&amp;unit={tree.province.pk}">Liên đoàn Lao động tỉnh An Phú</a>' in page
    assert unit_rows(page) == ["CDCS-GBM", "CDCS-MXH"]
    assert cell(unit_row(page, "CDCS-MXH"), "CT01") == "30,0%"  # 12 of 40
    assert cell(unit_row(page, "CDCS-GBM"), "CT01") == "–"
    assert f'href="/campaigns/{plan.pk}/units/{tree.grassroots.pk}/reports/1/"' in page


def test_numbers_are_written_the_vietnamese_way(client, tree, personas, plan):
    approved(plan, tree.grassroots, personas.province_staff, CT01={"value": 8000})
    approved(plan, tree.far_grassroots, personas.province_staff, CT03={"numerator": 197, "denominator": 200})
    client.force_login(personas.province_staff)
    page = text(client.get(dashboard(plan), {"unit": tree.province.pk, "round": 1}))
    ct01 = target_row(page, "CT01")
    assert (field(ct01, "achieved"), field(ct01, "share")) == ("8.000", "6.666,7%")
    ct03 = target_row(page, "CT03")
    # Pooled numerators over denominators, against the 85 % aimed at.
    assert field(ct03, "achieved") == "197/200 = 98,5%"
    assert field(ct03, "share") == "115,9%"


def test_awaiting_approval_is_shown_apart_from_what_is_achieved(client, tree, personas, plan):
    report = save(plan, tree.grassroots, 1, personas.g1_officer, CT01={"value": 9})
    services.submit_report(report, actor=personas.g1_officer)
    client.force_login(personas.province_staff)
    ct01 = target_row(text(client.get(dashboard(plan), {"unit": tree.province.pk, "round": 1})), "CT01")
    assert field(ct01, "achieved") == "—"
    assert '<td class="text-end text-nowrap">9</td>' in ct01


@pytest.mark.parametrize(
    ("persona", "unit"),
    [
        ("province_staff", "province"),  # sees the plan's owner
        ("leader_viewer", "province"),
        ("district_officer", "district"),  # does not see the province: its own unit
        ("grassroots_chair", "grassroots"),
    ],
)
def test_without_a_unit_the_page_opens_on_the_highest_unit_the_user_sees(client, tree, personas, plan, persona, unit):
    client.force_login(getattr(personas, persona))
    page = text(client.get(dashboard(plan)))
    shown = getattr(tree, unit)
    assert f'<h1 class="h3 mb-0">{shown.name}</h1>' in page
    assert f'<input type="hidden" name="unit" value="{shown.pk}">' in page


def test_the_district_leader_lands_on_the_district(client, tree, plan, leader):
    client.force_login(leader)
    page = text(client.get(dashboard(plan)))
    assert '<h1 class="h3 mb-0">Công đoàn phường Xuân Hòa</h1>' in page
    assert unit_rows(page) == ["CDCS-GBM", "CDCS-MXH"]


def test_filters_narrow_the_figures(client, tree, personas, plan, twelve):
    approved(plan, tree.other_grassroots, personas.province_staff, CT01={"value": 5})
    approved(plan, tree.grassroots, personas.province_staff, 2, CT01={"value": 30})
    client.force_login(personas.province_staff)

    def achieved(**params):
        response = client.get(dashboard(plan), {"unit": tree.province.pk, **params})
        assert response.status_code == 200
        return field(target_row(text(response), "CT01"), "achieved")

    assert achieved(round=1) == "17"
    assert achieved(round=1, sector="fdi") == "5"  # only Giày Bình Minh is foreign-invested
    assert achieved(round=1, sector="hcsn") == "—"
    assert achieved(round=2) == "30"
    assert achieved(round=0) == "—"  # the year-end report: nothing sent yet

    page = text(client.get(dashboard(plan), {"unit": tree.district.pk, "round": 1, "sector": "fdi"}))
    assert unit_rows(page) == ["CDCS-GBM"]
    page = text(client.get(dashboard(plan), {"unit": tree.province.pk, "round": 2}))
    assert "Phát động phong trào thi đua năm 2026 · Đợt 2" in page
    assert '<option value="2" selected>Đợt 2</option>' in page


@pytest.mark.parametrize(
    "params",
    [
        {"sector": "zzz"},
        {"kind": "999999"},
        {"kind": "abc"},
        {"cluster": "999999"},
        {"cluster": "99999999999999999999"},
        {"group": "999999"},
        {"sort": "zzz"},
        {"page": "abc"},
        {"page": "999"},
    ],
)
def test_a_filter_out_of_range_is_ignored(client, tree, personas, plan, twelve, params):
    client.force_login(personas.province_staff)
    response = client.get(dashboard(plan), {"unit": tree.province.pk, "round": 1, **params})
    assert response.status_code == 200
    page = text(response)
    assert field(target_row(page, "CT01"), "achieved") == "12"
    assert unit_rows(page) == ["CDP-XH", "CDP-DS"]


@pytest.mark.parametrize("value", ["abc", "99", "-1", "1.5"])
def test_a_round_out_of_range_falls_back_to_the_current_one(client, tree, personas, plan, value):
    client.force_login(personas.province_staff)
    response = client.get(dashboard(plan), {"unit": tree.province.pk, "round": value})
    assert response.status_code == 200
    period = re.compile(r'<p class="text-body-secondary small mb-2">[^<]* · (Đợt \d) \(')
    default = period.search(text(client.get(dashboard(plan), {"unit": tree.province.pk})))
    assert default and period.search(text(response)).group(1) == default.group(1)


@pytest.mark.parametrize("value", ["abc", "1.5", "-3", "99999999999999999999", "999999"])
def test_a_unit_that_is_not_a_unit_is_not_found(client, personas, plan, value):
    client.force_login(personas.province_staff)
    for url in (dashboard(plan), printed(plan), export(plan)):
        assert client.get(url, {"unit": value}).status_code == 404


# Sorting and pages -------------------------------------------------------------------------


@pytest.fixture
def crowded(tree, plan):
    """55 more grassroots unions in the district: 57 rows, two pages."""
    for number in range(1, 56):
        make_organization(f"Công đoàn cơ sở Số {number:02d}", parent=tree.district, code=f"CDCS-S{number:02d}")
    return plan


def test_rows_sort_by_name_score_or_missing_and_come_fifty_to_a_page(client, tree, personas, crowded, twelve):
    client.force_login(personas.district_officer)
    first = text(client.get(dashboard(crowded), {"round": 1}))
    assert '<span class="badge text-bg-light">57</span>' in first
    rows = unit_rows(first)
    assert len(rows) == 50
    assert rows[:3] == ["CDCS-GBM", "CDCS-MXH", "CDCS-S01"] and rows[-1] == "CDCS-S48"
    second = text(client.get(dashboard(crowded), {"round": 1, "page": 2}))
    assert unit_rows(second) == [f"CDCS-S{n}" for n in range(49, 56)]

    # The only union with approved figures leads by score; it owes nothing, so it comes last by "not sent".
    by_score = unit_rows(text(client.get(dashboard(crowded), {"round": 1, "sort": "score"})))
    assert by_score[:2] == ["CDCS-MXH", "CDCS-GBM"]
    by_missing = text(client.get(dashboard(crowded), {"round": 1, "sort": "missing", "page": 2}))
    assert unit_rows(by_missing)[-1] == "CDCS-MXH"
    assert '<strong aria-current="true">' in by_missing


def test_sort_and_page_links_keep_the_unit_shown(client, tree, personas, crowded):
    client.force_login(personas.province_staff)
    page = text(client.get(dashboard(crowded), {"unit": tree.district.pk, "round": 1}))
    links = re.findall(r'href="(\?[^"]*(?:sort|page)=[^"]*)"', page)
    assert links
    for link in links:
        assert f"unit={tree.district.pk}" in link, link
    # Choosing another order replaces the current one rather than adding a second.
    page = text(client.get(dashboard(crowded), {"unit": tree.district.pk, "round": 1, "sort": "score"}))
    for link in re.findall(r'href="(\?[^"]*sort=[^"]*)"', page):
        assert link.count("sort=") == 1, link


# Reminders -------------------------------------------------------------------------------


def test_the_district_leader_may_remind_the_unions_that_have_not_sent(client, tree, personas, plan, leader, twelve):
    client.force_login(leader)
    page = text(client.get(dashboard(plan), {"round": 1}))
    missing = page.split('id="missing-heading"', 1)[1].split("</section>", 1)[0]
    action = reverse("reports:remind", args=[plan.pk, tree.district.pk])
    assert f'<form method="post" action="{action}"' in missing
    assert '<input type="hidden" name="item" value="report-1">' in missing
    assert "Công đoàn cơ sở Công ty TNHH Giày Bình Minh" in missing
    assert "May Xuân Hòa" not in missing  # it has sent
    # The officer enters figures but reviews nothing: the list without the button.
    client.force_login(personas.district_officer)
    page = text(client.get(dashboard(plan), {"round": 1}))
    assert 'id="missing-heading"' in page and "/remind/" not in page


# Print -----------------------------------------------------------------------------------


def test_the_print_version_names_the_unit_plan_round_and_time(client, tree, personas, plan, twelve):
    client.force_login(personas.province_staff)
    response = client.get(printed(plan), {"unit": tree.district.pk, "round": 1})
    assert response.status_code == 200
    page = text(response)
    assert '<h1 class="h5 mb-1">Công đoàn phường Xuân Hòa –' in page
    assert f"{plan.number_line} – Phát động phong trào thi đua năm 2026" in page
    assert plan.number_line.startswith("Số: 03/")
    assert "Đợt 1 (" in page and "30/6/2026" in page
    assert re.search(r'<span data-field="produced">\d{2}:\d{2} \d{1,2}/\d{1,2}/\d{4}</span>', page)
    assert field(target_row(page, "CT01"), "achieved") == "12"
    # Every row, none of them a link.
    assert unit_rows(page) == ["CDCS-GBM", "CDCS-MXH"]
    assert "<a href" not in unit_row(page, "CDCS-MXH")
    assert 'href="/static/css/dashboard-print.css"' in page
    css = Path(finders.find("css/dashboard-print.css")).read_text(encoding="utf-8")
    assert "@page { size: A4 landscape" in css


# Excel -----------------------------------------------------------------------------------


def test_the_view_export_is_the_page_in_a_workbook(client, tree, personas, plan, twelve):
    Organization.objects.filter(pk=tree.other_district.pk).update(name='=HYPERLINK("http://x.example","Đông Sơn")')
    client.force_login(personas.province_staff)
    response = client.get(export(plan), {"unit": tree.province.pk, "round": 1, "scope": "view"})
    assert response.status_code == 200
    assert 'filename="bang-theo-doi-ldld-ap-2026.xlsx"' in response["Content-Disposition"]
    sheet, rows = workbook(response)
    assert sheet.freeze_panes == "C4"
    title, groups, headers, total, *units = rows
    assert "Phát động phong trào thi đua năm 2026" in title[0]
    assert "Liên đoàn Lao động tỉnh An Phú" in title[0] and "Đợt 1" in title[0]
    assert groups[8] == "CT01: Kết nạp mới 120 đoàn viên"
    assert len(headers) == 8 + 5 * 4
    assert total[0] == "LDLD-AP" and "Liên đoàn Lao động tỉnh An Phú" in total[1]
    by_code = {row[0]: row for row in units}
    assert len(units) == 2 and set(by_code) == {"CDP-XH", "CDP-DS"}
    # CT01: plan, achieved, awaiting, % of plan – as on the page.
    assert total[8:12] == [120, 12, None, 10]
    assert by_code["CDP-XH"][8:12] == [70, 12, None, 17.1]
    assert by_code["CDP-DS"][8:10] == [50, None]
    assert (total[2], total[5]) == (3, 2)  # units taking part, not sent
    # A name that a spreadsheet would run as a formula is kept as text.
    assert by_code["CDP-DS"][1] == '\'=HYPERLINK("http://x.example","Đông Sơn")'
    # Numbers carry Vietnamese-style grouping formats.
    numbers = [c for c in sheet[4] if isinstance(c.value, int | float) and not isinstance(c.value, bool)]
    assert numbers and all(c.number_format.startswith(("#,##0", "0.0")) for c in numbers)
    assert sheet.cell(row=4, column=10).number_format.startswith("#,##0")  # CT01 achieved
    assert sheet.cell(row=4, column=3).number_format == "#,##0"  # units taking part


def test_the_detail_export_has_every_grassroots_union_with_its_own_figures(client, tree, personas, plan, twelve):
    approved(plan, tree.far_grassroots, personas.province_staff, CT03={"numerator": 17, "denominator": 20})
    client.force_login(personas.province_staff)
    response = client.get(export(plan), {"unit": tree.province.pk, "round": 1, "scope": "units"})
    assert response.status_code == 200
    assert 'filename="chi-tiet-ldld-ap-2026.xlsx"' in response["Content-Disposition"]
    sheet, (headers, *rows) = workbook(response)
    assert sheet.freeze_panes == "C2"
    assert headers[6] == "CT01: Kết nạp mới 120 đoàn viên"
    by_code = {row[0]: row for row in rows}
    assert sorted(by_code) == ["CDCS-GBM", "CDCS-MXH", "CDCS-THDS"]
    may = by_code["CDCS-MXH"]
    with translation.override("vi"):
        assert may[1:5] == [tree.grassroots.name, tree.district.name, "Ngoài nhà nước", str(Status.APPROVED.label)]
        assert by_code["CDCS-GBM"][4] == str(Status.DRAFT.label)
    assert may[5] == twelve.late_days
    assert may[6] == 12
    school = by_code["CDCS-THDS"]
    assert school[2] == tree.other_district.name
    assert school[8:10] == [17, 20]  # CT03 as numerator and denominator
    assert by_code["CDCS-GBM"][6] is None
    numeric = [c for c in sheet[2] if isinstance(c.value, int | float)]
    assert numeric and all(c.number_format.startswith("#,##0") for c in numeric)


def test_a_large_detail_export_is_written_in_the_background(client, tree, personas, plan, twelve, monkeypatch):
    monkeypatch.setattr(exports, "INLINE_ROWS", 0)
    client.force_login(personas.province_staff)
    response = client.get(export(plan), {"unit": tree.province.pk, "round": 1, "scope": "units"})
    job = Export.objects.get()
    status_url = reverse("dashboards:export_status", args=[job.pk])
    download_url = reverse("dashboards:export_download", args=[job.pk])
    assert response.status_code == 302 and response["Location"] == status_url
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 3, 3)
    assert (job.requested_by, job.unit, job.params["period"]) == (personas.province_staff, tree.province, 1)
    assert job.file_name == "chi-tiet-ldld-ap-2026.xlsx" and job.finished_at

    page = text(client.get(status_url))
    assert f'<a class="btn btn-primary" id="export-download" href="{download_url}">' in page
    assert 'data-status="done"' in page and '<span class="export-percent">100</span>%' in page
    assert json.loads(client.get(status_url, {"format": "json"}).content) == {
        "status": "done",
        "percent": 100,
        "rows_done": 3,
        "rows_total": 3,
        "download": download_url,
    }
    download = client.get(download_url)
    assert download.status_code == 200
    assert 'filename="chi-tiet-ldld-ap-2026.xlsx"' in download["Content-Disposition"]
    _sheet, (_headers, *rows) = workbook(download)
    assert {row[0]: row[6] for row in rows} == {"CDCS-MXH": 12, "CDCS-GBM": None, "CDCS-THDS": None}

    # Another user, even one who sees the same plan and unit, finds nothing there.
    client.force_login(personas.leader_viewer)
    assert client.get(status_url).status_code == 404
    assert client.get(status_url, {"format": "json"}).status_code == 404
    assert client.get(download_url).status_code == 404


def test_an_export_still_running_has_no_file_to_download(client, tree, personas, plan):
    job = Export.objects.create(
        requested_by=personas.province_staff, campaign=plan, unit=tree.province, rows_total=8, rows_done=2
    )
    client.force_login(personas.province_staff)
    status_url = reverse("dashboards:export_status", args=[job.pk])
    assert json.loads(client.get(status_url, {"format": "json"}).content) == {
        "status": "queued",
        "percent": 25,
        "rows_done": 2,
        "rows_total": 8,
        "download": None,
    }
    page = text(client.get(status_url))
    assert 'class="btn btn-primary d-none" id="export-download"' in page
    assert client.get(reverse("dashboards:export_download", args=[job.pk])).status_code == 404


# The index -------------------------------------------------------------------------------


def test_the_index_lists_the_published_plans_the_user_follows(client, tree, personas, plan, draft_plan):
    client.force_login(personas.province_staff)
    page = text(client.get(reverse("dashboards:index")))
    assert f'href="{dashboard(plan)}"' in page
    assert f'href="{dashboard(draft_plan)}"' not in page
    assert "Liên đoàn Lao động tỉnh An Phú</span> – Số: 03/KH-LĐLĐ" in page
    client.force_login(personas.other_grassroots_chair)
    assert f'href="{dashboard(plan)}"' in text(client.get(reverse("dashboards:index")))
    stranger = make_user("bacson.chuyenvien")
    make_membership(stranger, tree.foreign_grassroots, "officer")
    client.force_login(stranger)
    page = text(client.get(reverse("dashboards:index")))
    assert 'class="list-group-item' not in page


# Access ----------------------------------------------------------------------------------

OUTSIDE_THE_DISTRICT = ["CDP-DS", "CDCS-THDS", "LDLD-AP", "LDLD-BS", "CDCS-BS"]


def every_view(plan, unit):
    return [
        (dashboard(plan), {"unit": unit.pk}),
        (printed(plan), {"unit": unit.pk}),
        (export(plan), {"unit": unit.pk, "scope": "view"}),
        (export(plan), {"unit": unit.pk, "scope": "units"}),
    ]


@pytest.mark.parametrize("who", ["leader", "district_officer"])
@pytest.mark.parametrize("unit", ["other_district", "province", "far_grassroots", "foreign_grassroots", "tld"])
def test_the_district_cannot_reach_a_unit_outside_it_through_the_address(
    client, tree, personas, plan, leader, who, unit
):
    client.force_login(leader if who == "leader" else getattr(personas, who))
    for url, params in every_view(plan, getattr(tree, unit)):
        assert client.get(url, {**params, "round": 1}).status_code == 404, url


@pytest.mark.parametrize("who", ["leader", "district_officer"])
def test_the_district_page_and_exports_hold_only_the_district(client, tree, personas, plan, leader, who):
    approved(plan, tree.far_grassroots, personas.province_staff, CT01={"value": 50})
    approved(plan, tree.grassroots, personas.province_staff, CT01={"value": 12})
    client.force_login(leader if who == "leader" else getattr(personas, who))
    page = text(client.get(dashboard(plan), {"unit": tree.district.pk, "round": 1}))
    assert field(target_row(page, "CT01"), "achieved") == "12"
    assert unit_rows(page) == ["CDCS-GBM", "CDCS-MXH"]
    for code in OUTSIDE_THE_DISTRICT:
        assert code not in page
    assert tree.other_district.name not in page and tree.far_grassroots.name not in page
    assert tree.province.name not in page  # not even in the breadcrumbs

    _sheet, rows = workbook(client.get(export(plan), {"unit": tree.district.pk, "round": 1, "scope": "view"}))
    assert [row[0] for row in rows[3:]] == ["CDP-XH", "CDCS-GBM", "CDCS-MXH"]
    assert rows[3][9] == 12
    _sheet, rows = workbook(client.get(export(plan), {"unit": tree.district.pk, "round": 1, "scope": "units"}))
    assert sorted(row[0] for row in rows[1:]) == ["CDCS-GBM", "CDCS-MXH"]
    flat = repr(rows)
    for code in OUTSIDE_THE_DISTRICT:
        assert code not in flat


def test_a_cluster_never_brings_in_units_outside_the_district(client, tree, personas, plan, leader):
    cluster = make_cluster(
        tree.province, name="Cụm doanh nghiệp", members=[tree.grassroots, tree.far_grassroots, tree.foreign_grassroots]
    )
    approved(plan, tree.far_grassroots, personas.province_staff, CT01={"value": 50})
    approved(plan, tree.grassroots, personas.province_staff, CT01={"value": 12})
    client.force_login(leader)
    params = {"unit": tree.district.pk, "round": 1, "cluster": cluster.pk}
    page = text(client.get(dashboard(plan), params))
    assert "Cụm doanh nghiệp" in page
    assert unit_rows(page) == ["CDCS-MXH"]
    assert field(target_row(page, "CT01"), "achieved") == "12"  # not 62
    for code in OUTSIDE_THE_DISTRICT:
        assert code not in page
    assert tree.far_grassroots.name not in page
    _sheet, rows = workbook(client.get(export(plan), {**params, "scope": "view"}))
    assert [row[0] for row in rows[3:]] == ["CDP-XH", "CDCS-MXH"]
    assert rows[3][9] == 12
    printed_page = text(client.get(printed(plan), params))
    assert unit_rows(printed_page) == ["CDCS-MXH"] and "Trường Tiểu học Đông Sơn" not in printed_page

    # At the province, the same cluster shows both of its members inside the province, not the foreign one.
    client.force_login(personas.province_staff)
    page = text(client.get(dashboard(plan), {**params, "unit": tree.province.pk}))
    assert sorted(unit_rows(page)) == ["CDCS-MXH", "CDCS-THDS"]
    assert field(target_row(page, "CT01"), "achieved") == "62"
    assert "CDCS-BS" not in page


def test_a_cluster_of_another_province_is_ignored(client, tree, personas, plan, leader):
    foreign = make_cluster(tree.other_province, name="Cụm Bắc Sơn", members=[tree.foreign_grassroots])
    client.force_login(leader)
    page = text(client.get(dashboard(plan), {"unit": tree.district.pk, "round": 1, "cluster": foreign.pk}))
    assert "Cụm Bắc Sơn" not in page and "CDCS-BS" not in page
    assert unit_rows(page) == ["CDCS-GBM", "CDCS-MXH"]


@pytest.mark.parametrize("unit", ["foreign_grassroots", "other_province", "tld"])
def test_a_unit_outside_the_plan_owners_subtree_is_not_found_even_for_a_superuser(
    client, tree, plan, django_user_model, unit
):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw", full_name="Root")
    client.force_login(root)
    for url, params in every_view(plan, getattr(tree, unit)):
        assert client.get(url, params).status_code == 404, url
    # The same superuser reaches any unit inside it.
    assert client.get(dashboard(plan), {"unit": tree.far_grassroots.pk}).status_code == 200


def test_a_draft_plan_has_no_dashboard(client, tree, personas, draft_plan):
    client.force_login(personas.province_staff)
    for url, params in every_view(draft_plan, tree.province):
        assert client.get(url, params).status_code == 404, url
    assert client.get(dashboard(draft_plan)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, tree, personas, plan):
    job = Export.objects.create(requested_by=personas.province_staff, campaign=plan, unit=tree.province)
    login = reverse("accounts:login")
    urls = [url for url, _params in every_view(plan, tree.province)] + [
        reverse("dashboards:index"),
        reverse("dashboards:export_status", args=[job.pk]),
        reverse("dashboards:export_download", args=[job.pk]),
    ]
    for url in urls:
        response = client.get(url, {"unit": tree.province.pk})
        assert response.status_code == 302 and response["Location"].startswith(login), url
    assert not Report.objects.exists()
