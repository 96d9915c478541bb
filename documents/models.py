"""Official documents: who issues them, their types and numbers, signing certificates,
and the signed files the portal hands out.

Plans (and later award decisions) are rendered in the national administrative format
(Nghị định 30/2020), the union's variant, or the Party's (Hướng dẫn 36-HD/VPTW),
depending on the issuer's style.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from organizations.models import Organization


class DocumentStyle(models.TextChoices):
    STATE = "state", _("State (Nghị định 30/2020/NĐ-CP)")
    UNION = "union", _("Trade union")
    PARTY = "party", _("Party (Hướng dẫn 36-HD/VPTW)")


class DocumentType(models.Model):
    """A kind of document (Kế hoạch, Phát động thi đua, Quyết định …) and its abbreviation."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    abbreviation = models.CharField(_("abbreviation"), max_length=10)
    heading = models.CharField(_("printed heading"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = audited()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self):
        return f"{self.name} ({self.abbreviation})"


class IssuerQuerySet(models.QuerySet):
    def usable_by(self, organization):
        return self.filter(managed_by=organization, is_active=True)


class Issuer(models.Model):
    """The body named in a document's header, with its style and abbreviation.

    Union units have one for themselves; a unit may also register bodies outside the
    union that issue plans with it (a Party committee's department, say).
    """

    managed_by = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="issuers",
        verbose_name=_("managed by"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("union unit"),
        help_text=_("Empty for a body outside the union."),
    )
    style = models.CharField(_("document style"), max_length=10, choices=DocumentStyle.choices)
    parent_name = models.CharField(
        _("parent body (first header line)"),
        max_length=200,
        blank=True,
        help_text=_("As printed, e.g. TỔNG LĐLĐ VIỆT NAM or TỈNH ỦY BÌNH THUẬN."),
    )
    name = models.CharField(
        _("issuing body (second header line)"),
        max_length=200,
        help_text=_("As printed, e.g. LĐLĐ TỈNH LAI CHÂU. A line break splits a long name."),
    )
    abbreviation = models.CharField(
        _("abbreviation in the document code"),
        max_length=20,
        help_text=_("The part after the type in the code: KH-LĐLĐ, 34-KH/BDVTU."),
    )
    place = models.CharField(_("place name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audited()
    objects = IssuerQuerySet.as_manager()

    class Meta:
        ordering = ["managed_by__name", "name"]
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        constraints = [
            models.UniqueConstraint(fields=["managed_by", "name"], name="issuer_name_unique"),
        ]

    def __str__(self):
        lines = [self.parent_name, self.name.replace("\n", " ")]
        return " – ".join(line for line in lines if line)

    def symbol_for(self, doc_type):
        """The code after the number: KH-LĐLĐ (state, union) or KH/BDVTU (Party)."""
        separator = "/" if self.style == DocumentStyle.PARTY else "-"
        return f"{doc_type.abbreviation}{separator}{self.abbreviation}"


def format_number_line(style, number, symbol):
    """'Số: 02/KH-LĐLĐ' (ND30: numbers below 10 take a leading zero); Party: 'Số 34-KH/BDVTU'.

    Without a number the space is left blank, as on a paper draft.
    """
    if style == DocumentStyle.PARTY:
        return f"Số {number}-{symbol}" if number else f"Số     -{symbol}"
    return f"Số: {number:02d}/{symbol}" if number else f"Số:      /{symbol}"


def signing_upload_path(instance, filename):
    # Random names: a stored file's path tells nothing and cannot be guessed.
    return f"signed/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.pdf"


class SigningCertificateQuerySet(models.QuerySet):
    def usable_by(self, unit, moment=None):
        """The unit's active certificates valid at ``moment`` (now)."""
        moment = moment or timezone.now()
        return self.filter(organization=unit, is_active=True, not_before__lte=moment, not_after__gte=moment)


class SigningCertificate(models.Model):
    """A unit's signing certificate as uploaded (PKCS#12, still locked by its passphrase).

    The passphrase is never stored: it is asked for at signing time.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("unit")
    )
    label = models.CharField(_("label"), max_length=200)
    pkcs12 = models.BinaryField(_("PKCS#12 file"))
    subject_name = models.CharField(_("holder"), max_length=300)
    issuer_name = models.CharField(_("issued by"), max_length=300)
    serial_number = models.CharField(_("serial number"), max_length=100)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    is_active = models.BooleanField(_("active"), default=True)

    history = audited(excluded_fields=["pkcs12"])
    objects = SigningCertificateQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "-not_after"]
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")

    def __str__(self):
        return f"{self.label} ({self.subject_name})"

    def is_valid_on(self, moment=None):
        moment = moment or timezone.now()
        return self.not_before <= moment <= self.not_after


class TrustAnchor(models.Model):
    """A root certificate whose chains the verification page reports as trusted."""

    name = models.CharField(_("name"), max_length=200)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    history = audited()

    class Meta:
        verbose_name = _("trusted root certificate")
        verbose_name_plural = _("trusted root certificates")

    def __str__(self):
        return self.name


class SignedDocument(models.Model):
    """A signed PDF exactly as produced, with its SHA-256, for download and verification."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=500)
    number_line = models.CharField(_("number and code"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer_text = models.CharField(_("issuer"), max_length=400)
    version_number = models.PositiveIntegerField(_("document version"), default=1)
    file = models.FileField(_("file"), upload_to=signing_upload_path)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    certificate = models.ForeignKey(
        SigningCertificate,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("certificate"),
    )
    signer_name = models.CharField(_("signed as"), max_length=300)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("signed by"),
    )

    history = audited()

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.number_line} {self.title}".strip()

    @staticmethod
    def digest(data):
        return hashlib.sha256(data).hexdigest()
