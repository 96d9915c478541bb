from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def vn_number(value):
    """8.000 and 98,5 in Vietnamese; 8,000 and 98.5 in English (the active language)."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    value = int(value) if value == value.to_integral_value() else value.normalize()
    return number_format(value, use_l10n=True, force_grouping=True)
