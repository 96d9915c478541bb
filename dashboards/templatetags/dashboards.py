from decimal import Decimal
from html import escape

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.templatetags.portal import vn_number
from targets.models import TargetKind

register = template.Library()


def _percent(value):
    """One decimal always (98,5%; 15,0%), so a column of percentages lines up."""
    if value is None:
        return ""
    return (
        f"{number_format(Decimal(value).quantize(Decimal('0.1')), decimal_pos=1, use_l10n=True, force_grouping=True)}%"
    )


@register.filter
def plan_text(cell):
    if cell.plan is None:
        return "—"
    return _percent(cell.plan) if cell.is_rate else vn_number(cell.plan)


@register.filter
def achieved_text(cell):
    """What was achieved, with how it was pooled: 1.234 · 410/500 = 82,0% · 45/50 units = 90,0%."""
    return _figure(cell.target.kind, cell.achieved, cell.numerator, cell.denominator)


@register.filter
def pending_text(cell):
    return _figure(cell.target.kind, cell.pending, cell.pending_numerator, cell.pending_denominator)


def _figure(kind, rate_or_value, numerator, denominator):
    if rate_or_value is None:
        return "—"
    if kind in (TargetKind.COUNT, TargetKind.MONEY):
        return vn_number(rate_or_value)
    pooled = f"{vn_number(numerator)}/{vn_number(denominator)}"
    if kind != TargetKind.PERCENTAGE:
        pooled = _("%(pooled)s units") % {"pooled": pooled}
    return f"{pooled} = {_percent(rate_or_value)}"


@register.filter
def percent(value):
    return "—" if value is None else _percent(value)


@register.filter
def number(value):
    return "—" if value is None else vn_number(value)


@register.simple_tag
def row_cells(row):
    """A drill-down row's cells (% of plan and status per target), built in one go: a page has
    a thousand of them, too many for template nodes or format_html."""
    labels = {}
    parts = []
    for cell in row.cells:
        label = labels.get(cell.verdict)
        if label is None:
            label = labels[cell.verdict] = escape(str(cell.verdict_label))
        if cell.share_percent is not None:
            shown = _percent(cell.share_percent)
        elif cell.achieved is not None:
            shown = achieved_text(cell)
        else:
            shown = None
        inner = (
            "–"
            if shown is None
            else f'{escape(shown)} <span aria-hidden="true">{cell.symbol}</span>'
            f'<span class="visually-hidden">{label}</span>'
        )
        parts.append(
            f'<td class="text-end text-nowrap verdict-{cell.verdict}" data-code="{escape(cell.target.code)}" '
            f'title="{label}">{inner}</td>'
        )
    return mark_safe("".join(parts))  # noqa: S308 – text parts are escaped, the rest is fixed markup
