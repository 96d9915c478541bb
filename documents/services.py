"""Writes about official documents: issuers, certificates, trust anchors."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from documents.models import Issuer, SignedDocument, SigningCertificate
from documents.rendering import pdf_with_signature_box
from documents.signing import inspect_pkcs12, sign_pdf
from organizations.access import Cap, can

ISSUER_FIELDS = (
    "style",
    "parent_name",
    "name",
    "abbreviation",
    "place",
    "organization",
    "is_active",
)


PLACE_PREFIXES = (
    "Liên đoàn Lao động thành phố ",
    "Liên đoàn Lao động Thành phố ",
    "Liên đoàn Lao động tỉnh ",
)


def default_place(unit):
    """The place name of a unit's documents: its province, or Hà Nội for central bodies."""
    chain = [*unit.ancestors(), unit]
    province = next((u for u in chain if u.kind.level == 2 and u.kind.code == "ldld_tinh"), None)
    if province is None:
        return "Hà Nội"
    for prefix in PLACE_PREFIXES:
        if province.name.startswith(prefix):
            return province.name.removeprefix(prefix)
    return province.name


def default_issuer_values(unit):
    """The header a union unit prints: its parent unit over itself, in capitals."""
    parent = (unit.parent.short_name or unit.parent.name) if unit.parent else ""
    return {
        "style": "union",
        "parent_name": parent.upper(),
        "name": (unit.short_name or unit.name).upper(),
        "abbreviation": unit.kind.abbreviation.split()[0] if unit.kind.abbreviation else "CĐ",
        "place": default_place(unit),
        "organization": unit,
    }


@transaction.atomic
def save_issuer(*, actor, unit, data, issuer=None, expected_version=None):
    """Create or change an issuer that ``unit`` uses on its documents."""
    if not can(actor, Cap.MANAGE_CAMPAIGNS, unit):
        raise DomainError(_("You cannot manage the documents of “%(unit)s”.") % {"unit": unit})
    clash = Issuer.objects.filter(managed_by=unit, name=data["name"])
    if issuer is not None:
        issuer = lock_current(Issuer, issuer, expected_version)
        clash = clash.exclude(pk=issuer.pk)
        issuer.version += 1
    else:
        issuer = Issuer(managed_by=unit)
    if clash.exists():
        raise DomainError(_("This unit already has an issuer with that name."), field="name")
    for field in ISSUER_FIELDS:
        if field in data:
            setattr(issuer, field, data[field])
    return save_as(issuer, actor)


@transaction.atomic
def upload_certificate(*, actor, unit, data, passphrase, label):
    """Store a unit's PKCS#12 certificate after checking it opens and can sign.

    The passphrase is used for the check only and is not kept.
    """
    if not can(actor, Cap.MANAGE_CERTIFICATES, unit):
        raise DomainError(_("You cannot manage the certificates of “%(unit)s”.") % {"unit": unit})
    info = inspect_pkcs12(data, passphrase)
    certificate = SigningCertificate(
        organization=unit,
        label=label or info.subject_name,
        pkcs12=bytes(data),
        subject_name=info.subject_name,
        issuer_name=info.issuer_name,
        serial_number=info.serial_number,
        fingerprint=info.fingerprint,
        not_before=info.not_before,
        not_after=info.not_after,
        uploaded_by=actor,
    )
    return save_as(certificate, actor)


@transaction.atomic
def deactivate_certificate(certificate, *, actor):
    if not can(actor, Cap.MANAGE_CERTIFICATES, certificate.organization):
        raise DomainError(_("You cannot manage the certificates of “%(unit)s”.") % {"unit": certificate.organization})
    certificate.is_active = False
    return save_as(certificate, actor, reason=_("Withdrawn"))


def check_signing_certificate(certificate, unit):
    if certificate.organization_id != unit.pk or not certificate.is_active:
        raise DomainError(_("Choose an active certificate of %(unit)s.") % {"unit": unit}, field="certificate")


@transaction.atomic
def sign_and_keep(subject, *, actor, certificate, passphrase, html, filename, record, unit_name, location, reason):
    """Render ``html`` to PDF, sign it with ``certificate`` and keep it as a SignedDocument of ``subject``.

    ``record`` holds the SignedDocument's describing fields (title, number_line, issued_on,
    issuer_text, version_number). The stamp lands in the document's signature space.
    """
    pdf, page, box = pdf_with_signature_box(html)
    signed = sign_pdf(
        pdf,
        pkcs12_data=certificate.pkcs12,
        passphrase=passphrase,
        page=page,
        box=box,
        unit_name=unit_name,
        location=location,
        reason=reason,
    )
    document = SignedDocument(
        subject=subject,
        size=len(signed),
        sha256=SignedDocument.digest(signed),
        certificate=certificate,
        signer_name=certificate.subject_name,
        signed_by=actor,
        **record,
    )
    document.file.save(filename, ContentFile(signed), save=False)
    try:
        document.save()
    except Exception:
        # No row, no file: a signed copy nobody can find must not linger in storage.
        document.file.delete(save=False)
        raise
    return document
