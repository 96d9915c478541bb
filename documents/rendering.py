"""Plans as official documents: from the campaign document (the JSON dict) to HTML, and
from that HTML to a PDF with WeasyPrint.

Layout follows DOCUMENT_FORMAT.md: A4, margins 20/20/30/15 mm, Times-New-Roman metrics
(Liberation Serif 2, embedded), the two-column header, page numbers from page 2 in the
top margin, the signature block beside 'Nơi nhận'.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.richtext import inline, paragraphs
from core.text import fold
from documents.models import DocumentStyle, format_number_line

STATIC_DIR = Path(settings.BASE_DIR) / "static"
FONT_DIR = STATIC_DIR / "fonts"
STYLESHEETS = [
    STATIC_DIR / "css" / "plan.css",
    STATIC_DIR / "css" / "plan-print.css",
    STATIC_DIR / "css" / "awards-print.css",
]
PDF_VARIANT = "pdf/a-2b"

AUTHORITY_PREFIX = {
    "state": {"tm": "TM.", "kt": "KT.", "q": "Q.", "tl": "TL.", "tuq": "TUQ."},
    "union": {"tm": "TM.", "kt": "KT.", "q": "Q.", "tl": "TL.", "tuq": "TUQ."},
    "party": {"tm": "T/M", "kt": "K/T", "q": "Q.", "tl": "T/L", "tuq": "T/UQ"},
}
RESPONSIBLE_LABELS = {
    "advise": "Chịu trách nhiệm tham mưu",
    "execute": "Chịu trách nhiệm thực hiện",
}


def date_line(place, issued_on, year):
    """'Lai Châu, ngày 03 tháng 3 năm 2023': days below 10 and months 1–2 take a zero (ND30).

    Without a date the day and month are left blank for the clerk, as on paper.
    """
    if issued_on is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{issued_on.month:02d}" if issued_on.month < 3 else str(issued_on.month)
    return f"{place}, ngày {issued_on.day:02d} tháng {month} năm {issued_on.year}"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@dataclass
class Block:
    """One printed paragraph of the body."""

    html: str
    css: str = ""


@dataclass
class PrintedSection:
    heading: str
    blocks: list = field(default_factory=list)


def _clause_blocks(clause):
    label = inline(clause.get("label", ""))
    title = clause.get("title", "")
    body = paragraphs(clause.get("body", ""))
    depth_css = f"depth-{min(clause.get('depth', 0), 3)}"
    if title:
        head = f"<strong>{label} {inline(title)}</strong>".replace("<strong> ", "<strong>")
        if title.rstrip().endswith(":") and body:
            return [Block(f"{head} {body[0]}", depth_css)] + [Block(p, depth_css) for p in body[1:]]
        return [Block(head, f"{depth_css} clause-title")] + [Block(p, depth_css) for p in body]
    if not body:
        return [Block(label, depth_css)] if label else []
    first = f"{label} {body[0]}" if label else body[0]
    return [Block(first, depth_css)] + [Block(p, depth_css) for p in body[1:]]


def _target_lines(group):
    """Targets chained by their joiners into the printed lines: [(label, html)]."""
    lines = []
    for target in group["targets"]:
        text = inline(target["text"])
        if target.get("joiner") and lines:
            label, html = lines[-1]
            lines[-1] = (label, f"{html}{inline(target['joiner'])}{text}")
        else:
            lines.append((inline(target.get("label", "")), text))
    return lines


def _targets_blocks(data):
    blocks = []
    for group in data["target_groups"]:
        heading = " ".join(filter(None, [group.get("label", ""), group.get("title", "")]))
        if heading:
            blocks.append(Block(f"<strong>{inline(heading)}</strong>", "clause-title"))
        lines = _target_lines(group)
        intro = paragraphs(group.get("intro", ""))
        if group.get("layout") == "inline":
            run = "; ".join(f"{label} {html}".strip() for label, html in lines)
            lead = intro.pop() if intro else ""
            blocks += [Block(p) for p in intro]
            blocks.append(Block(f"{lead} {run}".strip()))
        else:
            blocks += [Block(p) for p in intro]
            blocks += [Block(f"{label} {html}".strip()) for label, html in lines]
    return blocks


def _rounds_blocks(data):
    blocks = []
    for round_ in data["rounds"]:
        description = paragraphs(round_.get("description", ""))
        heading = inline(round_.get("heading") or round_["name"])
        first = f"{heading} {description[0]}" if description else heading
        blocks.append(Block(first))
        blocks += [Block(p) for p in description[1:]]
    return blocks


def _tasks_blocks(data):
    blocks = []
    for task in data.get("tasks", []):
        depth_css = f"depth-{min(task.get('depth', 0), 3)}"
        text = paragraphs(task["text"])
        label = inline(task.get("label", ""))
        blocks.append(Block(f"{label} {text[0]}".strip(), depth_css))
        blocks += [Block(p, depth_css) for p in text[1:]]
        for caption, value in (
            ("Chủ trì", task.get("lead")),
            (RESPONSIBLE_LABELS[task.get("responsible_label", "advise")], task.get("responsible")),
            ("Thời gian thực hiện", task.get("timing")),
        ):
            if value:
                blocks.append(Block(f"* <em>{caption}:</em> {inline(value)}", depth_css))
    return blocks


GENERATORS = {"targets": _targets_blocks, "rounds": _rounds_blocks, "tasks": _tasks_blocks}


def _sections(data):
    printed = []
    for section in data["sections"]:
        heading = " ".join(filter(None, [section.get("label", ""), section.get("title", "")]))
        blocks = [Block(p) for p in paragraphs(section.get("intro", ""))]
        generator = GENERATORS.get(section["kind"])
        if generator:
            blocks += generator(data)
        for clause in section.get("clauses", []):
            blocks += _clause_blocks(clause)
        blocks += [Block(p) for p in paragraphs(section.get("closing", ""))]
        printed.append(PrintedSection(inline(heading) if heading else "", blocks))
    return printed


def _recipient_rows(recipients):
    """Rows of 'Nơi nhận' with the brace notes: (text, note, rowspan) – note only on a group's first row."""
    rows = []
    index = 0
    while index < len(recipients):
        group = recipients[index].get("group", "")
        end = index + 1
        while group and end < len(recipients) and recipients[end].get("group", "") == group:
            end += 1
        for offset, recipient in enumerate(recipients[index:end]):
            rows.append(
                {
                    "text": inline(recipient["text"]),
                    "note": group if offset == 0 and group else "",
                    "rowspan": end - index,
                    "grouped": bool(group),
                }
            )
        index = end
    return rows


