"""Excel bulk entry: the sheet of a subtree for a round, and its all-or-nothing upload."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import Action, Report, ReportValue, Status
from reports.services import reports as services
from tests.xlsx import read_rows, upload


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def export(client, plan, unit, period="1"):
    response = client.get(reverse("reports:report_bulk_export", args=[plan.pk, unit.pk, period]))
    assert response.status_code == 200
    return response, read_rows(response.content)


def send(client, plan, unit, rows, period="1"):
    return client.post(reverse("reports:report_bulk_import", args=[plan.pk, unit.pk, period]), {"file": upload(rows)})


def test_the_sheet_lists_the_grassroots_units_with_share_and_pledge(client, tree, personas, plan, targets):
    client.force_login(personas.district_officer)
    response, rows = export(client, plan, tree.district)
    assert response["Content-Disposition"].startswith('attachment; filename="so-lieu-cdp-xh-2026-dot-1-')
    assert rows[0][:9] == ["CODE", "NAME", "STATUS", "CT01:giao", "CT01:dk", "CT01", "CT02:giao", "CT02:dk", "CT02"]
    assert "CT03:tu" in rows[0] and "CT03:mau" in rows[0] and "CT04" in rows[0]
    assert rows[1][:6] == ["Mã đơn vị", "Tên đơn vị", "Trạng thái", "CT01 được giao", "CT01 đăng ký", "CT01 kết quả"]
    body = {row[0]: row for row in rows[2:]}
    assert set(body) == {"CDCS-MXH", "CDCS-GBM"}
    keys = rows[0]
    assert body["CDCS-MXH"][keys.index("CT01:giao")] == 40
    assert body["CDCS-MXH"][keys.index("CT03:tu")] == "—"  # CT03 does not apply to a non-state union
    assert body["CDCS-MXH"][2] == "Chưa gửi"


def filled(client, plan, unit, values):
    """The downloaded sheet with ``values`` ({(unit code, key): value}) typed in."""
    _response, rows = export(client, plan, unit)
    keys = rows[0]
    for row in rows[2:]:
        for (code, key), value in values.items():
            if row[0] == code:
                row[keys.index(key)] = value
    return rows


def test_a_filled_sheet_saves_every_figure_under_the_uploader(client, tree, personas, plan, targets):
    client.force_login(personas.district_officer)
    rows = filled(
        client,
        plan,
        tree.district,
        {
            ("CDCS-MXH", "CT01"): 12,
            ("CDCS-MXH", "CT04"): "Có",
            ("CDCS-GBM", "CT01"): "1.050",
            ("CDCS-GBM", "CT04"): "không",
        },
    )
    response = send(client, plan, tree.district, rows)
    assert response.status_code == 302
    assert "Đã nhập số liệu của 2 đơn vị (thay đổi 4 giá trị)." in text(client.get(response["Location"]))
    values = {
        (v.report.organization.code, v.target.code): v
        for v in ReportValue.objects.select_related("report__organization", "target")
    }
    assert values[("CDCS-MXH", "CT01")].value == Decimal(12)
    assert values[("CDCS-GBM", "CT01")].value == Decimal(1050)
    assert values[("CDCS-MXH", "CT04")].achieved is True and values[("CDCS-GBM", "CT04")].achieved is False
    assert all(v.on_behalf and v.entered_by == personas.district_officer for v in values.values())
    assert values[("CDCS-MXH", "CT01")].history.first().history_user == personas.district_officer
    # Each value's history row names the unit it belongs to, so the unit's auditors read it.
    assert {(v.report.organization_id, v.history.get().history_unit) for v in values.values()} == {
        (tree.grassroots.pk, tree.grassroots.pk),
        (tree.other_grassroots.pk, tree.other_grassroots.pk),
    }
    assert Report.objects.get(organization=tree.grassroots).history.get().history_unit == tree.grassroots.pk
    assert Report.objects.get(organization=tree.grassroots).events.get().action == Action.IMPORTED
    # The sheet downloaded again carries the figures: a round trip changes nothing.
    _response, again = export(client, plan, tree.district)
    response = send(client, plan, tree.district, again)
    assert "thay đổi 0 giá trị" in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({("CDCS-MXH", "CT01"): "mười hai"}, [("4", "F", "“mười hai” không phải là số.")]),
        ({("CDCS-MXH", "CT01"): -2}, [("4", "F", "-2 là số âm.")]),
        ({("CDCS-MXH", "CT04"): "đã làm"}, [("4", None, "Hãy ghi “có” hoặc “không”, không phải “đã làm”.")]),
        ({("CDCS-MXH", "CT03:tu"): 3}, [("4", None, "Chỉ tiêu CT03 không áp dụng cho CDCS-MXH.")]),
    ],
)
def test_bad_cells_are_listed_by_row_and_column_and_nothing_is_saved(client, tree, personas, plan, changes, expected):
    client.force_login(personas.district_officer)
    rows = filled(client, plan, tree.district, {("CDCS-GBM", "CT01"): 30, **changes})
    page = text(send(client, plan, tree.district, rows))
    assert "Chưa nhập dữ liệu nào. Hãy sửa các ô được liệt kê dưới đây rồi tải tệp lên lại." in page
    for row, column, message in expected:
        if column:
            assert f"<tr><td>{row}</td><td>{column}</td><td>{message}</td></tr>" in page
        else:
            assert f"<tr><td>{row}</td>" in page and message in page
    assert not ReportValue.objects.exists()


def test_too_many_rows_comes_first_when_every_row_is_wrong(client, tree, personas, plan, settings):
    """The page lists the first problems only: the row cap, the reason to split the file, leads them."""
    settings.IMPORT_MAX_ROWS = 2
    settings.IMPORT_PROBLEMS_SHOWN = 2
    client.force_login(personas.district_officer)
    rows = filled(client, plan, tree.district, {("CDCS-MXH", "CT01"): "mười hai", ("CDCS-GBM", "CT01"): "mười"})
    page = text(send(client, plan, tree.district, rows[:2] + rows[2:] * 3))
    assert "Trang tính có quá nhiều dòng." in page
    assert page.index("Trang tính có quá nhiều dòng.") < page.index("không phải là số.")
    assert "Phát hiện" in page
    assert not ReportValue.objects.exists()


def test_units_that_are_unknown_outside_or_above_are_refused(client, tree, personas, plan, district_people):
    client.force_login(personas.district_officer)
    rows = filled(client, plan, tree.district, {("CDCS-GBM", "CT01"): 30})
    header = rows[:2]
    template = list(rows[2])
    extra = []
    for code in ("KHONG-CO", "CDCS-THDS", "CDP-XH"):
        row = list(template)
        row[0] = code
        extra.append(row)
    page = text(send(client, plan, tree.district, header + rows[2:] + extra))
    assert "Không có đơn vị nào có mã KHONG-CO." in page
    assert "CDCS-THDS không thuộc Công đoàn phường Xuân Hòa." in page
    assert "CDP-XH không nhập số liệu ở đây: không phải công đoàn cơ sở tham gia kế hoạch này." in page
    assert not ReportValue.objects.exists()


def test_percentages_need_a_numerator_no_larger_than_the_denominator(client, tree, personas, plan):
    client.force_login(personas.province_staff)
    rows = filled(client, plan, tree.province, {("CDCS-THDS", "CT03:tu"): 30, ("CDCS-THDS", "CT03:mau"): 25})
    page = text(send(client, plan, tree.province, rows))
    assert "CT03: tử số (30) lớn hơn mẫu số (25)." in page
    rows = filled(client, plan, tree.province, {("CDCS-THDS", "CT03:tu"): 20, ("CDCS-THDS", "CT03:mau"): 25})
    assert send(client, plan, tree.province, rows).status_code == 302
    value = ReportValue.objects.get(target__code="CT03")
    assert (value.numerator, value.denominator) == (Decimal(20), Decimal(25))


def test_a_sent_or_approved_report_is_not_changed_from_a_file(client, tree, personas, plan, round_one, district_people):
    report = services.save_report(
        plan,
        tree.grassroots,
        round_one,
        actor=personas.g1_officer,
        data=services.ReportInput(entries={plan.targets.get(code="CT01").pk: services.Entry(value=Decimal(12))}),
    )
    services.submit_report(report, actor=personas.g1_officer)
    services.approve_report(report, actor=district_people.leader)
    client.force_login(personas.district_officer)
    rows = filled(client, plan, tree.district, {("CDCS-MXH", "CT01"): 99, ("CDCS-GBM", "CT01"): 30})
    page = text(send(client, plan, tree.district, rows))
    assert "Báo cáo của CDCS-MXH đang ở trạng thái “đã duyệt”; không thể sửa bằng tệp." in page
    assert ReportValue.objects.get(report=report).value == Decimal(12)
    assert not Report.objects.filter(organization=tree.other_grassroots).exists()
    assert Report.objects.get(pk=report.pk).status == Status.APPROVED


def test_files_that_are_not_workbooks_or_too_big_are_refused(client, tree, personas, plan, settings):
    client.force_login(personas.district_officer)
    url = reverse("reports:report_bulk_import", args=[plan.pk, tree.district.pk, "1"])
    page = text(client.post(url, {"file": upload(content=b"CODE;NAME\nCDCS-MXH;x", name="so-lieu.xlsx")}))
    assert "Tệp không phải bảng tính Excel (.xlsx)." in page
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    page = text(client.post(url, {"file": upload(content=b"PK\x03\x04" + b"0" * (2 * 1024 * 1024), name="lon.xlsx")}))
    assert "Tệp vượt quá dung lượng cho phép (1 MB)." in page


def test_only_units_that_enter_figures_use_the_sheet(client, tree, personas, plan, district_people):
    client.force_login(district_people.leader)  # reviews, does not enter
    assert client.get(reverse("reports:report_bulk_export", args=[plan.pk, tree.district.pk, "1"])).status_code == 403
    client.force_login(personas.grassroots_chair)
    assert client.get(reverse("reports:report_bulk_export", args=[plan.pk, tree.district.pk, "1"])).status_code == 404
