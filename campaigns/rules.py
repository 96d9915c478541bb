"""Rules on a plan's dates, shared by the forms, the services and the JSON import.

Each check returns ``(index, message)`` pairs: ``index`` is the 1-based round the
message is about, or 0 for the plan as a whole.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def _fmt(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def check_campaign_rules(*, year, issued_on, allow_outside_year, rounds):
    """Rounds are dicts with number, start (None = from the launch), end, report_due."""
    problems = []
    first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    spans = []
    for index, round_ in enumerate(rounds, start=1):
        start = round_["start"] or issued_on or first_day
        end = round_["end"]
        if end < start:
            problems.append(
                (
                    index,
                    _("Round %(n)s ends (%(end)s) before it starts (%(start)s).")
                    % {"n": round_["number"], "end": _fmt(end), "start": _fmt(start)},
                )
            )
            continue
        if not allow_outside_year and (start < first_day or end > last_day):
            problems.append(
                (
                    index,
                    _(
                        "Round %(n)s falls outside %(year)s; tick “rounds may fall outside the campaign year” "
                        "if that is intended."
                    )
                    % {"n": round_["number"], "year": year},
                )
            )
        if round_.get("report_due") and round_["report_due"] < start:
            problems.append(
                (
                    index,
                    _("The report of round %(n)s cannot be due before the round starts.") % {"n": round_["number"]},
                )
            )
        spans.append((start, end, round_["number"], index))
    spans.sort()
    for (start_a, end_a, number_a, _index_a), (start_b, _end_b, number_b, index_b) in zip(
        spans, spans[1:], strict=False
    ):
        if start_b <= end_a:
            problems.append(
                (
                    index_b,
                    _("Round %(b)s overlaps round %(a)s (%(start)s – %(end)s).")
                    % {"a": number_a, "b": number_b, "start": _fmt(start_a), "end": _fmt(end_a)},
                )
            )
    return problems
