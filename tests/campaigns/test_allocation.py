"""Giao chỉ tiêu: the allocation table, its checks, conflicts and the Excel round trip."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.services import close_campaign
from core.exceptions import ConflictError, DomainError
from targets.forms import cell_name
from targets.models import Allocation, AllocationSheet
from targets.services import save_allocation
from tests.xlsx import read_rows, upload, xlsx_bytes


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def share(plan, unit, code):
    found = Allocation.objects.filter(target__campaign=plan, target__code=code, organization=unit).first()
    return found.value if found else None


def table_url(plan, unit):
    return reverse("targets:allocation", args=[plan.pk, unit.pk])


def table_post(plan, allocating, values, version):
    data = {"sheet_version": version}
    for unit, code, value in values:
        data[cell_name(unit.pk, plan.targets.get(code=code).pk)] = value
    return data


@pytest.fixture
def ct(published_plan):
    return {code: published_plan.targets.get(code=code) for code in ("CT01", "CT02")}


def version_of(plan, unit):
    return AllocationSheet.objects.get(campaign=plan, organization=unit).version


def test_the_table_shows_plan_totals_and_what_is_short(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    page = text(client.get(table_url(published_plan, tree.province)))
    # Only count and money targets are split: CT03 (percentage) and CT04 (coverage) are not columns.
    assert ">CT01</abbr>" in page and ">CT02</abbr>" in page
    assert "CT03" not in page and "CT04" not in page
    # Plan 120 and 5; given 70 + 50 = 120 and 3: CT02 is short by 2 and marked so.
    assert re.search(r'data-plan="120\.00" data-target="\d+">120<', page)
    assert re.search(r'alloc-total" data-target="\d+">120<', page)
    assert re.search(r'alloc-total" data-target="\d+">3<', page)
    assert re.search(r'alloc-remainder" data-target="\d+">0<span class="visually-hidden short-hint" hidden>', page)
    assert re.search(
        r'alloc-remainder text-danger fw-bold" data-target="\d+">2<span class="visually-hidden short-hint"> '
        r"\(chưa giao đủ kế hoạch\)",
        page,
    )
    assert "Công đoàn phường Xuân Hòa" in page and "Công đoàn phường Đông Sơn" in page
    assert "Lưu việc giao chỉ tiêu" in page


def test_saving_the_table_writes_each_share_and_keeps_history(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    url = table_url(published_plan, tree.province)
    data = table_post(
        published_plan,
        tree.province,
        [
            (tree.district, "CT01", "80"),
            (tree.other_district, "CT01", "40"),
            (tree.district, "CT02", "3"),
            (tree.other_district, "CT02", "2"),
        ],
        version_of(published_plan, tree.province),
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert share(published_plan, tree.district, "CT01") == Decimal(80)
    assert share(published_plan, tree.other_district, "CT01") == Decimal(40)
    assert share(published_plan, tree.other_district, "CT02") == Decimal(2)
    page = text(client.get(url))
    assert "Đã lưu việc giao chỉ tiêu (thay đổi 3 giá trị)." in page
    assert "text-danger fw-bold" not in page
    # Every change is in the history with who made it.
    history = Allocation.history.filter(organization=tree.district, target__code="CT01").order_by("history_date")
    assert [h.value for h in history] == [Decimal(70), Decimal(80)]
    assert history.last().history_user == personas.province_staff
    assert "Nguyễn Thị Tỉnh" in page


def test_emptying_a_cell_takes_the_share_back(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    data = table_post(
        published_plan,
        tree.province,
        [(tree.district, "CT01", "70"), (tree.other_district, "CT01", "50"), (tree.district, "CT02", "")],
        version_of(published_plan, tree.province),
    )
    client.post(table_url(published_plan, tree.province), data)
    assert share(published_plan, tree.district, "CT02") is None
    assert Allocation.history.filter(organization=tree.district, target__code="CT02", history_type="-").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("-5", "Không được âm."), ("bốn mươi", "Hãy nhập một số."), ("1,2,3", "Hãy nhập một số.")],
)
def test_bad_values_are_refused_and_every_input_is_kept(client, tree, personas, published_plan, typed, message):
    client.force_login(personas.province_staff)
    data = table_post(
        published_plan,
        tree.province,
        [(tree.district, "CT01", "1.000"), (tree.other_district, "CT01", typed), (tree.district, "CT02", "4")],
        version_of(published_plan, tree.province),
    )
    response = client.post(table_url(published_plan, tree.province), data)
    page = text(response)
    assert response.status_code == 200
    assert "Một số giá trị không hợp lệ; đã được đánh dấu trong bảng." in page
    assert message in page
    assert f'value="{typed}"' in page and 'value="1.000"' in page and 'value="4"' in page
    # Nothing was written: the shares are still those of the fixture.
    assert share(published_plan, tree.district, "CT01") == Decimal(70)
    assert share(published_plan, tree.district, "CT02") == Decimal(3)


def test_vietnamese_number_formats_are_read(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    data = table_post(
        published_plan,
        tree.province,
        [(tree.district, "CT01", "1.250"), (tree.other_district, "CT01", "12,5")],
        version_of(published_plan, tree.province),
    )
    client.post(table_url(published_plan, tree.province), data)
    assert share(published_plan, tree.district, "CT01") == Decimal(1250)
    assert share(published_plan, tree.other_district, "CT01") == Decimal("12.5")
    page = text(client.get(table_url(published_plan, tree.province)))
    # Shown back without grouping, so that saving again reads the same number.
    assert 'value="1250"' in page and 'value="12,5"' in page


def test_a_stale_table_is_a_conflict_and_the_input_is_kept(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    stale = version_of(published_plan, tree.province)
    # Someone else saves in between.
    save_allocation(
        published_plan,
        tree.province,
        actor=personas.province_staff,
        values={(tree.district.pk, published_plan.targets.get(code="CT01").pk): 60},
        expected_version=stale,
    )
    data = table_post(published_plan, tree.province, [(tree.district, "CT01", "99")], stale)
    page = text(client.post(table_url(published_plan, tree.province), data))
    assert "Nguyễn Thị Tỉnh đã lưu bảng giao chỉ tiêu trong lúc bạn đang sửa." in page
    assert 'value="99"' in page
    assert "Tải lại trang để xem số liệu hiện tại." in page
    assert share(published_plan, tree.district, "CT01") == Decimal(60)


def test_the_district_splits_its_own_share_further_down(client, tree, personas, published_plan):
    # The district officer holds no campaign right: it sees its table but may not save.
    client.force_login(personas.district_officer)
    url = table_url(published_plan, tree.district)
    page = text(client.get(url))
    assert "Công ty TNHH May Xuân Hòa" in page and "Công ty TNHH Giày Bình Minh" in page
    assert re.search(r'data-plan="70\.00" data-target="\d+">70<', page)
    assert "Lưu việc giao" not in page
    assert client.post(url, {"sheet_version": 0}).status_code == 403

    from tests.factories import make_membership, make_user

    district_staff = make_user("phuong.quantri", full_name="Đỗ Văn Quận")
    make_membership(district_staff, tree.district, "staff")
    save_allocation(
        published_plan,
        tree.district,
        actor=district_staff,
        values={
            (tree.grassroots.pk, published_plan.targets.get(code="CT01").pk): 40,
            (tree.other_grassroots.pk, published_plan.targets.get(code="CT01").pk): 30,
        },
        expected_version=None,
    )
    assert share(published_plan, tree.grassroots, "CT01") == Decimal(40)
    assert Allocation.objects.get(organization=tree.grassroots, target__code="CT01").allocated_by == tree.district
    # The district cannot give shares to units that are not directly below it.
    with pytest.raises(DomainError, match="không thuộc bảng giao này"):
        save_allocation(
            published_plan,
            tree.district,
            actor=district_staff,
            values={(tree.far_grassroots.pk, published_plan.targets.get(code="CT01").pk): 5},
            expected_version=None,
        )
    # Nor split the province's table.
    with pytest.raises(DomainError, match="Bạn không có quyền giao chỉ tiêu"):
        save_allocation(published_plan, tree.province, actor=district_staff, values={}, expected_version=None)


def test_a_unit_that_received_nothing_has_no_table(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    # other_grassroots received no share: there is nothing to split from it.
    assert client.get(table_url(published_plan, tree.other_grassroots)).status_code == 404
    # A grassroots chair cannot open the district's table above it.
    client.force_login(personas.grassroots_chair)
    assert client.get(table_url(published_plan, tree.district)).status_code == 404


def test_a_closed_campaign_refuses_changes(tree, personas, published_plan):
    close_campaign(published_plan, actor=personas.province_staff)
    with pytest.raises(DomainError, match="Phong trào đã kết thúc"):
        save_allocation(published_plan, tree.province, actor=personas.province_staff, values={}, expected_version=None)


def test_a_draft_is_split_only_by_its_owner(tree, personas, draft_plan):
    target = draft_plan.targets.get(code="CT01")
    save_allocation(
        draft_plan,
        tree.province,
        actor=personas.province_staff,
        values={(tree.district.pk, target.pk): 10},
        expected_version=None,
    )
    assert share(draft_plan, tree.district, "CT01") == Decimal(10)
    with pytest.raises(ConflictError):
        save_allocation(
            draft_plan,
            tree.province,
            actor=personas.province_staff,
            values={(tree.district.pk, target.pk): 11},
            expected_version=0,
        )


# --- Excel round trip -------------------------------------------------------------------------


def test_the_sheet_downloads_with_codes_plan_and_current_shares(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    response = client.get(reverse("targets:allocation_export", args=[published_plan.pk, tree.province.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="giao-chi-tieu-ldld-ap-2026-')
    rows = read_rows(response.content)
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "CT01", "CT02"]
    assert rows[1][2] == "Kết nạp mới 120 đoàn viên"
    assert rows[2][2:] == [120, 5]
    body = {row[0]: row[2:] for row in rows[3:]}
    assert body == {"CDP-DS": [50, None], "CDP-XH": [70, 3]}


def test_a_filled_sheet_uploads_every_cell(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    exported = client.get(reverse("targets:allocation_export", args=[published_plan.pk, tree.province.pk])).content
    rows = read_rows(exported)
    for row in rows[3:]:
        row[2], row[3] = (75, 3) if row[0] == "CDP-XH" else ("45", "2")
    response = client.post(
        reverse("targets:allocation_import", args=[published_plan.pk, tree.province.pk]),
        {"file": upload(rows)},
    )
    assert response.status_code == 302
    assert share(published_plan, tree.district, "CT01") == Decimal(75)
    assert share(published_plan, tree.other_district, "CT01") == Decimal(45)
    assert share(published_plan, tree.other_district, "CT02") == Decimal(2)
    assert "Đã nhập bảng giao chỉ tiêu (thay đổi 3 giá trị)." in text(
        client.get(table_url(published_plan, tree.province))
    )


def edited(content, unit_code, value):
    """The downloaded file itself with one CT01 cell changed, as Excel would save it."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=4):
        if row[0].value == unit_code:
            row[2].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return upload(content=buffer.getvalue())


