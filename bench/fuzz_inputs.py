"""Hostile-input fuzzing at full strength: every form and every import, then 100 000-row sheets.

Usage: .venv/bin/python bench/fuzz_inputs.py [--cases 1000] [--form-cases N] [--only imports|forms|big]
                                            [--workers N] [--shard K/N]
       DATABASE_URL=postgres://…/test_… .venv/bin/python bench/fuzz_inputs.py   (PostgreSQL)

It runs tests/fuzz/ with HYPOTHESIS_PROFILE=thorough in one pytest process per part (no xdist):

- imports: the four Excel imports, the campaign JSON import and the backup restore,
  ``--cases`` examples each (FUZZ_CASES, default 1 000);
- forms: every URL of the access table with a POST form; by default each app's URLs share
  1 000 examples at least (FUZZ_FORM_CASES = ceil(1000 / URLs of the app), 50 at least), or
  ``--form-cases`` per URL. 1 000 per URL is hours of work: ``--shard K/N`` runs the K-th of N
  slices of the URLs, ``--workers`` runs the URLs in that many processes;
- big: a 100 000-row sheet through each Excel import (FUZZ_BIG_SHEETS=1): refused at the
  row cap, with its time, the page size and the peak memory.

It prints one table: target, cases run, accepted, refused, failures, wall time, peak memory.
Each part's pytest output (the failing examples, shrunk) is kept in bench/out/fuzz_<part>.log, and
one JSON line per test in bench/out/fuzz_<part>.jsonl (fuzz_forms_KofN.* for a slice).
Exit status 1 when any test failed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = {
    "imports": [
        "tests/fuzz/test_imports_xlsx.py",
        "tests/fuzz/test_import_json.py",
        "tests/fuzz/test_backup_restore.py",
    ],
    "forms": ["tests/fuzz/test_forms.py"],
    "big": ["tests/fuzz/test_big_sheets.py"],
}


def out_path(part, args, ext):
    """bench/out/fuzz_<part>[_KofN].<ext>: each slice of a campaign keeps its own log and report."""
    suffix = "_{}of{}".format(*args.shard.split("/")) if args.shard and part == "forms" else ""
    return ROOT / "bench" / "out" / f"fuzz_{part}{suffix}.{ext}"


def run_part(part, report, args):
    env = {
        **os.environ,
        "HYPOTHESIS_PROFILE": "thorough",
        "FUZZ_REPORT": str(report),
        "FUZZ_CASES": str(args.cases),
    }
    if args.form_cases:
        env["FUZZ_FORM_CASES"] = str(args.form_cases)
    if part == "big":
        env["FUZZ_BIG_SHEETS"] = "1"
    if args.shard:
        env["FUZZ_FORM_SHARD"] = args.shard
    parallel = ["-n", str(args.workers)] if part == "forms" and args.workers > 1 else ["-p", "no:xdist"]
    command = [sys.executable, "-m", "pytest", *parallel, "-q", "-rfs", "--tb=line", *PARTS[part]]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    log = out_path(part, args, "log")
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    failed = [line for line in result.stdout.splitlines() if line.startswith(("FAILED tests/", "ERROR tests/"))]
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    return seconds, failed, summary


def short(nodeid):
    name = nodeid.split("::", 1)[1]
    return name.replace("test_form_survives_hostile_posts", "form").replace("_survives_hostile_", " ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="examples per import (default 1000)")
    parser.add_argument("--form-cases", type=int, default=0, help="examples per form URL (default: 1000 per app)")
    parser.add_argument("--only", choices=sorted(PARTS), action="append", help="run only this part (repeatable)")
    parser.add_argument("--workers", type=int, default=1, help="processes for the forms part (default 1)")
    parser.add_argument("--shard", help="forms: run the K-th of N slices of the URLs, as K/N (default: all)")
    parser.add_argument("--summary", type=int, metavar="N", help="run nothing: the table of the N slices' reports")
    args = parser.parse_args()
    if args.summary:
        return campaign_summary(args.summary)
    parts = args.only or ["imports", "forms", "big"]
    rows, failures, wall = [], [], {}
    for part in parts:
        report = out_path(part, args, "jsonl")
        report.parent.mkdir(parents=True, exist_ok=True)
        report.unlink(missing_ok=True)
        print(f"== {part} …", flush=True)
        seconds, failed, summary = run_part(part, report, args)
        wall[part] = seconds
        print(f"   {summary} ({seconds:.0f} s)", flush=True)
        failures += failed
        text = report.read_text() if report.exists() else ""
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        failed_ids = failed_tests(failed)
        rows += form_rows(lines, failed_ids) if part == "forms" else part_rows(lines, failed_ids)
    print_table(rows)
    print("wall time per part: " + ", ".join(f"{p} {s:.0f} s" for p, s in wall.items()))
    if failures:
        print("\nFailures:")
        for line in failures:
            print("  " + line)
    return 1 if failures else 0


def failed_tests(lines):
    """The test ids of pytest's "FAILED tests/…::test[id] - reason" lines."""
    return {line.split(" ")[1].split(" - ")[0] for line in lines if " " in line}


