"""Server-side SVG charts: no script, readable in print and in black and white.

Each round has its own fill pattern (hatched, dotted, solid) as well as its own shade,
and the expected share is a marked tick, so nothing depends on colour. The same figures
are given as a table next to the chart for screen readers and for print.
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dashboards.board import Verdict

PATTERNS = [
    (
        '<pattern id="pat-{n}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#1f4e79" stroke-width="3"/>'
        "</pattern>"
    ),
    (
        '<pattern id="pat-{n}" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.4" fill="#333333"/></pattern>'
    ),
    (
        '<pattern id="pat-{n}" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<rect width="4" height="4" fill="#1f4e79"/></pattern>'
    ),
    (
        '<pattern id="pat-{n}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="3" x2="6" y2="3" stroke="#000000" stroke-width="2"/>'
        "</pattern>"
    ),
]
TOP = Decimal(150)  # % of plan at the top of the scale; taller bars are cut and marked
HEIGHT, BAR, GAP, LEFT, BOTTOM, PAD = 180, 12, 14, 44, 40, 16


def _y(percent):
    value = min(max(percent, Decimal(0)), TOP)
    return PAD + float((TOP - value) / TOP) * HEIGHT


def progress_chart(board):
    """{'svg': markup, 'title': text, 'rows': [(target, [cell per round])]} for the unit's total."""
    rounds = [round_ for round_, _cells in board.chart]
    if not rounds or not board.targets:
        return None
    group = len(rounds) * BAR + GAP
    width = LEFT + group * len(board.targets) + 10
    total_height = PAD + HEIGHT + BOTTOM + 24
    title = _("Achieved as a share of plan, per target and round, with the share expected (tick)")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" width="100%" '
        f'role="img" aria-labelledby="chart-title" class="progress-chart" preserveAspectRatio="xMinYMin meet">',
        f'<title id="chart-title">{escape(title)}</title>',
        "<defs>" + "".join(PATTERNS[i % len(PATTERNS)].format(n=i) for i in range(len(rounds))) + "</defs>",
    ]
    for mark in (0, 50, 100, 150):
        y = _y(Decimal(mark))
        dash = "" if mark in (0, 100) else ' stroke-dasharray="3 3"'
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - 5}" y2="{y:.1f}" stroke="#666"{dash}/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{mark}%</text>')
    rows = []
    for t_index, target in enumerate(board.targets):
        x0 = LEFT + t_index * group + GAP / 2
        per_round = []
        for r_index, (_round, cells) in enumerate(board.chart):
            cell = cells[t_index]
            per_round.append(cell)
            x = x0 + r_index * BAR
            share = cell.share_percent
            if share is not None:
                y = _y(share)
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{BAR - 2}" height="{PAD + HEIGHT - y:.1f}" '
                    f'fill="url(#pat-{r_index})" stroke="#000" stroke-width="0.8"/>'
                )
                if share > TOP:
                    parts.append(f'<text x="{x + 5:.1f}" y="{PAD - 3}" text-anchor="middle" font-size="9">↑</text>')
            elif cell.verdict == Verdict.NO_DATA:
                parts.append(
                    f'<text x="{x + 5:.1f}" y="{PAD + HEIGHT - 3}" text-anchor="middle" font-size="9">–</text>'
                )
            expected = cell.expected * 100
            ey = _y(expected)
            parts.append(
                f'<line x1="{x - 1:.1f}" y1="{ey:.1f}" x2="{x + BAR - 1:.1f}" y2="{ey:.1f}" stroke="#b00020" '
                f'stroke-width="2.5"/>'
            )
        label_x = x0 + len(rounds) * BAR / 2
        parts.append(
            f'<text x="{label_x:.1f}" y="{PAD + HEIGHT + 14}" text-anchor="middle" font-size="10">'
            f"{escape(target.code)}</text>"
        )
        rows.append((target, per_round))
    legend_y = PAD + HEIGHT + 32
    x = LEFT
    for r_index, round_ in enumerate(rounds):
        name = round_.name or _("Round %(n)s") % {"n": round_.number}
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="12" height="10" fill="url(#pat-{r_index})" stroke="#000"/>'
        )
        parts.append(f'<text x="{x + 16}" y="{legend_y}" font-size="10">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    parts.append(
        f'<line x1="{x}" y1="{legend_y - 4}" x2="{x + 14}" y2="{legend_y - 4}" stroke="#b00020" stroke-width="2.5"/>'
    )
    expected_label = escape(_("expected share"))  # outside the f-string, so makemessages finds it
    parts.append(f'<text x="{x + 18}" y="{legend_y}" font-size="10">{expected_label}</text>')
    parts.append("</svg>")
    return {"svg": mark_safe("".join(parts)), "title": title, "rounds": rounds, "rows": rows}  # noqa: S308 – built from escaped text
