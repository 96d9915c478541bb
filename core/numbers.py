"""Numbers as Vietnamese users type them: 8.000 (thousands), 98,5 (decimals)."""

import re
from decimal import Decimal, InvalidOperation

_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^-?\d+([.,]\d+)?$")


def parse_number(text):
    """Decimal from '8.000', '1.200,5', '98,5' or '12'; ValueError when it is not a number."""
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    else:
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


def plain(value):
    """A decimal for an input box: 1200, 12,5 – no grouping, so it reads back the same."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")
