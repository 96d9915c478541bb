"""Award decisions and certificates as printed documents.

The decision follows the national layout (documents/official_base.html): legal bases in
italics, three articles, recipients and signer, then the list as an appendix on its own
page. Certificates (giấy khen, bằng khen, giấy chứng nhận) are A4 landscape, one per
awardee. Renderers return ``(filename, "application/pdf", bytes)``.
"""

import re
from dataclasses import dataclass

from django.template.loader import render_to_string

from core.text import fold
from documents.official import official_context
from documents.rendering import date_line, html_to_pdf

PDF = "application/pdf"
DEFAULT_CERTIFICATE_HEADING = "GIẤY CHỨNG NHẬN"
# "Bằng khen … (cá nhân)": the catalogue tells the two apart, the printed text need not.
SCOPE_SUFFIX = re.compile(r"\s*\((cá nhân|tập thể)\)\s*$")
AUTHORITY_PREFIXES = ("TM.", "T/M", "KT.", "K/T", "Q.", "TL.", "T/L", "TUQ.", "T/UQ")


def dong(value):
    """12.340.000: the Vietnamese grouping, whatever the active language."""
    return f"{int(value):,}".replace(",", ".")


def printed_name(entry):
    """The name of a title or award form as a sentence prints it."""
    return SCOPE_SUFFIX.sub("", entry.name)


def _one_line(text):
    return " ".join(text.split())


def authority_line(decision):
    """The body that decides, printed above the bases: 'BAN THƯỜNG VỤ LĐLĐ TỈNH AN PHÚ'."""
    authority = decision.signer_authority.strip()
    for prefix in AUTHORITY_PREFIXES:
        if authority.upper().startswith(prefix):
            authority = authority[len(prefix) :].strip()
            break
    else:
        authority = decision.signer_title
    return _one_line(f"{authority} {decision.issuer.name}").upper()


def document_code(decision, doc):
    """'05/QĐ-LĐLĐ': the number line without its 'Số:'."""
    return re.sub(r"^Số:?\s*", "", doc["number_line"])


def _bases(decision):
    lines = [line.strip().rstrip(";.").strip() for line in decision.bases.splitlines()]
    return [line for line in lines if line]


@dataclass
class Group:
    """Awardees of one title or award form, as Article 1 counts them."""

    entry: object
    is_title: bool
    people: int = 0
    units: int = 0

    def text(self):
        name = f"danh hiệu “{self.entry.name}”" if self.is_title else printed_name(self.entry)
        counts = []
        if self.people:
            counts.append(f"{self.people:02d} cá nhân")
        if self.units:
            counts.append(f"{self.units:02d} tập thể")
        return f"{name} cho {' và '.join(counts)}"


def groups(entries):
    found = {}
    for entry in entries:
        key = ("title", entry.title_id) if entry.title_id else ("form", entry.award_form_id)
        group = found.setdefault(key, Group(entry.entry, is_title=bool(entry.title_id)))
        if entry.is_collective:
            group.units += 1
        else:
            group.people += 1
    return list(found.values())


def _achievement_clause(text):
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else ""


def article_one(entries, achievement):
    awarded = "; ".join(group.text() for group in groups(entries))
    clause = _achievement_clause(achievement)
    return f"Tặng {awarded} (có danh sách kèm theo){', ' + clause if clause else ''}."


def _entries(decision):
    return list(decision.entries.select_related("person", "organization", "title", "award_form"))


def _recipients(decision):
    lines = ["Như Điều 3"]
    parent = decision.organization.parent
    if parent is not None:
        lines.append(f"{parent.short_name or parent.name} (để báo cáo)")
    lines.append("Lưu: VT")
    return lines


def decision_context(decision):
    """What templates/documents/award_decision.html needs."""
    entries = _entries(decision)
    doc = official_context(
        issuer=decision.issuer,
        doc_type_code="quyet-dinh",
        number=decision.number,
        issued_on=decision.issued_on,
        year=decision.year,
        subject=decision.subject,
        signer_lines=[decision.signer_authority.upper(), decision.signer_title.upper()],
        signer_name=decision.signer_name,
        recipients=_recipients(decision),
    )
    total = sum(entry.amount for entry in entries)
    return {
        "doc": doc,
        "decision": decision,
        "authority": authority_line(decision),
        "bases": _bases(decision),
        "article_one": article_one(entries, decision.achievement),
        "base_salary": dong(decision.base_salary),
        "total": dong(total),
        "has_reward": total > 0,
        "unit_name": decision.organization.name,
        "code": document_code(decision, doc),
        "date": f"{decision.issued_on:%d/%m/%Y}",
        "rows": [
            {
                "name": entry.name,
                "description": entry.description,
                "entry": printed_name(entry.entry) if entry.award_form_id else f"“{entry.entry.name}”",
                "amount": dong(entry.amount) if entry.amount else "",
            }
            for entry in entries
        ],
    }


def decision_html(decision):
    return render_to_string("documents/award_decision.html", decision_context(decision))


def _stem(decision):
    return f"{decision.number:02d}-qd-{fold(decision.issuer.abbreviation)}-{decision.year}".replace(" ", "")


def decision_filename(decision, *, signed=False):
    """'05-qd-ldld-2027-da-ky.pdf', or '-ban-chua-ky' for the unsigned copy."""
    return f"{_stem(decision)}-{'da-ky' if signed else 'ban-chua-ky'}.pdf"


def decision_pdf(decision):
    """The unsigned decision with its list."""
    return decision_filename(decision), PDF, html_to_pdf(decision_html(decision))


# Certificates --------------------------------------------------------------------------------


def _honorific(entry):
    gender = entry.person.gender if entry.person_id else ""
    return {"nam": "Ông", "nu": "Bà"}.get(gender, "")


def certificate_sheets(decision, entries=None):
    """One sheet per awardee: what templates/documents/_certificate_sheet.html prints."""
    entries = _entries(decision) if entries is None else entries
    issuer = decision.issuer
    common = {
        "authority": authority_line(decision),
        "decision_line": f"Quyết định số {decision.number_line.removeprefix('Số: ')} "
        f"ngày {decision.issued_on:%d/%m/%Y}",
        "date_line": date_line(issuer.place, decision.issued_on, decision.year),
        "signer_lines": [line.upper() for line in (decision.signer_authority, decision.signer_title) if line],
        "signer_name": decision.signer_name,
        "achievement": decision.achievement.strip(),
    }
    return [
        {
            **common,
            "entry": entry,
            "heading": entry.entry.certificate_heading or DEFAULT_CERTIFICATE_HEADING,
            "title_name": entry.title.name if entry.title_id else "",
            "honorific": _honorific(entry),
            "name": entry.name,
            "description": entry.description,
        }
        for entry in entries
    ]


def certificate_html(decision, entries=None):
    return render_to_string("documents/certificate.html", {"sheets": certificate_sheets(decision, entries)})


def certificate_pdf(decision, entry=None):
    """One awardee's certificate, or all of the decision's (one page each)."""
    entries = [entry] if entry is not None else None
    suffix = f"giay-khen-{entry.order:03d}" if entry is not None else "giay-khen"
    return f"{_stem(decision)}-{suffix}.pdf", PDF, html_to_pdf(certificate_html(decision, entries))
