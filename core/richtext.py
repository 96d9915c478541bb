"""Plain rich text: what plans need (paragraphs, **bold**, *italic*) and nothing that could
carry markup. Everything is escaped first, so text can never inject HTML.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

_BOLD_ITALIC = re.compile(r"\*\*\*(.+?)\*\*\*", re.S)
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", re.S)
_PARAGRAPHS = re.compile(r"\n\s*\n")


def inline(text):
    """One run of text with bold and italic, escaped; line breaks become <br>."""
    html = escape(text or "")
    html = _BOLD_ITALIC.sub(r"<strong><em>\1</em></strong>", html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)
    return mark_safe(html.replace("\n", "<br>"))


def paragraphs(text):
    """The paragraphs of ``text`` (split on blank lines), each rendered with ``inline``."""
    return [inline(part.strip()) for part in _PARAGRAPHS.split(text or "") if part.strip()]


def plain(text):
    """The text without its markers, for searching and for checks on the words."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", _BOLD_ITALIC.sub(r"\1", text or "")))
