"""Registrations and reports at the scale of a big ward union: 500 grassroots units, 20 targets.

Usage: .venv/bin/python bench/bench_reports.py [--units 500] [--repeat 5]
       DATABASE_URL=postgres://… .venv/bin/python bench/bench_reports.py   (a scratch database is created)

It builds a throwaway database, a published plan with 20 targets (counts, money,
percentages, coverage, yes/no) allocated down to the units, a registration for every unit
and an approved round-1 report for most of them, then times (medians):

- the registrations board and the reports board of the ward union (full page render);
- the roll-up of the ward's figures;
- the Excel sheet of the 500 units, and its upload (parse, check, save all figures),
  with the upload's peak Python memory.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir):
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment
    from django.utils import translation

    settings.MEDIA_ROOT = workdir / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    translation.activate("vi")
    if "postgres" in settings.DATABASES["default"]["ENGINE"]:
        # Never touch a real database: work in a scratch one named for the bench.
        from django.db import connection

        connection.settings_dict.setdefault("TEST", {})["NAME"] = "thidua_bench"
        settings.DATABASES["default"]["NAME"] = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)


def timed(function, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


TARGET_KINDS = ["count"] * 10 + ["money"] * 2 + ["percentage"] * 4 + ["coverage"] * 2 + ["yes_no"] * 2


def build(units_count):
    """The ward union, its units, the plan, allocations, registrations and approved reports."""
    from campaigns.interchange import import_campaign
    from campaigns.services import publish_campaign
    from organizations.kinds import load_kinds
    from organizations.models import Membership, Organization, OrganizationKind
    from reports.models import Registration, Report, ReportValue, Status
    from targets.models import Allocation
    from tests.factories import make_organization, make_user, plan_document

    load_kinds(OrganizationKind)
    root = make_organization("Tổng Liên đoàn Lao động Việt Nam", kind_code="tld", code="TLD")
    province = make_organization("Liên đoàn Lao động tỉnh An Phú", kind_code="ldld_tinh", parent=root, code="LDLD-AP")
    ward = make_organization("Công đoàn phường Xuân Hòa", kind_code="cd_xa_phuong", parent=province, code="CDP-XH")
    kind = OrganizationKind.objects.get(code="cdcs")
    sectors = ["ngoai_nn", "fdi", "dnnn", "hcsn"]
    Organization.objects.bulk_create(
        Organization(
            name=f"Công đoàn cơ sở Công ty số {n:03d}",
            code=f"CDCS-{n:04d}",
            kind=kind,
            parent=ward,
            sector=sectors[n % 4],
            members_count=50 + n,
            search_text=f"cong doan co so cong ty so {n:03d}",
        )
        for n in range(units_count)
    )
    staff = make_user("phuong.quantri", full_name="Cán bộ phường")
    Membership.objects.create(user=staff, organization=ward, role="staff")
    province_staff = make_user("tinh.quantri", full_name="Cán bộ tỉnh")
    Membership.objects.create(user=province_staff, organization=province, role="staff")

    targets = [
        {
            "code": f"CT{i + 1:02d}",
            "label": f"{i + 1}.",
            "joiner": "",
            "text": f"Chỉ tiêu thứ {i + 1}",
            "kind": kind_,
            "comparator": "gte",
            "plan_value": 85 if kind_ in ("percentage", "coverage") else (None if kind_ == "yes_no" else 5000),
            "unit": "",
            "sectors": [],
            "unit_kinds": [],
            "period": "year",
            "source": "reported",
            "allocations": [],
        }
        for i, kind_ in enumerate(TARGET_KINDS)
    ]
    plan = import_campaign(
        plan_document("LDLD-AP", number=3, issued_on="2026-01-15", targets=targets), actor=province_staff
    )
    publish_campaign(plan, actor=province_staff)
    units = list(Organization.objects.filter(parent=ward).order_by("code"))
    allocatable = [t for t in plan.targets.all() if t.kind in ("count", "money")]
    Allocation.objects.bulk_create(
        Allocation(target=t, organization=u, allocated_by=ward, value=Decimal(10)) for t in allocatable for u in units
    )
    Allocation.objects.bulk_create(
        Allocation(target=t, organization=ward, allocated_by=province, value=Decimal(5000)) for t in allocatable
    )
    Registration.objects.bulk_create(
        Registration(
            campaign=plan,
            organization=u,
            status=[Status.APPROVED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT][n % 4],
        )
        for n, u in enumerate(units)
    )
    round_one = plan.rounds.get(number=1)
    # Most units have an approved round-1 report; the rest are still in the workflow.
    reports = Report.objects.bulk_create(
        Report(campaign=plan, organization=u, round=round_one, status=Status.APPROVED if n % 5 else Status.DRAFT)
        for n, u in enumerate(units[: units_count - 25])
    )
    if any(r.pk is None for r in reports):
        reports = list(Report.objects.filter(campaign=plan, round=round_one))
    values = []
    for report in reports:
        for target in plan.targets.all():
            if target.kind in ("count", "money"):
                values.append(ReportValue(report=report, target=target, value=Decimal(7)))
            elif target.kind == "percentage":
                values.append(ReportValue(report=report, target=target, numerator=Decimal(17), denominator=Decimal(20)))
            else:
                values.append(ReportValue(report=report, target=target, achieved=True))
    ReportValue.objects.bulk_create(values, batch_size=2000)
    return plan, ward, staff, round_one


def bench(units_count, repeat):
    from django.test import Client
    from django.urls import reverse

    from reports import scope
    from reports.rollup import rollup
    from reports.spreadsheets import BulkExporter

    start = time.perf_counter()
    plan, ward, staff, round_one = build(units_count)
    print(
        f"Built {units_count} units, 20 targets, {units_count} registrations, "
        f"{units_count - 25} round-1 reports in {time.perf_counter() - start:.1f} s\n"
    )
    client = Client()
    client.force_login(staff)

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    pages = [
        ("Registrations board (500 rows)", reverse("reports:registration_board", args=[plan.pk, ward.pk])),
        ("Reports board, round 1 (roll-up + 500 rows)", reverse("reports:report_board", args=[plan.pk, ward.pk, "1"])),
        (
            "Ward's own round-1 report (pre-filled roll-up)",
            reverse("reports:report_detail", args=[plan.pk, ward.pk, "1"]),
        ),
    ]
    for label, url in pages:
        page(url)  # warm the template cache
        seconds, response = timed(lambda url=url: page(url), repeat)
        print(f"{label:<48} {seconds * 1000:7.0f} ms  ({len(response.content) // 1024} KB)")
    targets = scope.campaign_targets(plan)
    seconds, _ = timed(lambda: rollup(plan, ward, round_one, targets), repeat)
    print(f"{'Roll-up of the ward (20 targets)':<48} {seconds * 1000:7.0f} ms")

    seconds, rendered = timed(lambda: BulkExporter(plan, ward, round_one).render(), repeat)
    filename, _content_type, content = rendered
    print(f"{'Excel sheet of the units (download)':<48} {seconds * 1000:7.0f} ms  ({len(content) // 1024} KB)")
    upload_time, changed = upload(client, plan, ward, content, figure=9)
    print(f"{'Excel upload: parse, check, save all figures':<48} {upload_time * 1000:7.0f} ms  ({changed})")
    # Memory is traced on a second upload (tracing slows Python down, so it is not timed).
    _seconds, peak = upload(client, plan, ward, content, figure=8, trace=True)
    print(f"{'Excel upload, peak Python memory (tracemalloc)':<48} {peak / 1024 / 1024:7.1f} MB")


def upload(client, plan, ward, content, figure, trace=False):
    """Upload the downloaded sheet with every unit's round-1 figures set to ``figure``."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from openpyxl import load_workbook

    from reports.models import Report, Status

    # Reports still in the workflow are what a real upload would fill; reopen the rest.
    Report.objects.filter(campaign=plan).update(status=Status.DRAFT)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    keys = [cell.value for cell in sheet[1]]
    yes_no = {
        key for key, heading in zip(keys, [c.value for c in sheet[2]], strict=False) if "có/không" in str(heading)
    }
    for row in sheet.iter_rows(min_row=3):
        for cell, key in zip(row, keys, strict=False):
            if key and key.startswith("CT") and ":" not in key and cell.value != "—":
                cell.value = "Có" if key in yes_no else figure
            elif key and key.endswith(":tu") and cell.value != "—":
                cell.value = figure * 2
            elif key and key.endswith(":mau") and cell.value != "—":
                cell.value = 20
    buffer = io.BytesIO()
    workbook.save(buffer)
    url = reverse("reports:report_bulk_import", args=[plan.pk, ward.pk, "1"])
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue())})
    seconds = time.perf_counter() - start
    assert response.status_code == 302, response.content.decode()[-2000:]
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return seconds, peak
    message = client.get(response["Location"]).context["messages"]
    return seconds, " ".join(str(m) for m in message)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.db import connection

        print(f"Database: {connection.vendor}; median of {args.repeat} runs\n")
        bench(args.units, args.repeat)
        if connection.vendor == "postgresql":
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    print(f"\nPeak memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
