"""Nominations (đề nghị khen thưởng) and the proposals (tờ trình) that carry them upward.

A nomination starts at the unit that proposes it and travels up, one level at a time,
until it reaches the unit whose authority covers the title or form (``deciding_unit``).
``holder`` is where it is now; only the holder's users act on it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from awards.models.catalogue import AwardForm, AwardKind, Title
from awards.models.history import ONE_ENTRY, ONE_NOMINEE, NomineeMixin
from campaigns.models import Campaign
from organizations.models import Organization


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting review")
    READY = "ready", _("Ready for the council")
    IN_COUNCIL = "in_council", _("Before the council")
    PASSED = "passed", _("Passed by the council")
    NOT_PASSED = "not_passed", _("Not passed by the council")
    REJECTED = "rejected", _("Withdrawn after an objection")
    DECIDED = "decided", _("Awarded")


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Nominations of the user's subtree, and those held by a unit the user sees."""
        visible = Organization.objects.visible_to(user).values("pk")
        return self.filter(models.Q(nominator__in=visible) | models.Q(holder__in=visible))


class Nomination(NomineeMixin):
    nominator = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="nominations_made", verbose_name=_("proposed by")
    )
    holder = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="nominations_held", verbose_name=_("now with")
    )
    deciding_unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    year = models.PositiveSmallIntegerField(_("year of the achievement"))
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("campaign")
    )
    award_kind = models.CharField(_("kind of award"), max_length=12, choices=AwardKind.choices, default=AwardKind.MERIT)
    title = models.ForeignKey(
        Title, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("title")
    )
    award_form = models.ForeignKey(
        AwardForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("award form")
    )
    summary = models.TextField(_("achievement summary (báo cáo thành tích)"))
    status = models.CharField(_("status"), max_length=12, choices=NominationStatus.choices, default="draft")
    checks = models.JSONField(_("eligibility at the last check"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    override_reason = models.TextField(_("reason for forwarding despite a failed criterion"), blank=True)
    return_note = models.TextField(_("why it was sent back"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audited(excluded_fields=["checks", "checked_at"])
    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "nominator__name", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.CheckConstraint(condition=ONE_NOMINEE, name="nomination_one_nominee"),
            models.CheckConstraint(condition=ONE_ENTRY, name="nomination_one_entry"),
        ]
        indexes = [models.Index(fields=["holder", "status"]), models.Index(fields=["nominator", "year"])]

    def __str__(self):
        return f"{self.nominee} – {self.entry} {self.year}"

    def get_absolute_url(self):
        return reverse("awards:nomination_detail", args=[self.pk])

    @property
    def entry(self):
        return self.title or self.award_form

    @property
    def failed_checks(self):
        return [check for check in self.checks if check["status"] == "fail"]


def nomination_evidence_path(instance, filename):
    # Random names: a stored file's path tells nothing and cannot be guessed.
    return f"nominations/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class NominationEvidence(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=nomination_evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = audited()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("nomination evidence file")
        verbose_name_plural = _("nomination evidence files")

    def __str__(self):
        return self.original_name


class Proposal(models.Model):
    """A tờ trình: the nominations one unit forwards to the level above, with their dossiers."""

    from_unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    to_unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    created_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    nominations = models.ManyToManyField(Nomination, related_name="proposals", verbose_name=_("nominations"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = audited()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal (tờ trình)")
        verbose_name_plural = _("proposals (tờ trình)")

    def __str__(self):
        return f"{self.from_unit} → {self.to_unit} ({self.created_on})"


class NominationEvent(models.Model):
    """Each step of a nomination's way, as its timeline shows it."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Sent up")
        FORWARDED = "forwarded", _("Forwarded to the level above")
        ACCEPTED = "accepted", _("Accepted for the council")
        RETURNED = "returned", _("Sent back")
        CHECKED = "checked", _("Eligibility checked")
        VOTED = "voted", _("Council result")
        OBJECTION = "objection", _("Objection")
        DECIDED = "decided", _("Awarded")
        REVOKED = "revoked", _("Revoked")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")

    def __str__(self):
        return f"{self.nomination}: {self.get_action_display()}"