def test_a_sheet_downloaded_before_someone_else_saved_is_refused(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    export_url = reverse("targets:allocation_export", args=[published_plan.pk, tree.province.pk])
    import_url = reverse("targets:allocation_import", args=[published_plan.pk, tree.province.pk])
    stale = client.get(export_url).content
    target = published_plan.targets.get(code="CT01")
    version = AllocationSheet.objects.get(campaign=published_plan, organization=tree.province).version
    save_allocation(
        published_plan,
        tree.province,
        actor=personas.province_staff,
        values={(tree.other_district.pk, target.pk): 44},
        expected_version=version,
    )

    page = text(client.post(import_url, {"file": edited(stale, "CDP-XH", 99)}))
    assert (
        "Nguyễn Thị Tỉnh đã lưu bảng giao chỉ tiêu này sau khi tệp được tải về. "
        "Hãy tải lại tệp, nhập số liệu của bạn vào đó rồi tải lên." in page
    )
    assert share(published_plan, tree.district, "CT01") == Decimal(70)
    assert share(published_plan, tree.other_district, "CT01") == Decimal(44)

    fresh = client.get(export_url).content
    assert client.post(import_url, {"file": edited(fresh, "CDP-XH", 76)}).status_code == 302
    assert share(published_plan, tree.district, "CT01") == Decimal(76)
    assert share(published_plan, tree.other_district, "CT01") == Decimal(44)


HEADER = [["Mã đơn vị", "Tên đơn vị", "CT01", "CT02"], ["", "", "", ""], ["", "", 120, 5]]


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ([["CDP-XH", "", "bảy mươi", 3]], [("4", "C", "“bảy mươi” không phải là số.")]),
        ([["CDP-XH", "", -1, 3]], [("4", "C", "-1 là số âm.")]),
        ([["KHONG-CO", "", 1, 1]], [("4", "A", "Không có đơn vị nào có mã KHONG-CO.")]),
        (
            [["CDCS-MXH", "", 1, 1]],
            [("4", "A", "CDCS-MXH không phải đơn vị trực thuộc Liên đoàn Lao động tỉnh An Phú tham gia kế hoạch này.")],
        ),
        ([["", "Công đoàn phường Xuân Hòa", 1, 1]], [("4", "A", "Thiếu mã đơn vị.")]),
        ([["CDP-XH", "", 1, 1], ["CDP-XH", "", 2, 2]], [("5", "A", "Đơn vị CDP-XH đã có ở dòng 4.")]),
        (
            [["CDP-XH", "", 80, 3], ["CDP-DS", "", "-", "x"]],
            [("5", "C", "“-” không phải là số."), ("5", "D", "“x” không phải là số.")],
        ),
    ],
)
def test_a_sheet_with_problems_imports_nothing_and_lists_each_cell(
    client, tree, personas, published_plan, body, problems
):
    client.force_login(personas.province_staff)
    response = client.post(
        reverse("targets:allocation_import", args=[published_plan.pk, tree.province.pk]),
        {"file": upload(HEADER + body)},
    )
    page = text(response)
    assert "Chưa nhập dữ liệu nào. Hãy sửa các ô được liệt kê dưới đây rồi tải tệp lên lại." in page
    assert f"Phát hiện {len(problems)} lỗi" in page
    for row, column, message in problems:
        assert f"<tr><td>{row}</td><td>{column}</td><td>{message}</td></tr>" in page
    # All or nothing: even the valid first row was not written.
    assert share(published_plan, tree.district, "CT01") == Decimal(70)
    assert share(published_plan, tree.other_district, "CT01") == Decimal(50)


