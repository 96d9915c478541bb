"""Hostile spreadsheets through the four Excel imports' upload views.

Each example is a workbook that looks like the portal's own sheet (headers and cells from the
real export or template) with cells, headers and sheets mutated, or a file that is not a
workbook at all. The import either succeeds (a redirect) or refuses with every problem shown
in Vietnamese and not one row written.
"""

import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from awards.spreadsheets import HistoryTemplateExporter
from organizations.spreadsheets import UnitTemplateExporter
from reports.spreadsheets import BulkExporter
from targets.spreadsheets import AllocationExporter
from tests.fuzz.checks import check_import
from tests.fuzz.strategies import FORMULAS, broken_files, cell, hostile_cell, workbook

pytestmark = pytest.mark.django_db


def rows_of(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@st.composite
def sheets(draw, header_rows, columns, good_rows):
    """A workbook: the real header rows (maybe damaged) and data rows of mostly right cells."""
    header = [list(r) for r in header_rows]
    if draw(st.booleans()):
        row = draw(st.integers(0, len(header) - 1))
        column = draw(st.integers(0, max(len(header[row]) - 1, 0)))
        mutation = draw(st.sampled_from(["cell", "drop", "duplicate", "clear", "formula"]))
        if mutation == "cell" and header[row]:
            header[row][column] = draw(hostile_cell)
        elif mutation == "drop" and header[row]:
            del header[row][column]
        elif mutation == "duplicate" and header[row]:
            header[row].append(header[row][column])
        elif mutation == "clear":
            header[row] = []
        else:
            header[row].insert(column, draw(st.sampled_from(FORMULAS)))
    data = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["good", "mixed", "mixed", "empty", "short", "long"]))
        if kind == "good" and good_rows:
            data.append(list(draw(st.sampled_from(good_rows))))
        elif kind == "empty":
            data.append([])
        elif kind == "short":
            data.append([draw(cell(columns[0]))])
        elif kind == "long":
            data.append([draw(cell(valid)) for valid in columns] + [draw(hostile_cell) for _ in range(3)])
        else:
            data.append([draw(cell(valid)) for valid in columns])
    rows = header + data
    merged = draw(st.sampled_from([None, None, None, "A1:B1", "A2:C4", f"B{len(rows)}:D{len(rows) + 1}"]))
    extra = draw(st.sampled_from([0, 0, 0, 1, 2]))
    return workbook(rows, merged=merged, extra_sheet_first=draw(st.booleans()), extra_sheets=extra)


def files(header_rows, columns, good_rows, valid_content):
    return st.one_of(
        sheets(header_rows, columns, good_rows),
        sheets(header_rows, columns, good_rows),
        sheets(header_rows, columns, good_rows),
        broken_files(valid_content),
    )


# Units -------------------------------------------------------------------------------------

UNIT_ROWS = [
    ["CDCS-FZ1", "Công đoàn cơ sở Công ty Thử", "CĐCS Thử", "Công đoàn cơ sở", "Ngoài nhà nước", "CDP-XH", 10, 12],
    ["TCD-FZ2", "Tổ công đoàn Thử", "", "Tổ công đoàn", "", "CDCS-MXH", 5, 5, "01/02/2020"],
    ["CDCS-MXH", "Công đoàn cơ sở Công ty TNHH May Xuân Hòa", "", "Công đoàn cơ sở", "", "CDP-XH", 421, 450],
]
UNIT_COLUMNS = [
    ["CDCS-FZ1", "TCD-FZ2", "CDCS-MXH", "CDCS-BS", "cdcs-mxh"],
    ["Công đoàn cơ sở Thử", "Tổ công đoàn"],
    ["CĐCS", ""],
    ["Công đoàn cơ sở", "Tổ công đoàn", "cdcs", "Liên đoàn Lao động tỉnh"],
    ["Ngoài nhà nước", "FDI", "", "fdi"],
    ["CDP-XH", "CDCS-MXH", "CDCS-FZ1", "LDLD-BS", "LDLD-AP"],
    [0, 10, "1.200", -1],
    [0, 12, ""],
    ["01/02/2020", "2020-02-01", "31/02/2020", ""],
    ["Số 1 đường Lê Lợi", ""],
    ["0912345678", ""],
    ["cd@example.vn", "khong-phai-email", ""],
]


