"""A cluster's yearly covenant (giao ước thi đua), its scoring, and the acclaim (suy tôn).

Units score themselves and then each other against the covenant's table; the ranking
uses the mean of the scores other units gave. The acclaim is a secret ballot: who voted
and how many votes each candidate got are stored apart, so no vote can be traced.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from organizations.models import Cluster, Organization


class CovenantStatus(models.TextChoices):
    DRAFT = "draft", _("Being drafted")
    SIGNED = "signed", _("Signed; scoring open")
    CLOSED = "closed", _("Scoring closed")


class Covenant(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="covenants", verbose_name=_("cluster"))
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=300)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=CovenantStatus.choices, default="draft")
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audited()

    class Meta:
        ordering = ["-year", "cluster__name"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="covenant_one_a_year")]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def get_absolute_url(self):
        return reverse("awards:covenant_detail", args=[self.pk])


class ItemKind(models.TextChoices):
    CRITERION = "criterion", _("Criterion")
    BONUS = "bonus", _("Bonus points")
    PENALTY = "penalty", _("Penalty points")


class ScoringItem(models.Model):
    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.CRITERION)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=1)

    history = audited()

    class Meta:
        ordering = ["covenant", "order", "pk"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")

    def __str__(self):
        return self.name

    @property
    def sign(self):
        return -1 if self.kind == ItemKind.PENALTY else 1


class Scorecard(models.Model):
    """The points ``scorer`` gave ``unit``; a self-assessment when they are the same unit."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="scorecards")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit scored"))
    scorer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("scored by"))
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=1, default=0)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("sent at"), default=timezone.now)

    history = audited()

    class Meta:
        ordering = ["covenant", "unit__name", "scorer__name"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [models.UniqueConstraint(fields=["covenant", "unit", "scorer"], name="scorecard_unique")]

    def __str__(self):
        return f"{self.scorer} → {self.unit}: {self.total}"

    @property
    def is_self(self):
        return self.unit_id == self.scorer_id


class Score(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoringItem, on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)

    history = audited()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scorecard", "item"], name="score_unique")]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self):
        return f"{self.item}: {self.points}"


class AcclaimStatus(models.TextChoices):
    OPEN = "open", _("Voting")
    CLOSED = "closed", _("Counted")


class Acclaim(models.Model):
    """The secret ballot that acclaims the cluster's leading units for the Cờ thi đua."""

    covenant = models.OneToOneField(Covenant, on_delete=models.CASCADE, related_name="acclaim")
    seats = models.PositiveSmallIntegerField(_("units to acclaim"), default=1)
    candidates = models.ManyToManyField(Organization, related_name="+", verbose_name=_("candidates"))
    status = models.CharField(_("status"), max_length=8, choices=AcclaimStatus.choices, default="open")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = audited()

    class Meta:
        verbose_name = _("acclaim (suy tôn)")
        verbose_name_plural = _("acclaims (suy tôn)")

    def __str__(self):
        return f"{self.covenant}"


class AcclaimVoter(models.Model):
    """That a member unit has voted; not whom for."""

    acclaim = models.ForeignKey(Acclaim, on_delete=models.CASCADE, related_name="voters")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["acclaim", "unit"], name="acclaim_one_vote_per_unit")]

    def __str__(self):
        return str(self.unit)


class AcclaimTally(models.Model):
    acclaim = models.ForeignKey(Acclaim, on_delete=models.CASCADE, related_name="tallies")
    candidate = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(default=0)
    acclaimed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-votes", "candidate__name"]
        constraints = [models.UniqueConstraint(fields=["acclaim", "candidate"], name="acclaim_tally_unique")]

    def __str__(self):
        return f"{self.candidate}: {self.votes}"
