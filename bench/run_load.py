"""Load test: locust replays the users' mixed journeys against gunicorn on loopback, on the national dataset.

Usage:
    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/run_load.py                       # 100 users, 10 minutes, on thidua_scale
    .venv/bin/python bench/run_load.py --users 20 --run-time 60s          # a smoke test
    .venv/bin/python bench/run_load.py --copy-to thidua_load  # on a fresh copy, leaving thidua_scale as it is

Steps: check the database's migrations (``--migrate`` applies pending ones), create the load accounts
(bench/load_users.py, idempotent; one officer account per simulated officer), start gunicorn (production
settings, ``--workers`` processes of ``--threads`` threads, one request per connection, as ``make serve``) and
db_worker on a free loopback port, run locust headless with ``--csv``, then print
throughput, p50/p95/p99, the error rate and each endpoint's figures. The CSV files stay in ``--out``.
The journeys write (report drafts, a few approvals): that is their point.
"""

import argparse
import contextlib
import csv
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import PG_ROOT, PYTHON, ROOT, Portal, manage, portal_env  # noqa: E402

BENCH = Path(__file__).resolve().parent


def copy_database(source, target, recreate):
    import psycopg

    with psycopg.connect(PG_ROOT + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if exists and not recreate:
            print(f"Using the existing copy {target} (--recreate for a fresh one).")
            return
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        start = time.monotonic()
        # A template copy needs the source idle for a moment; it is read, never changed.
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        print(f"Copied {source} to {target} in {time.monotonic() - start:.0f} s.")


def check_migrations(env, migrate):
    pending = manage(env, "migrate", "--check", check=False).returncode != 0
    if pending and not migrate:
        raise SystemExit("The database has unapplied migrations: run with --migrate to apply them (or use --copy-to).")
    if pending:
        manage(env, "migrate", "--noinput", quiet=False)


def tree_cpu(process):
    """CPU seconds of a process and everything below it, exited processes included: each one's
    time is in the ``children_*`` of the process that reaped it."""
    import psutil

    total = 0.0
    with contextlib.suppress(psutil.Error):
        for member in [process, *process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                times = member.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
    return total


class CpuMeter:
    """Where the machine's CPU went during the run: the app, the task worker, PostgreSQL, locust."""

    def __init__(self, portal):
        import psutil

        self.psutil = psutil
        self.portal = portal
        # The postmaster: the postgres process whose parent is not one.
        self.postgres = next(
            (
                p
                for p in psutil.process_iter(["name"])
                if p.info["name"] == "postgres" and p.parent() is not None and p.parent().name() != "postgres"
            ),
            None,
        )

    def read(self):
        psutil = self.psutil
        return {
            "gunicorn": tree_cpu(psutil.Process(self.portal.gunicorn.pid)),
            "task worker": tree_cpu(psutil.Process(self.portal.worker.pid)) if self.portal.worker else 0.0,
            "PostgreSQL": tree_cpu(self.postgres) if self.postgres else 0.0,
            # locust is this script's only child reaped during the run.
            "locust": sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f) for f in ("ru_utime", "ru_stime")),
            "machine": psutil.cpu_times(),
        }

    @staticmethod
    def report(before, after, requests, seconds):
        print(f"\nCPU during the run ({os.cpu_count()} cores × {seconds:.0f} s):")
        for name in ("gunicorn", "task worker", "PostgreSQL", "locust"):
            used = after[name] - before[name]
            per = f", {1000 * used / requests:.0f} ms a request" if requests else ""
            print(f"  {name:<12} {used:8.0f} s{per}")
        spent = {f: getattr(after["machine"], f) - getattr(before["machine"], f) for f in after["machine"]._fields}
        idle = spent.get("idle", 0) + spent.get("iowait", 0)
        print(f"  machine busy {100 * (1 - idle / sum(spent.values())):.0f} %")


def read_stats(prefix):
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report(rows, seconds):
    """Print the figures; return the number of requests."""

    def figures(row):
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        return (
            count,
            failures,
            100 * failures / count if count else 0,
            float(row["Requests/s"]),
            row["50%"],
            row["95%"],
            row["99%"],
            row["Max Response Time"],
        )

    total = next(r for r in rows if r["Name"] == "Aggregated")
    count, failures, rate, rps, p50, p95, p99, top = figures(total)
    print(f"\nRequests {count} in {seconds:.0f} s: {rps:.1f} req/s; errors {failures} ({rate:.2f} %)")
    print(f"Latency ms: p50 {p50}, p95 {p95}, p99 {p99}, max {float(top):.0f}")
    print(f"\n{'Endpoint':<62} {'reqs':>6} {'err':>4} {'p50':>6} {'p95':>6} {'p99':>6}")
    for row in sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0)):
        count, failures, _rate, _rps, p50, p95, p99, _top = figures(row)
        name = f"{row['Type']} {row['Name']}"[:62]
        print(f"{name:<62} {count:>6} {failures:>4} {p50:>6} {p95:>6} {p99:>6}")
    return int(total["Request Count"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="thidua_scale", help="the national-scale database")
    parser.add_argument("--copy-to", help="run on a copy of --db with this name (made once)")
    parser.add_argument("--recreate", action="store_true", help="make the --copy-to copy again")
    parser.add_argument("--migrate", action="store_true", help="apply pending migrations to the database used")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", default="10m", help="locust's --run-time: 60s, 10m …")
    parser.add_argument("--workers", type=int, default=8, help="gunicorn worker processes (as make serve)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (>1: gthread; as make serve)")
    parser.add_argument("--out", default=str(ROOT / "var" / "load"), help="CSV files, logs, the accounts file")
    args = parser.parse_args()

    db = args.db
    if args.copy_to:
        copy_database(args.db, args.copy_to, args.recreate)
        db = args.copy_to
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = portal_env(f"{PG_ROOT}/{db}", out / "portal")
    check_migrations(env, args.migrate)
    users_file = out / "users.json"
    # One officer account per simulated officer (15 of every 20 users): two users saving one unit's report
    # at once are told of the conflict, which is right but is not the load this measures.
    officers = max(80, math.ceil(args.users * 15 / 20))
    subprocess.run(
        [PYTHON, str(BENCH / "load_users.py"), "--out", str(users_file), "--officers", str(officers)],
        env=env,
        check=True,
    )

    portal = Portal(
        env,
        workers=args.workers,
        threads=args.threads,
        worker_class="gthread" if args.threads > 1 else "sync",
        log_dir=out / "logs",
    ).start()
    print(f"gunicorn: {args.workers} worker(s) × {args.threads} thread(s) on {portal.url}, database {db}")
    prefix = out / "locust"
    command = [
        str(Path(PYTHON).parent / "locust"),
        "-f",
        str(BENCH / "locustfile.py"),
        "--headless",
        "--host",
        portal.url,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        args.run_time,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    meter = CpuMeter(portal)
    before = meter.read()
    start = time.monotonic()
    try:
        subprocess.run(command, env={**os.environ, "LOAD_USERS_FILE": str(users_file)}, cwd=ROOT, check=False)
    finally:
        seconds = time.monotonic() - start
        after = meter.read()
        portal.stop()
    requests = report(read_stats(prefix), seconds)
    CpuMeter.report(before, after, requests, seconds)
    print(f"\nCSV: {prefix}_stats.csv, {prefix}_failures.csv; server logs: {out / 'logs'}")


if __name__ == "__main__":
    main()
