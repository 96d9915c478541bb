"""Running totals that let a dashboard read a whole subtree in a few rows.

``Progress`` holds, for every unit, the sums of what the units at the bottom of its
subtree (the *leaves*: units that report their own figures rather than the sum of units
below) have sent in one campaign. Rows are kept up to date by ``dashboards.progress``
whenever a submission changes state, and rebuilt from the submissions after the tree
changes. A unit's own leaves (its direct grassroots unions) are read from the
submissions themselves, which is one indexed lookup.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from organizations.models import Organization


class Stage(models.TextChoices):
    REGISTRATION = "r", _("Registration")
    REPORT = "p", _("Report")
    UNITS = "u", _("Units taking part")


ALL_SECTORS = "*"
ALL_KINDS = 0


class Progress(models.Model):
    """Sums over the leaves below ``unit`` of one campaign, for one stage, period and target.

    ``code`` is the target's short code ('' for the submissions themselves), so plans that
    answer one another add up target by target. ``period`` is the round number (0: the
    registration, the year-end report, the units). ``state`` is the submissions' status.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=1, choices=Stage.choices)
    period = models.SmallIntegerField(default=0)
    code = models.CharField(max_length=20, blank=True)
    sector = models.CharField(max_length=10, blank=True)
    # The leaves' kind (an OrganizationKind id) and sector; ALL_KINDS / ALL_SECTORS mark the
    # rows that add up every kind and sector, which is what an unfiltered page reads.
    leaf_kind_id = models.IntegerField()
    state = models.CharField(max_length=10)
    total = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    numerator = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    denominator = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    yes = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    entries = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("progress total")
        verbose_name_plural = _("progress totals")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "stage", "period", "code", "sector", "leaf_kind_id", "state"],
                name="progress_key",
            ),
        ]
        # A page reads the rows of a few units for "all sectors and kinds" (or one of them).
        indexes = [models.Index(fields=["unit", "sector", "leaf_kind_id", "period"], name="progress_unit")]

    def __str__(self):
        return f"{self.campaign_id}/{self.unit_id}/{self.stage}{self.period}/{self.code or '-'}/{self.state}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Export(models.Model):
    """A large Excel export written in the background; its file appears when ready."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m", max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return self.file_name or f"export {self.pk}"

    @property
    def percent(self):
        if self.status == ExportStatus.DONE:
            return 100
        return int(self.rows_done * 100 / self.rows_total) if self.rows_total else 0
