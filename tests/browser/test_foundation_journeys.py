"""Issue journeys: a grassroots officer sees only their unit; province staff import units."""

import re

from playwright.sync_api import expect

from organizations.models import Organization
from tests.xlsx import xlsx_bytes


def test_grassroots_officer_sees_their_unit_and_nothing_of_a_sibling(page, sign_in, tree, personas):
    sign_in("may.chuyenvien")
    expect(page.get_by_role("heading", name="Công đoàn cơ sở Công ty TNHH May Xuân Hòa")).to_be_visible()
    expect(page.get_by_text("Cán bộ nghiệp vụ (nhập liệu)")).to_be_visible()
    expect(page.get_by_text("Hiện chưa có việc cần làm.")).to_be_visible()

    page.get_by_role("navigation", name="Trình đơn chính").get_by_role("link", name="Đơn vị").click()
    tree_section = page.locator("section", has=page.get_by_role("heading", name="Cây tổ chức công đoàn"))
    expect(tree_section).to_contain_text("Công đoàn cơ sở Công ty TNHH May Xuân Hòa")
    expect(tree_section).not_to_contain_text("Giày Bình Minh")
    expect(page.get_by_role("link", name="Người dùng")).to_have_count(0)

    page.get_by_label("Tên hoặc mã").fill("giay binh minh")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_text("Tìm thấy 0 đơn vị")).to_be_visible()

    response = page.goto(f"/units/{tree.other_grassroots.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Giày Bình Minh")


def test_province_staff_browse_the_tree_and_import_units(page, sign_in, tree, personas, tmp_path):
    sign_in("tinh.quantri")
    page.get_by_role("navigation", name="Trình đơn chính").get_by_role("link", name="Đơn vị").click()
    expect(page.get_by_role("link", name="Liên đoàn Lao động tỉnh An Phú")).to_be_visible()

    # Branches open on click and load through htmx.
    toggle = page.get_by_role("button", name="Hiện các đơn vị trực thuộc Công đoàn phường Xuân Hòa")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Công đoàn cơ sở Công ty TNHH Giày Bình Minh")).to_be_visible()

    page.get_by_role("link", name="Công đoàn phường Xuân Hòa", exact=True).click()
    page.get_by_role("button", name="Quản lý").click()
    page.get_by_role("link", name="Nhập đơn vị từ Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập đơn vị trực thuộc Công đoàn phường Xuân Hòa")

    sheet = tmp_path / "don-vi-moi.xlsx"
    sheet.write_bytes(
        xlsx_bytes(
            [
                [
                    "Mã đơn vị",
                    "Tên đơn vị",
                    "Loại đơn vị",
                    "Khu vực",
                    "Mã đơn vị cấp trên",
                    "Số đoàn viên",
                ],
                [
                    "CDCS-DET",
                    "Công đoàn cơ sở Công ty CP Dệt Xuân Hòa",
                    "Công đoàn cơ sở",
                    "Ngoài nhà nước",
                    "CDP-XH",
                    210,
                ],
                [
                    "CDCS-GO",
                    "Công đoàn cơ sở Công ty TNHH Gỗ Xuân Hòa",
                    "Công đoàn cơ sở",
                    "Vốn đầu tư nước ngoài",
                    "CDP-XH",
                    95,
                ],
            ]
        )
    )
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(sheet)
    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.get_by_role("alert")).to_contain_text("Nhập xong: tạo mới 2 đơn vị, cập nhật 0 đơn vị.")
    expect(page.get_by_role("link", name="Công đoàn cơ sở Công ty CP Dệt Xuân Hòa")).to_be_visible()
    expect(page.locator("#totals-heading + dl")).to_contain_text("1.925")  # 420 + 1.200 + 210 + 95

    page.get_by_role("navigation", name="Trình đơn chính").get_by_role("link", name="Đơn vị").click()
    page.get_by_label("Tên hoặc mã").fill("det xuan hoa")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("link", name="Công đoàn cơ sở Công ty CP Dệt Xuân Hòa")).to_be_visible()
    assert Organization.objects.get(code="CDCS-GO").sector == "fdi"


def test_a_bad_import_lists_its_rows_in_the_browser(page, sign_in, tree, personas, tmp_path):
    sign_in("tinh.quantri")
    page.goto(f"/units/{tree.district.pk}/import/")
    sheet = tmp_path / "loi.xlsx"
    sheet.write_bytes(
        xlsx_bytes(
            [
                ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Số đoàn viên"],
                ["CDCS-X1", "CĐCS X1", "Công đoàn cơ sở", "CDP-XH", "nhiều"],
                ["CDCS-X2", "CĐCS X2", "Công đoàn cơ sở", "CDP-DS", 5],
            ]
        )
    )
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(sheet)
    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.get_by_role("heading", name="Phát hiện 2 lỗi")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows.nth(0)).to_contain_text(re.compile(r"2\s*E \(Số đoàn viên\)\s*“nhiều” không phải số nguyên"))
    expect(rows.nth(1)).to_contain_text("Đơn vị cấp trên CDP-DS nằm ngoài Công đoàn phường Xuân Hòa")
    assert not Organization.objects.filter(code__in=["CDCS-X1", "CDCS-X2"]).exists()
