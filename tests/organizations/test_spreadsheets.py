"""Units in Excel: template, export and the all-or-nothing import."""

import io
import zipfile

import pytest
from django.urls import reverse

from core.exceptions import DomainError
from core.xlsx import open_workbook
from organizations.models import EventType, Organization
from organizations.spreadsheets import UnitExporter, UnitImport
from tests.factories import make_organization
from tests.xlsx import read_rows, upload, xlsx_bytes

HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Tên viết tắt",
    "Loại đơn vị",
    "Khu vực",
    "Mã đơn vị cấp trên",
    "Số đoàn viên",
    "Số người lao động",
    "Ngày thành lập",
]


def run_import(rows, actor, scope):
    return UnitImport(actor=actor, scope=scope).run(open_workbook(upload(rows)))


def messages(result):
    return [f"{i.row}|{i.column}|{i.message}" for i in result.issues]


def test_template_has_the_headers_the_lists_and_the_instructions(client, personas):
    client.force_login(personas.province_staff)
    response = client.get(reverse("organizations:organization_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-don-vi.xlsx"'
    rows = read_rows(response.content)
    assert rows[0][:6] == HEADER[:6]
    kinds = [r[0] for r in read_rows(response.content, sheet=1)]
    assert "Công đoàn cơ sở" in kinds and "Công đoàn xã, phường, đặc khu" in kinds
    assert "Liên đoàn Lao động cấp huyện" not in kinds  # ended in 2025
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"dataValidation" in archive.read("xl/worksheets/sheet1.xml")


def test_export_holds_the_subtree_only_and_neutralises_formulas(tree, personas):
    make_organization('=HYPERLINK("http://x")', parent=tree.grassroots, kind_code="to_cong_doan", code="TCD-F")
    filename, content_type, content = UnitExporter(tree.district).render()
    rows = read_rows(content)
    codes = [r[0] for r in rows[1:]]
    assert codes == ["CDP-XH", "CDCS-GBM", "CDCS-MXH", "TCD-F"]
    formula_row = next(r for r in rows if r[0] == "TCD-F")
    assert formula_row[1] == '\'=HYPERLINK("http://x")'
    assert filename.startswith("don-vi-cdp-xh-") and content_type.endswith("sheet")


def test_import_creates_rows_whose_parents_are_in_the_file_or_the_portal(tree, personas):
    rows = [
        HEADER,
        ["TCD-2", "Tổ công đoàn Tổ may 2", "", "Tổ công đoàn", "", "CDBP-1", 30, 31, "15/3/2020"],
        [
            "CDBP-1",
            "Công đoàn bộ phận Xưởng may",
            "",
            "Công đoàn bộ phận",
            "",
            "CDCS-MXH",
            "1.200",
            None,
            None,
        ],
        [
            "CDCS-NEW",
            "Công đoàn cơ sở Công ty CP Dệt Xuân Hòa",
            "CĐCS Dệt XH",
            "cdcs",
            "Ngoài nhà nước",
            "CDP-XH",
            85,
            90,
            None,
        ],
    ]
    result = run_import(rows, personas.province_staff, tree.district)
    assert result.ok, messages(result)
    assert [o.code for o in result.created] == ["CDBP-1", "CDCS-NEW", "TCD-2"]
    new = Organization.objects.get(code="CDCS-NEW")
    assert (new.parent, new.sector, new.members_count, new.short_name) == (
        tree.district,
        "ngoai_nn",
        85,
        "CĐCS Dệt XH",
    )
    assert Organization.objects.get(code="CDBP-1").members_count == 1200
    assert str(Organization.objects.get(code="TCD-2").founded_on) == "2020-03-15"
    assert new.events.get().event_type == EventType.FOUNDED
    assert new.history.get().history_user == personas.province_staff


def test_import_updates_existing_units_of_the_scope(tree, personas):
    rows = [
        HEADER,
        [
            "CDCS-MXH",
            "Công đoàn cơ sở Công ty TNHH May Xuân Hòa",
            "",
            "Công đoàn cơ sở",
            "fdi",
            "CDP-XH",
            433,
            460,
            None,
        ],
    ]
    result = run_import(rows, personas.province_staff, tree.district)
    assert result.ok and len(result.updated) == 1
    tree.grassroots.refresh_from_db()
    assert (tree.grassroots.members_count, tree.grassroots.sector, tree.grassroots.version) == (
        433,
        "fdi",
        2,
    )


def test_export_then_import_changes_nothing_but_the_versions(tree, personas):
    _name, _type, content = UnitExporter(tree.district).render()
    before = Organization.objects.count()
    result = UnitImport(actor=personas.province_staff, scope=tree.district).run(open_workbook(upload(content=content)))
    assert result.ok, messages(result)
    assert (len(result.created), len(result.updated), Organization.objects.count()) == (
        0,
        3,
        before,
    )


BAD_ROWS = [
    pytest.param(
        [["CDCS-A", "CĐCS A", "", "Công đoàn cơ sở", "", "CDP-XH", "mười", -1, "32/13/2020"]],
        [
            "2|G (Số đoàn viên)|“mười” không phải số nguyên từ 0 trở lên.",
            "2|H (Số người lao động)|“-1” không phải số nguyên từ 0 trở lên.",
            "2|I (Ngày thành lập)|“32/13/2020” không phải ngày hợp lệ (dd/mm/yyyy).",
        ],
        id="numbers-and-dates",
    ),
    pytest.param(
        [
            ["CDCS-A", "CĐCS A", "", "Công đoàn cơ sở", "", "CDP-XH", 1, 1, None],
            ["CDCS-A", "CĐCS A lần 2", "", "Công đoàn cơ sở", "", "CDP-XH", 1, 1, None],
        ],
        ["3|A (Mã đơn vị)|Mã CDCS-A đã dùng ở dòng 2."],
        id="duplicate-code",
    ),
    pytest.param(
        [["CDCS-A", "CĐCS A", "", "Công đoàn cơ sở", "", "KHONG-CO", 1, 1, None]],
        ["2|F (Mã đơn vị cấp trên)|Không tìm thấy đơn vị có mã KHONG-CO, cả trên cổng lẫn trong bảng tính này."],
        id="unknown-parent",
    ),
    pytest.param(
        [["CDCS-A", "CĐCS A", "", "Công đoàn cơ sở", "", "CDP-DS", 1, 1, None]],
        [
            "2|F (Mã đơn vị cấp trên)|Đơn vị cấp trên CDP-DS nằm ngoài Công đoàn phường Xuân Hòa, nơi bạn đang nhập dữ liệu."
        ],
        id="parent-outside-scope",
    ),
    pytest.param(
        [["CDCS-THDS", "Trường khác", "", "Công đoàn cơ sở", "", "CDP-XH", 1, 1, None]],
        [
            "2|A (Mã đơn vị)|Mã CDCS-THDS là của “Công đoàn cơ sở Trường Tiểu học Đông Sơn”, đơn vị nằm ngoài Công đoàn phường Xuân Hòa."
        ],
        id="code-of-a-unit-outside",
    ),
    pytest.param(
        [["", "", "", "Công ty", "Tư nhân", "CDP-XH", 1, 1, None]],
        [
            "2|A (Mã đơn vị)|Không được để trống.",
            "2|B (Tên đơn vị)|Không được để trống.",
            "2|D (Loại đơn vị)|Loại đơn vị “Công ty” không hợp lệ; hãy chọn trong danh sách ở trang “Danh muc”.",
            "2|E (Khu vực)|Khu vực “Tư nhân” không hợp lệ.",
        ],
        id="missing-and-unknown-values",
    ),
    pytest.param(
        [["LDLD-X", "LĐLĐ X", "", "Liên đoàn Lao động tỉnh, thành phố", "", "CDP-XH", 0, 0, None]],
        [
            "2|D (Loại đơn vị)|Đơn vị loại “Liên đoàn Lao động tỉnh, thành phố” không thể trực thuộc đơn vị loại “Công đoàn xã, phường, đặc khu”."
        ],
        id="kind-above-parent",
    ),
    pytest.param(
        [
            ["TCD-A", "Tổ A", "", "Tổ công đoàn", "", "TCD-B", 1, 1, None],
            ["TCD-B", "Tổ B", "", "Tổ công đoàn", "", "TCD-A", 1, 1, None],
        ],
        [
            "2|F (Mã đơn vị cấp trên)|Các dòng trong bảng tính là cấp trên của nhau (vòng lặp).",
            "3|F (Mã đơn vị cấp trên)|Các dòng trong bảng tính là cấp trên của nhau (vòng lặp).",
        ],
        id="loop",
    ),
    pytest.param(
        [["CDCS-MXH", "CĐCS May", "", "Công đoàn cơ sở", "", "CDCS-GBM", 1, 1, None]],
        [
            "2|F (Mã đơn vị cấp trên)|Đơn vị CDCS-MXH đang trực thuộc CDP-XH; dùng chức năng “Chuyển đơn vị” trên cổng để đổi đơn vị cấp trên."
        ],
        id="parent-change-is-a-move",
    ),
]


@pytest.mark.parametrize(("rows", "expected"), BAD_ROWS)
def test_bad_rows_are_all_reported_and_nothing_is_written(tree, personas, rows, expected):
    before = Organization.objects.count()
    result = run_import([HEADER, *rows], personas.province_staff, tree.district)
    assert messages(result) == expected
    assert Organization.objects.count() == before


def test_a_good_row_is_not_written_when_another_row_is_bad(tree, personas):
    rows = [
        HEADER,
        ["CDCS-OK", "CĐCS tốt", "", "Công đoàn cơ sở", "", "CDP-XH", 1, 1, None],
        ["CDCS-BAD", "CĐCS lỗi", "", "Công đoàn cơ sở", "", "KHONG-CO", 1, 1, None],
    ]
    assert not run_import(rows, personas.province_staff, tree.district).ok
    assert not Organization.objects.filter(code="CDCS-OK").exists()


def test_a_refusal_while_writing_rolls_every_row_back(tree, personas):
    # Changing the district's kind to a grassroots kind would strand its grassroots units;
    # the service refuses it after the first row was already written.
    rows = [
        HEADER,
        ["CDCS-OK", "CĐCS tốt", "", "Công đoàn cơ sở", "", "CDP-XH", 1, 1, None],
        ["CDP-XH", "Công đoàn phường Xuân Hòa", "", "Công đoàn cơ sở", "", "LDLD-AP", 1, 1, None],
    ]
    result = run_import(rows, personas.province_staff, tree.province)
    assert messages(result) == [
        "3|D (Loại đơn vị)|Không thể đổi loại: các đơn vị trực thuộc sẽ không còn phù hợp (Công đoàn cơ sở Công ty TNHH Giày Bình Minh)."
    ]
    assert not Organization.objects.filter(code="CDCS-OK").exists()
    assert Organization.objects.get(code="CDP-XH").kind.code == "cd_xa_phuong"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["Mã", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"]],
            ["1|A|Cột “Mã” không hợp lệ.", "1||Thiếu cột bắt buộc “Mã đơn vị”."],
        ),
        (
            [HEADER[:3]],
            ["1||Thiếu cột bắt buộc “Loại đơn vị”.", "1||Thiếu cột bắt buộc “Mã đơn vị cấp trên”."],
        ),
        ([HEADER + ["Mã đơn vị"]], ["1|J|Cột “Mã đơn vị” xuất hiện hai lần."]),
        ([HEADER], ["0||Trang tính không có dòng dữ liệu nào."]),
        ([], ["0||Trang tính không có dòng tiêu đề. Hãy dùng tệp mẫu tải từ cổng."]),
    ],
    ids=["unknown-header", "missing-headers", "duplicate-header", "no-rows", "empty-sheet"],
)
def test_header_problems(tree, personas, rows, expected):
    result = run_import(rows, personas.province_staff, tree.district)
    assert messages(result) == expected


