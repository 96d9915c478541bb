"""Targets (chỉ tiêu) of a campaign and their allocation (giao chỉ tiêu) down the tree.

A target's ``text`` is the phrase as the plan writes it, number included; targets that
share a printed line are chained by ``joiner`` ("; ", ", ", " và "), so the document
reads exactly as issued while every number is also data.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from campaigns.models import Campaign
from organizations.models import Organization, OrganizationKind


class TargetKind(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENTAGE = "percentage", _("Percentage (numerator / denominator)")
    COVERAGE = "coverage", _("Share of units (each unit yes/no)")
    YES_NO = "yes_no", _("Yes / no")
    MONEY = "money", _("Money (đồng)")


ALLOCATABLE_KINDS = {TargetKind.COUNT, TargetKind.MONEY}
NUMERIC_KINDS = {TargetKind.COUNT, TargetKind.PERCENTAGE, TargetKind.MONEY}


class Comparator(models.TextChoices):
    AT_LEAST = "gte", _("at least (từ … trở lên)")
    MORE_THAN = "gt", _("more than (trên)")
    AT_MOST = "lte", _("at most (không quá)")
    LESS_THAN = "lt", _("less than (dưới)")


class Period(models.TextChoices):
    YEAR = "year", _("Cumulative for the year")
    ROUND = "round", _("Counted per round")


class Source(models.TextChoices):
    REPORTED = "reported", _("Reported by the units")
    INITIATIVES = "initiatives", _("Counted from the initiative register")


INITIATIVES_NEED_COUNT = _("Only a count target can be counted from the initiative register.")


class GroupLayout(models.TextChoices):
    LINES = "lines", _("One line per item")
    INLINE = "inline", _("Items run on in one paragraph")


class TargetGroup(models.Model):
    """A group of targets as the plan groups them ('1. Chỉ tiêu thuộc trách nhiệm …')."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="target_groups")
    position = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("heading"), max_length=300, blank=True)
    intro = models.TextField(_("text before the targets"), blank=True)
    layout = models.CharField(_("layout"), max_length=10, choices=GroupLayout.choices, default=GroupLayout.LINES)

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return f"{self.label} {self.title}".strip() or str(_("Targets"))


class Target(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    group = models.ForeignKey(TargetGroup, on_delete=models.CASCADE, related_name="targets", verbose_name=_("group"))
    position = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("short code"), max_length=20, help_text=_("Used in Excel columns, e.g. CT01."))
    label = models.CharField(
        _("line number"),
        max_length=20,
        blank=True,
        help_text=_("1., -, (1)-; empty when continuing a line"),
    )
    joiner = models.CharField(
        _("continues the previous line with"),
        max_length=20,
        blank=True,
        help_text=_('Empty for a new line; "; " or " và " to continue the line before.'),
    )
    text = models.TextField(_("text as written"))
    kind = models.CharField(_("kind"), max_length=12, choices=TargetKind.choices)
    comparator = models.CharField(_("direction"), max_length=3, choices=Comparator.choices, default=Comparator.AT_LEAST)
    plan_value = models.DecimalField(_("plan value"), max_digits=18, decimal_places=2, null=True, blank=True)
    unit_label = models.CharField(
        _("unit of measure"), max_length=100, blank=True, help_text=_("đoàn viên, doanh nghiệp, %, đồng …")
    )
    sectors = models.JSONField(_("applies to sectors"), default=list, blank=True)
    unit_kinds = models.ManyToManyField(
        OrganizationKind, blank=True, related_name="+", verbose_name=_("applies to unit kinds")
    )
    period = models.CharField(_("counting"), max_length=5, choices=Period.choices, default=Period.YEAR)
    source = models.CharField(
        _("figures come from"),
        max_length=12,
        choices=Source.choices,
        default=Source.REPORTED,
        help_text=_("A count of initiatives is taken from the initiative register of each unit's subtree."),
    )

    history = audited()

    class Meta:
        ordering = ["group__position", "position", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="target_code_unique"),
        ]

    def __str__(self):
        return f"{self.code}: {self.text[:80]}"

    @property
    def is_allocatable(self):
        return self.kind in ALLOCATABLE_KINDS

    @property
    def is_at_least(self):
        return self.comparator in (Comparator.AT_LEAST, Comparator.MORE_THAN)

    @property
    def is_counted_from_initiatives(self):
        return self.source == Source.INITIATIVES

    @cached_property
    def unit_kind_ids(self):
        return {k.pk for k in self.unit_kinds.all()}

    def applies_to(self, unit):
        """Whether a grassroots-level ``unit`` answers this target (upper levels answer every
        target, as the sum of their units). Prefetch ``unit_kinds`` when asking for many."""
        kinds = self.unit_kind_ids
        if kinds and unit.kind_id not in kinds:
            return False
        return not self.sectors or unit.sector in self.sectors


class AllocationSheet(models.Model):
    """One unit's split of the targets among its direct subunits; its version guards
    against two people saving over each other."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="allocation_sheets")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("allocating unit")
    )
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    history = audited()

    class Meta:
        verbose_name = _("allocation sheet")
        verbose_name_plural = _("allocation sheets")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="allocation_sheet_unique"),
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.organization}"


class Allocation(models.Model):
    """The share of a target given to a unit by the unit above it."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("target"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("unit")
    )
    allocated_by = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("allocated by")
    )
    value = models.DecimalField(_("allocated value"), max_digits=18, decimal_places=2)

    history = audited()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["target", "organization"], name="allocation_unique"),
        ]

    def __str__(self):
        return f"{self.target.code} → {self.organization}: {self.value}"
