import datetime
from decimal import Decimal

from django import forms, template
from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.forms import NumberField
from core.numbers import parse_number

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


@register.filter
def shown_value(bound_field):
    """A bound field's value as a reader sees it: choice labels, dates, yes/no, numbers."""
    value = bound_field.value()
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = getattr(bound_field.field, "choices", None)
    if choices is not None:
        labels = {str(key): label for key, label in choices}
        values = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return vn_number(value)
    if isinstance(bound_field.field, NumberField):
        # Number inputs hold plain text ("120000000"); a reader wants 120.000.000.
        try:
            return vn_number(parse_number(value))
        except ValueError:
            return value
    return value


@register.filter
def add_class(bound_field, css):
    """Render a field with Bootstrap's class (form-select for selects) and is-invalid on errors."""
    widget = bound_field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) and css == "form-control" else css
    classes = f"{widget.attrs.get('class', '')} {css}".replace("form-control form-control", "form-control").strip()
    if bound_field.errors:
        classes += " is-invalid"
    attrs = {"class": " ".join(dict.fromkeys(classes.split()))}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


def _problem_row(problem):
    """(row, column, message) of an importer's problem, whichever shape it has."""
    if isinstance(problem, (tuple, list)):
        return tuple(problem)
    if hasattr(problem, "message"):
        return problem.row, problem.column, problem.message
    return None, None, str(problem)


@register.inclusion_tag("includes/_import_problems.html")
def import_problems(problems):
    """The problems of a rejected import, the first ``IMPORT_PROBLEMS_SHOWN`` of them.

    A sheet wrong on every one of its 100.000 rows would otherwise become a
    page nobody can open; the first few hundred show what to fix.
    """
    problems = list(problems or ())
    limit = settings.IMPORT_PROBLEMS_SHOWN
    rows = [_problem_row(problem) for problem in problems[:limit]]
    return {
        "rows": rows,
        # Problems of a whole document (a JSON plan) carry their place in the text.
        "located": any(row or column for row, column, _message in rows),
        "total": len(problems),
        "shown": min(len(problems), limit),
    }
