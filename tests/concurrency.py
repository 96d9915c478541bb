"""Running one call from many threads at the same moment, for the PostgreSQL concurrency proofs.

Each thread has its own database connection (Django keeps one per thread), opens it before
the barrier so that every call really starts together, and closes it at the end: an open
connection would keep the test database from being dropped.

PostgreSQL allows 100 connections and the suite runs on two xdist workers, so two bursts of
50 must not overlap: ``burst`` holds an exclusive file lock, shared by every process on the
machine, while its threads run.
"""

import fcntl
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

THREADS = 50
LOCK_FILE = Path(tempfile.gettempdir()) / "thidua-tests-concurrency.lock"


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections (PostgreSQL); SQLite serialises every write")


@contextmanager
def exclusive():
    with LOCK_FILE.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class Outcome:
    """What each thread got: a return value, or the exception it raised."""

    results: list
    errors: list
    elapsed: float  # from the barrier's release to the last thread's end
    waited: float = 0.0  # time spent waiting for another process's burst

    def ok(self):
        return [i for i, e in enumerate(self.errors) if e is None]

    def raised(self, kind):
        return [i for i, e in enumerate(self.errors) if isinstance(e, kind)]

    def unexpected(self, *kinds):
        """Exceptions of none of ``kinds``: a crash, a deadlock, a unique violation…"""
        return [e for e in self.errors if e is not None and not isinstance(e, kinds)]


def burst(function, count=THREADS):
    """Call ``function(i)`` for i in 0..count-1, each in its own thread, all released at once."""
    results, errors = [None] * count, [None] * count
    started = []
    barrier = threading.Barrier(count, action=lambda: started.append(time.perf_counter()))

    def work(index):
        try:
            try:
                connection.ensure_connection()
            except Exception:
                barrier.abort()  # the others must not wait for a thread that will never come
                raise
            barrier.wait(timeout=60)
            results[index] = function(index)
        except Exception as error:  # noqa: BLE001 - every outcome is reported to the test
            errors[index] = error
        finally:
            connection.close()

    asked = time.perf_counter()
    with exclusive():
        waited = time.perf_counter() - asked
        threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ended = time.perf_counter()
    return Outcome(results, errors, ended - (started[0] if started else ended), waited)


def report(record_property, outcome, scenario, *, ok, conflicts, expected=()):
    """Print the figures (visible with -s; bench/bench_concurrency.py collects them) and keep
    them in the JUnit report. Errors are the exceptions of none of the ``expected`` kinds."""
    errors = len(outcome.unexpected(*expected))
    line = (
        f"{scenario}: {len(outcome.errors)} threads, {ok} ok, {conflicts} conflicts, "
        f"{errors} errors in {outcome.elapsed:.2f} s"
    )
    if outcome.waited >= 0.1:
        line += f" (after {outcome.waited:.1f} s waiting for another process's burst)"
    print(f"\nCONCURRENCY {line}")
    record_property("concurrency", line)
    return line
