"""Hostile values and files: what a careless, confused or malicious user may send."""

import datetime
import io
import struct
import unicodedata
import zipfile

from hypothesis import strategies as st

NFD_VIETNAMESE = [
    unicodedata.normalize("NFD", "Công đoàn cơ sở"),
    unicodedata.normalize("NFD", "Liên đoàn Lao động tỉnh An Phú"),
    unicodedata.normalize("NFD", "Nguyễn Thị Hường"),
]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff"]
RTL = ["\u202e", "\u202egnp.exe", "مرحبا بالعالم", "שלום עולם", "abc\u202edef\u202c"]
FORMULAS = ["=cmd|' /C calc'!A0", "=1+1", "@SUM(A1)", "+cmd", "-2+3", '=HYPERLINK("http://x","y")', "\t=1", "\r=1"]
NUMBERS = [
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "-0",
    "-1",
    "0.0000001",
    "99999999999999999999999999999999",
    "-99999999999999999999999999999999",
    "2147483648",
    "9223372036854775808",
    "1,5",
    "1.000.000,5",
    "0x1F",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "½",
    "1_000",
    " 12 ",
]
DATES = [
    "31/02/2026",
    "0000-00-00",
    "2026-02-30",
    "29/02/2025",
    "31/12/9999",
    "01/01/0001",
    "9999-12-31",
    "0001-01-01",
    "2026-13-01",
    "00/00/0000",
    "1/1/1",
    "2026-01-01T25:61:00",
    "hôm qua",
]
SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\r\n",
    "\x1b[31m",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%s%n",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "𝕳𝖊𝖑𝖑𝖔 🇻🇳",
    "A" * 100_000,
    "Đ" * 32_767,
]
FIXED = NFD_VIETNAMESE + ZERO_WIDTH + RTL + FORMULAS + NUMBERS + DATES + SPECIAL

# Letters that make a field look Vietnamese, plus the invisible and direction-changing ones.
ALPHABET = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ0123456789 -_./,:;'\"<>&%=+@")
    + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # combining tone marks (NFD)
    + ZERO_WIDTH
    + ["\u202e", "\u202c", "\u05d0", "\u0627", "\x00", "\n", "\t"]
)


def mixed_text(max_size=60):
    return st.text(alphabet=ALPHABET, max_size=max_size)


def decorated(inner):
    """A value with zero-width or RTL characters around it, or in NFD form."""
    return st.one_of(
        inner,
        st.tuples(st.sampled_from(ZERO_WIDTH + RTL[:1]), inner).map(lambda p: p[0] + p[1]),
        st.tuples(inner, st.sampled_from(ZERO_WIDTH)).map(lambda p: p[0] + p[1]),
        inner.map(lambda s: unicodedata.normalize("NFD", s)),
    )


hostile_text = st.one_of(st.sampled_from(FIXED), mixed_text(), decorated(st.sampled_from(NUMBERS + DATES)))


def form_value(valid=()):
    """One value for a form field: hostile text, or one of the field's own values (perhaps decorated)."""
    if valid:
        own = st.sampled_from(list(valid))
        return st.one_of(hostile_text, own, decorated(own))
    return hostile_text


# Cell values ---------------------------------------------------------------------------

cell_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([datetime.datetime(1900, 1, 1), datetime.datetime(9999, 12, 31), datetime.date(2026, 2, 28)]),
    st.sampled_from([-1, 0, 1, 10**15, -(10**15), 1.5, -0.0]),
)
hostile_cell = st.one_of(hostile_text, cell_scalars)


def cell(valid):
    """A cell of a column whose correct values are ``valid``: mostly right, sometimes hostile."""
    return st.one_of(
        st.sampled_from(list(valid)),
        decorated(st.sampled_from([v for v in valid if isinstance(v, str)] or [""])),
        hostile_cell,
    )


# Files -----------------------------------------------------------------------------------


def with_huge_declared_size(content):
    """The same zip with its central directory claiming a 4 GB member: a zip bomb as far as
    anyone reading the sizes can tell, without spending the memory to build one."""
    data = bytearray(content)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        struct.pack_into("<I", data, position + 24, 0xFFFFFFF0)  # uncompressed size
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def zip_of(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def broken_files(valid):
    """Files that are not the workbook they claim to be, derived from ``valid`` (bytes of a good one)."""
    return st.one_of(
        st.integers(min_value=0, max_value=len(valid) - 1).map(lambda n: valid[:n]),  # truncated
        st.binary(min_size=1, max_size=2000),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
        st.tuples(st.integers(min_value=30, max_value=len(valid) - 1), st.integers(0, 255)).map(
            lambda p: valid[: p[0]] + bytes([valid[p[0]] ^ (p[1] or 1)]) + valid[p[0] + 1 :]
        ),  # one flipped byte
        st.just(zip_of({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<worksheet/>"})),
        st.just(zip_of({"[Content_Types].xml": b"<Types/>", "docProps/app.xml": b"<x/>"})),
        st.just(zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml at all"})),
        st.just(with_huge_declared_size(valid)),
        st.just("Mã đơn vị;Tên đơn vị\nCDCS-01;Công đoàn\n".encode()),  # a CSV saved as .xlsx
        st.just(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        st.just(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),  # an old .xls
        st.just(b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
    )


def workbook(rows, *, merged=None, extra_sheet_first=False, extra_sheets=0):
    """xlsx bytes of ``rows``, maybe with merged cells and extra sheets (before or after)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Du lieu"
    for row in rows:
        sheet.append([_storable(v) for v in row])
    if merged:
        sheet.merge_cells(merged)
    for index in range(extra_sheets):
        other = book.create_sheet(f"Khác {index}", 0 if extra_sheet_first else None)
        other.append(["Ghi chú", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _storable(value):
    """openpyxl refuses control characters in cells: what it cannot store is replaced, as Excel would."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:32_767]
    return value