def test_english_headers_are_accepted_too(tree, personas):
    rows = [
        ["Unit code", "Unit name", "Unit kind", "Parent unit code"],
        ["CDCS-EN", "CĐCS English", "Công đoàn cơ sở", "CDP-XH"],
    ]
    assert run_import(rows, personas.province_staff, tree.district).ok


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp rỗng."),
        (b"Ma don vi;Ten don vi\nA;B\n", "Tệp không phải bảng tính Excel (.xlsx)."),
        (b"PK\x03\x04 this is not really a zip", "Tệp không phải bảng tính Excel (.xlsx)."),
    ],
    ids=["empty", "csv", "broken-zip"],
)
def test_files_that_are_not_xlsx_are_refused(content, message):
    with pytest.raises(DomainError) as error:
        open_workbook(upload(content=content))
    assert str(error.value).startswith(message)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(DomainError, match="không phải bảng tính Excel"):
        open_workbook(upload(content=buffer.getvalue()))


def test_oversized_files_are_refused_before_parsing(settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError, match=r"vượt quá dung lượng cho phép \(1 MB\)"):
        open_workbook(upload(content=b"PK\x03\x04" + b"0" * (1024 * 1024)))


def test_too_many_rows_are_refused(tree, personas, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [HEADER] + [[f"CDCS-{i}", f"CĐCS {i}", "", "Công đoàn cơ sở", "", "CDP-XH", 1, 1, None] for i in range(5)]
    result = run_import(rows, personas.province_staff, tree.district)
    assert messages(result) == ["5||Trang tính có hơn 3 dòng; hãy chia thành nhiều tệp."]


def test_import_page_lists_every_problem_and_keeps_nothing(client, tree, personas):
    client.force_login(personas.province_staff)
    url = reverse("organizations:organization_import", args=[tree.district.pk])
    rows = [HEADER, ["CDCS-A", "CĐCS A", "", "Công đoàn cơ sở", "", "KHONG-CO", "abc", 1, None]]
    response = client.post(url, {"file": upload(rows)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phát hiện 2 lỗi" in page
    assert "Không tìm thấy đơn vị có mã KHONG-CO" in page
    assert "“abc” không phải số nguyên từ 0 trở lên." in page
    assert not Organization.objects.filter(code="CDCS-A").exists()


def test_import_page_lists_the_first_problems_and_counts_them_all(client, tree, personas, settings):
    settings.IMPORT_PROBLEMS_SHOWN = 200
    client.force_login(personas.province_staff)
    url = reverse("organizations:organization_import", args=[tree.district.pk])
    rows = [HEADER] + [
        [f"CDCS-{i}", f"CĐCS {i}", "", "Công đoàn cơ sở", "", "KHONG-CO", 1, 1, None] for i in range(1250)
    ]
    response = client.post(url, {"file": upload(rows)})
    page = response.content.decode()
    assert "Phát hiện 1.250 lỗi" in page
    assert "Dưới đây là 200 lỗi đầu tiên trong 1.250 lỗi" in page
    assert page.count("Không tìm thấy đơn vị có mã KHONG-CO") == 200
    assert "<td>201</td>" in page and "<td>202</td>" not in page
    assert not Organization.objects.filter(code__startswith="CDCS-1").exists()


def test_import_page_reports_a_file_that_is_not_xlsx(client, tree, personas):
    client.force_login(personas.province_staff)
    url = reverse("organizations:organization_import", args=[tree.district.pk])
    response = client.post(url, {"file": upload(content=b"%PDF-1.7 fake", name="don-vi.xlsx")})
    assert response.status_code == 200
    assert "Tệp không phải bảng tính Excel (.xlsx)" in response.content.decode()


def test_import_page_success_redirects_with_counts(client, tree, personas):
    client.force_login(personas.grassroots_chair)
    url = reverse("organizations:organization_import", args=[tree.grassroots.pk])
    rows = [
        HEADER,
        ["CDBP-A", "Công đoàn bộ phận Kho", "", "Công đoàn bộ phận", "", "CDCS-MXH", 12, 12, None],
    ]
    response = client.post(url, {"file": upload(rows)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("organizations:organization_detail", args=[tree.grassroots.pk])
    assert "Nhập xong: tạo mới 1 đơn vị, cập nhật 0 đơn vị." in response.content.decode()
    assert Organization.objects.get(code="CDBP-A").parent == tree.grassroots


def test_xlsx_bytes_helper_round_trips():
    assert read_rows(xlsx_bytes([["a", 1]])) == [["a", 1]]
