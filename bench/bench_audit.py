"""The audit trail's pages on a national-scale history, on PostgreSQL.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_scale .venv/bin/python bench/bench_audit.py --fill 2000000
    DATABASE_URL=… .venv/bin/python bench/bench_audit.py [--repeat 5]

Needs the national dataset (bench/bench_dashboard.py --generate). ``--fill N`` adds N history
rows of report values (one "changed" row per value, cycling through the values), stamped with
each value's unit and spread over a year, as years of data entry would leave them; it then
ANALYZEs. Without it the existing history is used.

Then it times (medians, full pages through the test client) the journal of a district auditor,
a province auditor and a superuser, the journal filtered by kind, by user and by dates, a
report's own page (its values two links deep), a province's unit page and a user's page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dashboard import setup_django  # noqa: E402

FILL_SQL = """
INSERT INTO reports_historicalreportvalue
    (id, value, numerator, denominator, achieved, note, review_comment, on_behalf, report_id, target_id,
     entered_by_id, history_date, history_change_reason, history_type, history_user_id, history_unit)
SELECT v.id, v.value, v.numerator, v.denominator, v.achieved, v.note, v.review_comment, v.on_behalf,
       v.report_id, v.target_id, v.entered_by_id,
       now() - (random() * interval '365 days'), NULL, '~', %(user)s, r.organization_id
FROM reports_reportvalue v JOIN reports_report r ON r.id = v.report_id
ORDER BY v.id
LIMIT %(limit)s
"""


def fill(total):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    user = get_user_model().objects.order_by("pk").first()
    start = time.perf_counter()
    done = 0
    while done < total:
        batch = min(1_000_000, total - done)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FILL_SQL, {"user": user.pk, "limit": batch})
        done += batch
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_historicalreportvalue")
    print(f"filled {total:,} history rows in {time.perf_counter() - start:.0f} s")


def timed(client, url, repeat, **query):
    response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url, query)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(response.context["entries"])


def reader(username, unit, role):
    from django.contrib.auth import get_user_model

    from organizations.models import Membership

    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, organization=unit, defaults={"role": role})
    return user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database holding the national dataset.")
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from organizations.models import Organization
    from reports.models import Report

    if args.fill:
        fill(args.fill)
    from audit.registry import audited_models, history_model

    rows = sum(history_model(model).objects.count() for model in audited_models())
    print(f"history rows in all tables: {rows:,}")
    province = Organization.objects.get(code="SC-THA")
    district = province.children.order_by("pk").first()
    superuser = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench", "bench@example.vn", "bench"
    )
    report = Report.objects.filter(organization__parent=district, values__isnull=False).first()
    journal = reverse("audit:journal")
    cases = [
        ("journal, district auditor", reader("bench.audit.district", district, "staff"), journal, {}),
        ("journal, province auditor", reader("bench.audit.province", province, "staff"), journal, {}),
        ("journal, superuser (national)", superuser, journal, {}),
        ("journal, province, kind=report values", "province", journal, {"kind": "reports.reportvalue"}),
        ("journal, province, one month", "province", journal, {"date_from": "2026-03-01", "date_to": "2026-03-31"}),
        ("journal, province, page 20", "province", journal, {"page": 20}),
        (
            "a report's page (with its values)",
            "province",
            reverse("audit:object_journal", args=["reports.report", report.pk]),
            {},
        ),
        (
            "a province's unit page",
            "province",
            reverse("audit:object_journal", args=["organizations.organization", province.pk]),
            {},
        ),
        ("a user's page (superuser reader)", superuser, reverse("audit:user_journal", args=[superuser.pk]), {}),
    ]
    province_reader = cases[1][1]
    for label, user, url, query in cases:
        user = province_reader if user == "province" else user
        client = Client()
        client.force_login(user)
        seconds, entries = timed(client, url, args.repeat, **query)
        print(f"{label:<40} {seconds * 1000:7.0f} ms  {entries:3} entries")


if __name__ == "__main__":
    main()
