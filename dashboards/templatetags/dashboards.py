from decimal import Decimal

from django import template
from django.utils.formats import number_format
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
