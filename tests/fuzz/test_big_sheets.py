"""100 000-row sheets through each Excel import (bench only: FUZZ_BIG_SHEETS=1).

openpyxl reads some 10 000 rows a second here, so a 100 000-row file costs seconds to tens of
seconds before any check: too slow for the suite. ``bench/fuzz_inputs.py`` runs these and
prints the time and peak memory; each must be refused at the row cap (IMPORT_MAX_ROWS) with
its Vietnamese message and nothing written.
"""

import io
import os
import resource
import time
import tracemalloc

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from awards.spreadsheets import HistoryTemplateExporter
from organizations.spreadsheets import UnitTemplateExporter
from reports.spreadsheets import BulkExporter
from targets.spreadsheets import AllocationExporter
from tests.fuzz.bigsheet import big_xlsx
from tests.fuzz.checks import check_import

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("FUZZ_BIG_SHEETS"), reason="100 000-row sheets: set FUZZ_BIG_SHEETS=1"),
]
ROWS = int(os.environ.get("FUZZ_BIG_ROWS", 100_000))


def header_of(content, count):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r, _ in zip(sheet.iter_rows(values_only=True), range(count), strict=False)]


def measured(client, url, content, counts, fuzz_stats):
    fuzz_stats["rows"] = ROWS
    fuzz_stats["file_mb"] = round(len(content) / 1e6, 2)
    tracemalloc.start()
    started = time.monotonic()
    response = check_import(client, url, content, counts, fuzz_stats)
    fuzz_stats["request_s"] = round(time.monotonic() - started, 2)
    fuzz_stats["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    tracemalloc.stop()
    fuzz_stats["process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    page = response.content.decode()
    fuzz_stats["page_mb"] = round(len(response.content) / 1e6, 2)
    fuzz_stats["outcome"] = response.status_code
    return page


def test_units_100k(client, tree, personas, counts, fuzz_stats):
    header = header_of(UnitTemplateExporter().render()[2], 1)
    content = big_xlsx(
        header,
        lambda i: [f"CDCS-B{i:06d}", f"Công đoàn cơ sở số {i}", "", "Công đoàn cơ sở", "", "CDP-XH", 10, 12],
        ROWS,
    )
    client.force_login(personas.province_staff)
    page = measured(
        client,
        reverse("organizations:organization_import", kwargs={"pk": tree.district.pk}),
        content,
        counts,
        fuzz_stats,
    )
    assert f"Trang tính có hơn {settings.IMPORT_MAX_ROWS} dòng; hãy chia thành nhiều tệp." in page


def test_allocation_100k(client, tree, personas, published_plan, counts, fuzz_stats):
    header = header_of(AllocationExporter(published_plan, tree.province).render()[2], 3)
    codes = ["CDP-XH", "CDP-DS"]
    content = big_xlsx(header, lambda i: [codes[i % 2], "Công đoàn phường"] + [i % 90] * (len(header[0]) - 2), ROWS)
    client.force_login(personas.province_staff)
    url = reverse("targets:allocation_import", kwargs={"pk": published_plan.pk, "unit_pk": tree.province.pk})
    page = measured(client, url, content, counts, fuzz_stats)
    assert "Trang tính có quá nhiều dòng." in page


def test_bulk_reports_100k(client, tree, personas, published_plan, counts, fuzz_stats):
    round_ = published_plan.rounds.get(number=1)
    header = header_of(BulkExporter(published_plan, tree.district, round_).render()[2], 2)
    codes = ["CDCS-MXH", "CDCS-GBM"]
    content = big_xlsx(header, lambda i: [codes[i % 2], "Công ty", "Nháp"] + [3] * (len(header[0]) - 3), ROWS)
    client.force_login(personas.district_officer)
    url = reverse(
        "reports:report_bulk_import", kwargs={"pk": published_plan.pk, "unit_pk": tree.district.pk, "period": "1"}
    )
    page = measured(client, url, content, counts, fuzz_stats)
    assert "Trang tính có quá nhiều dòng." in page


def test_history_100k(client, tree, personas, counts, fuzz_stats):
    from tests.awards.factories import make_person

    make_person(tree.grassroots, "Nguyễn Văn An")
    header = header_of(HistoryTemplateExporter().render()[2], 1)
    content = big_xlsx(header, lambda i: ["CDCS-MXH", "Nguyễn Văn An", 1946 + i % 80, "xep-loai", 2], ROWS)
    client.force_login(personas.province_staff)
    page = measured(client, reverse("awards:history_import"), content, counts, fuzz_stats)
    assert f"Trang tính có quá {settings.IMPORT_MAX_ROWS} dòng." in page
