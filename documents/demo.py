"""Demo signing set-up: a demo certification authority, trusted by the verification
page, and a certificate for each demo province so signing works right after `make run`."""

from django.db import transaction

from core.audit import save_as
from documents.certificates import fingerprint, issue_ca, issue_certificate, to_pem, to_pkcs12
from documents.models import SigningCertificate, TrustAnchor
from documents.signing import inspect_pkcs12
from organizations.models import Organization

DEMO_CA_NAME = "CA thử nghiệm Cổng thi đua"
DEMO_CERTIFICATE_LABEL = "Chứng thư số thử nghiệm"
# Units that sign in the demo: the provinces with a demo staff account, and the TLĐ.
SIGNING_UNITS = ["TLD", "LDLD-LCH", "LDLD-KHH", "LDLD-LDG", "LDLD-QTR", "LDLD-NBH"]


@transaction.atomic
def load_demo_certificates(actor, passphrase):
    """Create the demo CA and certificates once; later runs change nothing."""
    if TrustAnchor.objects.filter(name=DEMO_CA_NAME).exists():
        return
    ca, ca_key = issue_ca(common_name=DEMO_CA_NAME)
    TrustAnchor.objects.create(name=DEMO_CA_NAME, certificate_pem=to_pem(ca), fingerprint=fingerprint(ca))
    for unit in Organization.objects.filter(code__in=SIGNING_UNITS).order_by("code"):
        # X.509 names hold at most 64 characters.
        certificate, key = issue_certificate(ca, ca_key, unit.name[:64], (unit.short_name or unit.name)[:64])
        data = to_pkcs12(certificate, key, [ca], passphrase)
        info = inspect_pkcs12(data, passphrase)
        save_as(
            SigningCertificate(
                organization=unit,
                label=DEMO_CERTIFICATE_LABEL,
                pkcs12=data,
                subject_name=info.subject_name,
                issuer_name=info.issuer_name,
                serial_number=info.serial_number,
                fingerprint=info.fingerprint,
                not_before=info.not_before,
                not_after=info.not_after,
                uploaded_by=actor,
            ),
            actor,
        )