def form_rows(lines, failed_ids):
    """One row per app: URLs, forms, examples (the fewest any URL got), failures, test time."""
    groups = defaultdict(lambda: dict.fromkeys(("urls", "forms", "cases", "accepted", "rejected", "s", "f"), 0))
    fewest = defaultdict(lambda: None)
    for line in lines:
        if not line["cases"]:
            continue  # a page without a POST form
        app = line.get("app", "?")
        group = groups[app]
        group["urls"] += 1
        fewest[app] = line["cases"] if fewest[app] is None else min(fewest[app], line["cases"])
        group["forms"] += line.get("forms", 0)
        for key in ("cases", "accepted", "rejected"):
            group[key] += line[key]
        group["s"] += line["seconds"]
        group["f"] += line["test"] in failed_ids
    rows = []
    for app, g in sorted(groups.items()):
        name = f"forms: {app} ({g['urls']} URLs, {g['forms']} forms, ≥ {fewest[app]} per URL)"
        rows.append((name, g["cases"], g["accepted"], g["rejected"], g["f"], g["s"], ""))
    return rows


def part_rows(lines, failed_ids):
    rows = []
    for line in lines:
        memory = ""
        if "process_peak_rss_mb" in line:
            memory = (
                f"rss {line['process_peak_rss_mb']} MB, python {line['python_peak_mb']} MB; "
                f"file {line['file_mb']} MB, page {line['page_mb']} MB, request {line['request_s']} s"
            )
        rows.append(
            (
                short(line["test"]),
                line["cases"],
                line["accepted"],
                line["rejected"],
                int(line["test"] in failed_ids),
                line["seconds"],
                memory,
            )
        )
    return rows


def print_table(rows):
    width = max(len(r[0]) for r in rows) if rows else 10
    print()
    head = ("cases", "accepted", "refused", "failed", "wall s")
    print(f"{'target':<{width}}  " + "  ".join(f"{h:>8}" for h in head) + "  peak memory (100 000-row sheets)")
    for name, cases, accepted, refused, failed, seconds, memory in rows:
        print(f"{name:<{width}}  {cases:>8}  {accepted:>8}  {refused:>8}  {failed:>8}  {seconds:>8.1f}  {memory}")
    print()


def campaign_summary(slices):
    """The table of a campaign run in ``slices`` slices (``--shard K/slices``), from their reports."""
    lines, failed_ids, missing = [], set(), []
    for k in range(1, slices + 1):
        report = ROOT / "bench" / "out" / f"fuzz_forms_{k}of{slices}.jsonl"
        log = report.with_suffix(".log")
        if not report.exists() or not log.exists():
            # The log is written when the slice ends: without it, the slice is running or was cut short.
            missing.append(f"{k}/{slices}")
            continue
        lines += [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
        text = log.read_text(encoding="utf-8")
        failed_ids |= failed_tests(line for line in text.splitlines() if line.startswith(("FAILED ", "ERROR ")))
    print_table(form_rows(lines, failed_ids))
    with_forms = [line for line in lines if line["cases"]]
    print(
        f"{len(with_forms)} URLs with a POST form, {sum(line['cases'] for line in with_forms)} examples, "
        f"{len(lines) - len(with_forms)} pages without a form; failed tests: {len(failed_ids)}"
    )
    if missing:
        print("slices not run to the end: " + ", ".join(missing))
    return 1 if failed_ids or missing else 0


if __name__ == "__main__":
    sys.exit(main())
