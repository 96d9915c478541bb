"""Fifty people at once on one report or allocation table, on PostgreSQL: who wins, how fast.

Usage: .venv/bin/python bench/bench_concurrency.py [--repeat 3]
       DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_concurrency.py

It runs the concurrency proofs of the test suite (tests/reports/test_concurrency.py: 50
threads per burst, each with its own connection, released together by a barrier) in a
scratch database ``test_bench_concurrency`` on the server of DATABASE_URL (default: the one
on 127.0.0.1:5432), which is dropped at the end; the database named in DATABASE_URL is never
opened. Every burst prints one line; this collects them and prints, per scenario: threads,
successes, conflicts (refusals, or retries after one), errors, and the wall time of the burst
(from the barrier's release to the last thread's end; median and worst over the repeats).
The tests' own assertions (no lost update, no duplicate, totals counted once) must all pass,
or the script fails.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TESTS = "tests/reports/test_concurrency.py"
SCRATCH = "bench_concurrency"  # pytest-django works in test_bench_concurrency
LINE = re.compile(
    r"^CONCURRENCY (?P<scenario>.+): (?P<threads>\d+) threads, (?P<ok>\d+) ok, (?P<conflicts>\d+) conflicts, "
    r"(?P<errors>\d+) errors in (?P<wall>[\d.]+) s"
)


def scratch_url():
    given = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(given)
    if not parts.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must point to a PostgreSQL server: the proofs need row locks across connections.")
    return urlunsplit(parts._replace(path=f"/{SCRATCH}"))


def run_once(url, first):
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-s", TESTS]
    # Kept between the runs (pytest would drop it after each), dropped by ``drop`` at the end.
    command += ["--reuse-db", "--create-db"] if first else ["--reuse-db"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [m.groupdict() for m in map(LINE.match, done.stdout.splitlines()) if m]
    if done.returncode != 0 or not lines:
        sys.stdout.write(done.stdout[-4000:] + done.stderr[-2000:])
        sys.exit(f"The concurrency tests failed (exit {done.returncode}).")
    return lines


def drop(url):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "test_{SCRATCH}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of the whole set (default 1)")
    args = parser.parse_args()
    url = scratch_url()
    runs = []
    try:
        for n in range(args.repeat):
            runs.append(run_once(url, first=n == 0))
    finally:
        drop(url)

    scenarios = {}
    for run in runs:
        for line in run:
            scenarios.setdefault(line["scenario"], []).append(line)
    header = f"{'scenario':<42} {'threads':>7} {'ok':>4} {'conflicts':>9} {'errors':>6} {'wall s':>7} {'worst s':>7}"
    print(f"PostgreSQL, {args.repeat} run(s); conflicts in the retry scenarios are retries after a conflict")
    print(header)
    print("-" * len(header))
    for scenario, lines in scenarios.items():
        walls = [float(line["wall"]) for line in lines]
        last = lines[-1]
        conflicts = round(statistics.median(int(line["conflicts"]) for line in lines))
        print(
            f"{scenario:<42} {last['threads']:>7} {last['ok']:>4} {conflicts:>9} "
            f"{max(int(line['errors']) for line in lines):>6} {statistics.median(walls):>7.2f} {max(walls):>7.2f}"
        )


if __name__ == "__main__":
    main()
