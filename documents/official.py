"""The header and footer every official document other than a plan shares (ND30 layout)."""

from documents.models import DocumentType, format_number_line
from documents.rendering import date_line


def official_context(
    *,
    issuer,
    doc_type_code,
    number,
    issued_on,
    year,
    subject,
    signer_lines=(),
    signer_name="",
    recipients=(),
):
    """What ``documents/official_base.html`` needs; ``issuer`` is a documents.Issuer."""
    doc_type = DocumentType.objects.get(code=doc_type_code)
    return {
        "parent_lines": [line for line in issuer.parent_name.split("\n") if line],
        "issuer_lines": issuer.name.split("\n"),
        "number_line": format_number_line(issuer.style, number, issuer.symbol_for(doc_type)),
        "date_line": date_line(issuer.place, issued_on, year),
        "type_heading": doc_type.heading,
        "subject": subject,
        "signer_lines": [line for line in signer_lines if line],
        "signer_name": signer_name,
        "recipients": list(recipients),
    }
