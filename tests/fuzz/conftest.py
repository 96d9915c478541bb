"""Hypothesis profiles and the "nothing was written" check shared by the fuzz tests.

Profiles: ``suite`` (the default: few examples, derandomized so CI runs the same cases every
time) and ``thorough`` (HYPOTHESIS_PROFILE=thorough, 1 000 examples each; FUZZ_CASES changes
the count), run by ``bench/fuzz_inputs.py``.
"""

import json
import os
import time

import pytest
from django.db import connection
from hypothesis import HealthCheck, Phase, settings

SLOW_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
# No "explain" phase: it traces every line of Django for each failing example (minutes a failure).
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]

settings.register_profile(
    "suite",
    max_examples=int(os.environ.get("FUZZ_CASES", 20)),
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=SLOW_CHECKS,
    phases=PHASES,
)
settings.register_profile(
    "thorough",
    max_examples=int(os.environ.get("FUZZ_CASES", 1000)),
    deadline=None,
    derandomize=False,
    database=None,
    print_blob=True,
    suppress_health_check=SLOW_CHECKS,
    phases=PHASES,
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "suite")
settings.load_profile(PROFILE)

# Written on purpose whatever the input: the session (sign-in, flash messages) and the
# sign-in throttling log of django-axes (a refused sign-in is recorded by design).
NOT_DATA = ("django_session", "axes_")


def data_tables():
    return sorted(t for t in connection.introspection.table_names() if not t.startswith(NOT_DATA))


def row_counts(tables):
    """Rows per table, in one query (about 150 tables: cheap enough to run around every example)."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {quote(t)}" for i, t in enumerate(tables))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        found = dict(cursor.fetchall())
    return {t: found[i] for i, t in enumerate(tables)}


def changed(before, after):
    return {t: (before[t], after[t]) for t in before if before[t] != after[t]}


@pytest.fixture
def counts(db):
    """``counts()`` snapshots the data tables; ``counts.diff(before)`` lists the tables that moved."""
    tables = data_tables()

    class Counts:
        def __call__(self):
            return row_counts(tables)

        def diff(self, before):
            return changed(before, row_counts(tables))

    return Counts()


@pytest.fixture
def fuzz_stats(request):
    """Counts the examples a test ran; with FUZZ_REPORT set, appends them to that JSON-lines file."""
    stats = {"cases": 0, "accepted": 0, "rejected": 0, "started": time.monotonic()}
    yield stats
    path = os.environ.get("FUZZ_REPORT")
    if path:
        line = {
            "test": request.node.nodeid,
            "cases": stats["cases"],
            "accepted": stats["accepted"],
            "rejected": stats["rejected"],
            "seconds": round(time.monotonic() - stats["started"], 2),
            **{k: v for k, v in stats.items() if k not in ("cases", "accepted", "rejected", "started")},
        }
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
