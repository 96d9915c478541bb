"""Campaign dashboards at national scale, on PostgreSQL.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_scale .venv/bin/python bench/bench_dashboard.py --generate
    DATABASE_URL=… .venv/bin/python bench/bench_dashboard.py [--repeat 5]     (reuses the generated data)

``--generate`` (re)creates the named database, migrates it and runs ``generate_scale_data``
(about 130 000 grassroots unions, 55 plans, 5 million values). Then, for a province of about
4 000 units, the largest province (about 15 000) and the whole country, it times (medians):

- the dashboard page, rendered in full through the test client;
- the single raw SQL aggregate over the submissions that the page's figures need (approved
  round values of every grassroots union below, grouped by the unit directly below and by
  target): the floor without the totals table, and the page's ratio to it;
- the read of the totals table the page actually runs.

Last, the full national Excel export of every grassroots union (write-only, streamed), run in
a child process whose peak resident memory is reported.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
    import django

    django.setup()
    from django.test.utils import setup_test_environment
    from django.utils import translation

    setup_test_environment()
    translation.activate("vi")


def generate(url):
    """Recreate the database named in DATABASE_URL and fill it with the national dataset."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env)
    start = time.perf_counter()
    subprocess.run([*manage, "generate_scale_data"], check=True, env=env)
    print(f"generate_scale_data: {time.perf_counter() - start:.0f} s")
    # The totals are updated in place while they are built: vacuum away the dead rows and
    # give the planner fresh statistics, as autovacuum would some time later.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


FLOOR_SQL = """
WITH RECURSIVE below(id, top) AS (
    SELECT id, id FROM organizations_organization WHERE parent_id = %(unit)s
    UNION ALL
    SELECT o.id, b.top FROM organizations_organization o JOIN below b ON o.parent_id = b.id
)
SELECT b.top, t.code, SUM(v.value), SUM(v.numerator), SUM(v.denominator),
       SUM(CASE WHEN v.achieved THEN 1 ELSE 0 END), COUNT(v.achieved)
FROM reports_reportvalue v
JOIN reports_report r ON r.id = v.report_id
JOIN campaigns_round rd ON rd.id = r.round_id
JOIN targets_target t ON t.id = v.target_id
JOIN below b ON b.id = r.organization_id
WHERE r.campaign_id = ANY(%(family)s) AND r.status = 'approved' AND NOT r.is_aggregate AND rd.number = %(round)s
GROUP BY b.top, t.code
"""


def floor(unit, family, period):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"unit": unit.pk, "family": list(family), "round": period})
        return cursor.fetchall()


def case(label, campaign, unit, repeat, client):
    from dashboards import board as boards
    from dashboards import progress

    fam = boards.family(campaign)
    url = f"/campaigns/{campaign.pk}/dashboard/?unit={unit.pk}&round=1"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    children = list(unit.children.values_list("pk", flat=True))
    page = timed(lambda: client.get(url), repeat)
    raw = timed(lambda: floor(unit, fam, 1), repeat)
    summary = timed(lambda: progress.unit_sums(list(fam), [*children, unit.pk]), repeat)
    built = timed(lambda: boards.build(campaign, unit, boards.Filters(period=1)), repeat)
    leaves = boards.build(campaign, unit, boards.Filters(period=1)).total.reports.units
    print(
        f"{label:<28} {leaves:>8,} units  page {page * 1000:7.0f} ms  figures {built * 1000:6.0f} ms  "
        f"raw aggregate {raw * 1000:7.0f} ms  ratio page/raw {page / raw:5.2f}  totals read {summary * 1000:5.1f} ms"
    )


def export_child():
    """Runs in its own process: the full national detail export, then its peak memory."""
    setup_django()
    from campaigns.models import Campaign
    from dashboards import board as boards
    from dashboards.exports import DetailExporter
    from organizations.models import Organization

    national = Campaign.objects.get(owner__code="TLD", parent__isnull=True, number=1)
    tld = Organization.objects.get(code="TLD")
    exporter = DetailExporter(national, tld, boards.Filters(period=1))
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stream:
        exporter.write(stream)
        size = stream.tell()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"national xlsx export: {exporter.count():,} rows, {size / 1e6:.1f} MB file, {seconds:.0f} s, "
        f"peak RSS {peak:.0f} MB"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is dropped and recreated with --generate).")
    if args.export_child:
        export_child()
        return
    if args.generate:
        generate(url)
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from campaigns.models import Campaign
    from organizations.models import Organization

    user = get_user_model().objects.filter(username="bench").first() or get_user_model().objects.create_superuser(
        "bench", "bench@example.vn", "bench"
    )
    client = Client()
    client.force_login(user)
    national = Campaign.objects.get(owner__code="TLD", parent__isnull=True, number=1)
    for code, label in (("SC-THA", "Province (Thanh Hóa)"), ("SC-HCM", "Largest province (HCM)")):
        unit = Organization.objects.get(code=code)
        case(label, Campaign.objects.get(owner=unit), unit, args.repeat, client)
    case("National (Tổng Liên đoàn)", national, Organization.objects.get(code="TLD"), args.repeat, client)
    if not args.no_export:
        subprocess.run([sys.executable, __file__, "--export-child"], check=True)


if __name__ == "__main__":
    main()
