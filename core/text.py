"""Text helpers for Vietnamese input."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Zero-width and direction marks that sneak in from copy-paste.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def clean(text):
    """NFC-normalise, drop invisible characters and collapse whitespace."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text)).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def fold(text):
    """Lower-case text without accents, for search: “Đà Nẵng” → “da nang”."""
    text = unicodedata.normalize("NFD", clean(text).replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
