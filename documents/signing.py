"""Digital signatures: checking uploaded certificates, signing PDFs (PAdES B-B with a
visible Vietnamese stamp) and verifying any PDF someone brings to the portal.

Certificates stay as uploaded (PKCS#12 locked by the unit's passphrase); the passphrase
is asked for at signing time and never stored.
"""

import asyncio
import datetime
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.uploads import check_size
from documents.models import SignedDocument, TrustAnchor
from documents.rendering import FONT_DIR

STAMP_FONT = FONT_DIR / "LiberationSerif-Regular-1000upm.ttf"
FIELD_NAME = "ChuKySo"
LOCAL_TZ = datetime.timezone(datetime.timedelta(hours=7))


@dataclass
class CertificateInfo:
    subject_name: str
    issuer_name: str
    serial_number: str
    fingerprint: str
    not_before: datetime.datetime
    not_after: datetime.datetime


def _common_name(name):
    attrs = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return attrs[0].value if attrs else name.rfc4514_string()


def _load(data, passphrase):
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(bytes(data), passphrase.encode("utf-8"))
    except ValueError:
        raise DomainError(
            _("The passphrase is wrong, or the file is not a PKCS#12 certificate (.p12, .pfx)."),
            field="passphrase",
        ) from None
    if key is None or certificate is None:
        raise DomainError(_("The file holds no signing key."), field="file")
    return key, certificate, chain or []


def check_certificate(certificate, *, at=None):
    """Refuse a certificate that cannot sign now: expired, not yet valid, or not for signing."""
    at = at or timezone.now()
    if certificate.not_valid_after_utc < at:
        raise DomainError(
            _("The certificate expired on %(date)s.")
            % {"date": date_format(certificate.not_valid_after_utc.astimezone(LOCAL_TZ), "SHORT_DATE_FORMAT")}
        )
    if certificate.not_valid_before_utc > at:
        raise DomainError(_("The certificate is not valid yet."))
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature and usage.content_commitment):
        raise DomainError(
            _(
                "This certificate is not for signing documents "
                "(it lacks the digital signature and non-repudiation uses)."
            )
        )


def inspect_pkcs12(data, passphrase):
    """Open an uploaded certificate with its passphrase and describe it; refuse unusable ones."""
    _key, certificate, _chain = _load(data, passphrase)
    check_certificate(certificate)
    return CertificateInfo(
        subject_name=_common_name(certificate.subject),
        issuer_name=_common_name(certificate.issuer),
        serial_number=format(certificate.serial_number, "x"),
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
    )


def _signer(data, passphrase):
    """A pyHanko signer, after our own checks have explained any problem in Vietnamese."""
    from pyhanko.sign import signers  # noqa: PLC0415 (pyHanko is heavy; load it when signing)

    _key, certificate, _chain = _load(data, passphrase)
    check_certificate(certificate)
    signer = signers.SimpleSigner.load_pkcs12_data(bytes(data), other_certs=None, passphrase=passphrase.encode("utf-8"))
    return signer, certificate


def loop_running():
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def outside_event_loop(function, *args, **kwargs):
    """Call ``function``, in a thread of its own when this one runs an event loop.

    pyHanko's synchronous API starts its own loop with ``asyncio.run``, which cannot happen in
    a thread whose loop is running (an async server, a test driving a browser).
    """
    if not loop_running():
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def stamp_time(moment):
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M:%S %d/%m/%Y (UTC+07:00)")


def sign_pdf(pdf, *, pkcs12_data, passphrase, page, box, unit_name, location, reason):
    """Sign ``pdf`` (bytes) and return the signed bytes; the stamp sits in ``box`` on ``page``."""
    from pyhanko import stamp  # noqa: PLC0415
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory  # noqa: PLC0415
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: PLC0415
    from pyhanko.pdf_utils.text import TextBoxStyle  # noqa: PLC0415
    from pyhanko.sign import fields, signers  # noqa: PLC0415

    signer, certificate = _signer(pkcs12_data, passphrase)
    # pyHanko needs the glyph accumulator and the text box at the same size (STACK_NOTES).
    size = 9
    style = stamp.TextStampStyle(
        stamp_text="Ký số bởi: %(holder)s\nĐơn vị: %(unit)s\nThời gian ký: %(local_time)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(STAMP_FONT), font_size=size),
            font_size=size,
            leading=size + 2,
        ),
        border_width=1,
        background=None,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=page, box=box),
    )
    output = io.BytesIO()
    outside_event_loop(
        pdf_signer.sign_pdf,
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
        output=output,
        appearance_text_params={
            "holder": _common_name(certificate.subject),
            "unit": unit_name,
            "local_time": stamp_time(timezone.now()),
        },
    )
    return output.getvalue()


# Verification -------------------------------------------------------------------------


@dataclass
class SignatureReport:
    signer: str
    organization: str
    signed_at: datetime.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    modified_after: bool
    problem: str = ""


@dataclass
class VerificationReport:
    sha256: str
    signatures: list = field(default_factory=list)
    issued: SignedDocument | None = None
    unreadable: str = ""

    @property
    def intact(self):
        return bool(self.signatures) and all(
            s.intact and s.valid and s.covers_whole_file and not s.modified_after for s in self.signatures
        )


def check_upload(uploaded):
    """Refuse what is not a PDF of reasonable size before anything parses it."""
    check_size(uploaded, settings.VERIFY_MAX_BYTES)
    uploaded.seek(0)
    data = uploaded.read()
    if not data.startswith(b"%PDF-"):
        raise DomainError(_("The file is not a PDF document."), field="file")
    return data


def _trust_roots():
    return [
        asn1_x509.Certificate.load(
            x509.load_pem_x509_certificate(a.certificate_pem.encode()).public_bytes(serialization.Encoding.DER)
        )
        for a in TrustAnchor.objects.all()
    ]


def _subject_field(cert, key):
    return cert.subject.native.get(key, "")


def verify_pdf(data):
    """Check every signature in ``data`` and whether the file is one the portal issued."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415

    report = VerificationReport(sha256=hashlib.sha256(data).hexdigest())
    report.issued = SignedDocument.objects.filter(sha256=report.sha256).first()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:  # a damaged file can fail anywhere in the parser
        report.unreadable = _("The file is damaged or has been altered: it cannot be read as a PDF.")
        return report
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
    for embedded in signatures:
        report.signatures.append(_check_signature(embedded, context, validate_pdf_signature))
    return report


def _check_signature(embedded, context, validate):
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel  # noqa: PLC0415

    cert = embedded.signer_cert
    signer = _subject_field(cert, "common_name")
    organization = _subject_field(cert, "organization_name")
    try:
        status = outside_event_loop(validate, embedded, context)
    except Exception as exc:  # a forged or damaged signature must not break the page
        return SignatureReport(signer, organization, None, False, False, False, False, True, problem=str(exc)[:200])
    modified = status.modification_level not in (
        None,
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    )
    return SignatureReport(
        signer=signer,
        organization=organization,
        signed_at=status.signer_reported_dt,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modified_after=modified,
    )