def test_too_many_rows_comes_first_when_every_row_is_wrong(client, tree, personas, published_plan, settings):
    """The page lists the first problems only: the row cap, the reason to split the file, leads them."""
    settings.IMPORT_MAX_ROWS = 3
    settings.IMPORT_PROBLEMS_SHOWN = 2
    client.force_login(personas.province_staff)
    body = [["KHONG-CO", "", 1, 1]] * 5
    page = text(
        client.post(
            reverse("targets:allocation_import", args=[published_plan.pk, tree.province.pk]),
            {"file": upload(HEADER + body)},
        )
    )
    assert "Phát hiện 5 lỗi" in page
    assert "Dưới đây là 2 lỗi đầu tiên trong 5 lỗi." in page
    assert page.count("<tr><td>") == 2
    assert "<tr><td>8</td><td>—</td><td>Trang tính có quá nhiều dòng.</td></tr>" in page
    assert "<tr><td>4</td><td>A</td><td>Không có đơn vị nào có mã KHONG-CO.</td></tr>" in page
    assert share(published_plan, tree.district, "CT01") == Decimal(70)


def test_the_header_row_must_name_targets_of_the_plan(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    url = reverse("targets:allocation_import", args=[published_plan.pk, tree.province.pk])
    page = text(client.post(url, {"file": upload([["Mã", "Tên", "CT01", "CT03", "CT01"], ["", "", 1, 1, 1]])}))
    assert "“CT03” không phải chỉ tiêu được giao của kế hoạch này." in page
    assert "Chỉ tiêu CT01 xuất hiện hai lần." in page
    page = text(client.post(url, {"file": upload([["Mã", "Tên"], ["CDP-XH", "x"]])}))
    assert "Dòng 1 phải chứa mã chỉ tiêu; hãy dùng bảng tính tải từ cổng." in page
    page = text(client.post(url, {"file": upload(HEADER)}))
    assert "Trang tính không có dòng đơn vị nào." in page


def test_a_file_that_is_not_a_workbook_is_refused(client, tree, personas, published_plan):
    client.force_login(personas.province_staff)
    url = reverse("targets:allocation_import", args=[published_plan.pk, tree.province.pk])
    response = client.post(url, {"file": upload(content=b"%PDF-1.7 not a sheet", name="giao.xlsx")})
    assert response.status_code == 200
    assert "Tệp không phải bảng tính Excel (.xlsx)." in text(response)
    response = client.post(url, {"file": upload(content=xlsx_bytes([["a"]]), name="giao.csv")})
    assert response.status_code == 200
    assert share(published_plan, tree.district, "CT01") == Decimal(70)


def test_only_staff_of_the_unit_may_upload(client, tree, personas, published_plan):
    client.force_login(personas.district_officer)
    url = reverse("targets:allocation_import", args=[published_plan.pk, tree.district.pk])
    assert client.post(url, {"file": upload(HEADER)}).status_code == 403
    client.force_login(personas.grassroots_chair)
    assert client.post(url, {"file": upload(HEADER)}).status_code == 404
