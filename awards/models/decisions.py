"""Public disclosure (công khai) of the list a council passed, objections, and the award
decision (quyết định khen thưởng) itself."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from awards.models.catalogue import AwardForm, AwardKind, Title
from awards.models.councils import Meeting
from awards.models.history import ONE_ENTRY, ONE_NOMINEE, NomineeMixin
from awards.models.nominations import Nomination
from documents.models import DocumentType, Issuer, format_number_line
from organizations.models import Organization


class DisclosureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A disclosure is public to the units concerned: the issuer's and the nominators' users."""
        visible = Organization.objects.visible_to(user).values("pk")
        return self.filter(models.Q(organization__in=visible) | models.Q(nominations__nominator__in=visible)).distinct()


class Disclosure(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="award_disclosures", verbose_name=_("unit")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("council meeting")
    )
    starts_on = models.DateField(_("published from"))
    ends_on = models.DateField(_("objections until"))
    note = models.TextField(_("notice"), blank=True)
    nominations = models.ManyToManyField(Nomination, related_name="disclosures", verbose_name=_("proposed list"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audited()
    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("public disclosure")
        verbose_name_plural = _("public disclosures")

    def __str__(self):
        return f"{self.organization} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("awards:disclosure_detail", args=[self.pk])

    def is_running(self, day=None):
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.ends_on

    def has_ended(self, day=None):
        return (day or timezone.localdate()) > self.ends_on


class Objection(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="objections")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="objections")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("raised by")
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    text = models.TextField(_("objection"))
    resolution = models.TextField(_("how it was resolved"), blank=True)
    upheld = models.BooleanField(_("objection upheld"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    history = audited()

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.nomination}: {self.text[:60]}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        visible = Organization.objects.visible_to(user).values("pk")
        return self.filter(
            models.Q(organization__in=visible) | models.Q(entries__nomination__nominator__in=visible)
        ).distinct()


class Decision(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="award_decisions", verbose_name=_("unit")
    )
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuer"))
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    issued_on = models.DateField(_("date of the decision"))
    subject = models.CharField(_("subject"), max_length=500)
    award_kind = models.CharField(_("kind of award"), max_length=12, choices=AwardKind.choices, default=AwardKind.MERIT)
    bases = models.TextField(_("legal bases, one per line"))
    achievement = models.CharField(
        _("achievement as printed"),
        max_length=500,
        help_text=_("e.g. Đã có thành tích xuất sắc trong phong trào thi đua năm 2026."),
    )
    signer_authority = models.CharField(
        _("signs for"), max_length=200, blank=True, help_text=_("e.g. TM. BAN THƯỜNG VỤ")
    )
    signer_title = models.CharField(_("signer's title"), max_length=200)
    signer_name = models.CharField(_("signer's name"), max_length=200)
    base_salary = models.DecimalField(_("base salary on the date"), max_digits=12, decimal_places=0, default=0)
    status = models.CharField(_("status"), max_length=8, choices=DecisionStatus.choices, default="draft")
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audited()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "number"], name="decision_number_unique"),
        ]

    def __str__(self):
        return f"{self.number_line} {self.subject}"

    def get_absolute_url(self):
        return reverse("awards:decision_detail", args=[self.pk])

    @property
    def number_line(self):
        """As printed in the header, in the issuer's style (state, union or Party)."""
        doc_type = DocumentType.objects.get(code="quyet-dinh")
        return format_number_line(self.issuer.style, self.number, self.issuer.symbol_for(doc_type))

    def total_amount(self):
        return sum(entry.amount for entry in self.entries.all())


class DecisionEntry(NomineeMixin):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="entries")
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="decision_entry"
    )
    title = models.ForeignKey(Title, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    award_form = models.ForeignKey(AwardForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(_("position and unit as printed"), max_length=400, blank=True)
    amount = models.DecimalField(_("reward (đồng)"), max_digits=14, decimal_places=0, default=0)
    order = models.PositiveIntegerField(default=0)

    history = audited()

    class Meta:
        ordering = ["decision", "order", "pk"]
        verbose_name = _("awardee")
        verbose_name_plural = _("awardees")
        constraints = [
            models.CheckConstraint(condition=ONE_NOMINEE, name="decision_entry_one_nominee"),
            models.CheckConstraint(condition=ONE_ENTRY, name="decision_entry_one_entry"),
        ]

    def __str__(self):
        return f"{self.nominee} – {self.entry}"

    @property
    def entry(self):
        return self.title or self.award_form

    @property
    def name(self):
        return self.person.full_name if self.person_id else self.organization.name