def _signer(data, style):
    signer = data["signer"]
    prefixes = AUTHORITY_PREFIX[style]
    lines = []
    if signer.get("collective_authority") and signer.get("collective"):
        lines.append(f"{prefixes[signer['collective_authority']]} {signer['collective']}")
    if signer.get("authority"):
        lines.append(f"{prefixes[signer['authority']]} {signer.get('head_title', '')}".strip())
    if signer.get("title"):
        lines.append(signer["title"])
    return {"lines": lines, "name": signer.get("name", "")}


def document_context(data, *, draft=False):
    """What the plan templates need, built from a campaign document."""
    document = data["document"]
    issuer = data["issuer"]
    style = issuer["style"]
    issued_on = _date(document.get("issued_on"))
    return {
        "style": style,
        "is_party": style == DocumentStyle.PARTY,
        "parent_lines": [line for line in issuer.get("parent_name", "").split("\n") if line],
        "issuer_lines": issuer["name"].split("\n"),
        "number_line": format_number_line(style, document.get("number"), document.get("symbol", "")),
        "date_line": date_line(document.get("place") or issuer["place"], issued_on, document["year"]),
        "type_heading": document.get("heading") or "",
        "subject": mark_safe("<br>".join(inline(line) for line in document["subject"].split("\n"))),
        "legal_bases": [inline(text) for text in data.get("legal_bases", [])],
        "sections": _sections(data),
        "recipients": _recipient_rows(data["recipients"]),
        "signer": _signer(data, style),
        "draft": draft,
    }


def render_html(data, *, draft=False, template="documents/plan_document.html"):
    return render_to_string(template, {"doc": document_context(data, draft=draft)})


class _Engine:
    """WeasyPrint with the document stylesheets parsed and the fonts loaded once a process."""

    def __init__(self):
        # Imported here: the import costs most of a second and only PDF work needs it.
        import weasyprint  # noqa: PLC0415
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

        self.weasyprint = weasyprint
        self.font_config = FontConfiguration()
        self.stylesheets = [weasyprint.CSS(filename=str(path), font_config=self.font_config) for path in STYLESHEETS]

    def document(self, html):
        return self.weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).render(
            stylesheets=self.stylesheets, font_config=self.font_config
        )


_engine = None


def engine():
    global _engine
    if _engine is None:
        _engine = _Engine()
    return _engine


# Larger files are rendered again rather than held in each process's memory.
CACHED_PDF_MAX_BYTES = 4 * 1024 * 1024


def pdf_cache_key(html):
    return "pdf:" + hashlib.sha256(html.encode()).hexdigest()


def html_to_pdf(html):
    """PDF/A-2b bytes from the document HTML; the same HTML gives the same file, so it is
    kept for a while instead of being laid out again."""
    key = pdf_cache_key(html)
    cache = caches["documents"]
    pdf = cache.get(key)
    if pdf is None:
        pdf = engine().document(html).write_pdf(pdf_variant=PDF_VARIANT)
        if len(pdf) <= CACHED_PDF_MAX_BYTES:
            cache.set(key, pdf)
    return pdf


def pdf_with_signature_box(html):
    """The PDF and where its signature block landed: (bytes, page index, (x1, y1, x2, y2)).

    The box is in PDF points; the stamp of a digital signature is drawn there, between
    the signer's title and name, as ND30 places the signature.
    """
    document = engine().document(html)
    page_index, box = len(document.pages) - 1, (330, 80, 560, 160)
    for index, page in enumerate(document.pages):
        found = _find_box(page, "signature-space")
        if found:
            page_index, box = index, found
    return document.write_pdf(pdf_variant=PDF_VARIANT), page_index, box


def _find_box(page, element_id):
    px_to_pt = 0.75  # CSS pixels to PDF points
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is None or element.get("id") != element_id or not hasattr(box, "border_width"):
            continue
        x1 = box.border_box_x() * px_to_pt
        x2 = (box.border_box_x() + box.border_width()) * px_to_pt
        top = box.border_box_y()
        y2 = (page.height - top) * px_to_pt
        y1 = (page.height - top - box.border_height()) * px_to_pt
        return round(x1), round(y1), round(x2), round(y2)
    return None


def render_pdf(data, *, draft=False):
    """``(filename, content_type, bytes)`` for a campaign document."""
    pdf = html_to_pdf(render_html(data, draft=draft))
    return pdf_filename(data, draft=draft), "application/pdf", pdf


def pdf_filename(data, *, draft=False, signed=False):
    document = data["document"]
    parts = [fold(document.get("symbol", "van-ban")).replace("/", "-")]
    if document.get("number"):
        parts.insert(0, f"{document['number']:02d}")
    parts.append(str(document["year"]))
    if draft:
        parts.append("du-thao")
    if signed:
        parts.append("da-ky")
    return "-".join(parts).replace(" ", "") + ".pdf"