def test_unit_import_survives_hostile_sheets(client, tree, personas, counts, fuzz_stats):
    template = UnitTemplateExporter().render()[2]
    url = reverse("organizations:organization_import", kwargs={"pk": tree.district.pk})
    client.force_login(personas.province_staff)
    header = rows_of(template)[:1]

    @given(files(header, UNIT_COLUMNS, UNIT_ROWS, template))
    def run(content):
        check_import(client, url, content, counts, fuzz_stats)

    run()


# Allocation ----------------------------------------------------------------------------------


def test_allocation_import_survives_hostile_sheets(client, tree, personas, published_plan, counts, fuzz_stats):
    content = AllocationExporter(published_plan, tree.province).render()[2]
    rows = rows_of(content)
    width = len(rows[0])
    columns = [["CDP-XH", "CDP-DS", "CDCS-MXH", "LDLD-BS", ""], ["Công đoàn phường"]] + [
        [0, 1, 70, 12.5, "1.000", ""] for _ in range(width - 2)
    ]
    url = reverse("targets:allocation_import", kwargs={"pk": published_plan.pk, "unit_pk": tree.province.pk})
    client.force_login(personas.province_staff)

    @given(files(rows[:3], columns, rows[3:], content))
    def run(content):
        check_import(client, url, content, counts, fuzz_stats, refused="Chưa nhập dữ liệu nào.")

    run()


# Report figures ------------------------------------------------------------------------------


def test_bulk_report_import_survives_hostile_sheets(client, tree, personas, published_plan, counts, fuzz_stats):
    round_ = published_plan.rounds.get(number=1)
    content = BulkExporter(published_plan, tree.district, round_).render()[2]
    rows = rows_of(content)
    width = len(rows[0])
    columns = [["CDCS-MXH", "CDCS-GBM", "CDCS-BS", "CDP-XH", ""], ["Công ty"], ["Nháp"]] + [
        [0, 3, 12.5, "có", "không", "—", "", "1.000"] for _ in range(width - 3)
    ]
    good = [[r[0], r[1], r[2]] + [3] * (width - 3) for r in rows[2:]]
    url = reverse(
        "reports:report_bulk_import", kwargs={"pk": published_plan.pk, "unit_pk": tree.district.pk, "period": "1"}
    )
    client.force_login(personas.district_officer)

    @given(files(rows[:2], columns, good, content))
    def run(content):
        check_import(client, url, content, counts, fuzz_stats)

    run()


# Awards history ------------------------------------------------------------------------------

HISTORY_ROWS = [
    ["CDCS-MXH", "Nguyễn Văn An", 2023, "danh-hieu", "ldtt", None, None, "12/QĐ-CĐCS", "15/01/2024", "CĐCS May"],
    ["CDCS-MXH", "Nguyễn Văn An", 2022, "xep-loai", 2],
    ["CDCS-MXH", None, 2023, "danh-hieu", "ttldtt"],
    ["CDCS-MXH", "Trần Thị Bình", 2022, "vang-mat", None, 120, "thai-san"],
]
HISTORY_COLUMNS = [
    ["CDCS-MXH", "CDCS-GBM", "CDCS-BS", "KHONG-CO"],
    ["Nguyễn Văn An", "Trần Thị Bình", None, "Người Lạ"],
    [2023, 2022, 1944, 2099, "2023"],
    ["danh-hieu", "khen-thuong", "xep-loai", "xep-loai-cong-doan", "ky-luat", "vang-mat", "giai-thuong"],
    ["ldtt", "cstdcs", "ttldtt", 1, 2, 4, 5],
    [None, 30, 400, -1],
    [None, "thai-san", "om-dau", "nghỉ phép"],
    [None, "12/QĐ-CĐCS"],
    [None, "15/01/2024", "31/02/2024"],
    [None, "CĐCS May Xuân Hòa"],
]


def test_history_import_survives_hostile_sheets(client, tree, personas, counts, fuzz_stats):
    from tests.awards.factories import make_person

    make_person(tree.grassroots, "Nguyễn Văn An")
    make_person(tree.grassroots, "Trần Thị Bình")
    template = HistoryTemplateExporter().render()[2]
    url = reverse("awards:history_import")
    client.force_login(personas.province_staff)

    @given(files(rows_of(template)[:1], HISTORY_COLUMNS, HISTORY_ROWS, template))
    def run(content):
        check_import(client, url, content, counts, fuzz_stats)

    run()
