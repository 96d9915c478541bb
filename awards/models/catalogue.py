"""The catalogue: emulation titles (danh hiệu thi đua) and award forms (hình thức khen
thưởng), their criteria, quotas and the base salary rewards are counted on.

Everything here is data with a legal basis and dates of validity, because the rules change
every few years (Luật Thi đua, khen thưởng 2022; NĐ 152/2025; the union's own rules).
"""

import math
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from organizations.models import Organization


class Scope(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")
    HOUSEHOLD = "household", _("Household")


class AwardingLevel(models.IntegerChoices):
    """The level that grants an entry; 1–4 are the union's own unit levels."""

    STATE = 0, _("State")
    CENTRAL = 1, _("Tổng Liên đoàn, ministry or province (bộ, ngành, tỉnh)")
    PROVINCE = 2, _("Provincial federation")
    UPPER = 3, _("Directly-superior union")
    GRASSROOTS = 4, _("Grassroots (cơ sở)")


class AwardKind(models.TextChoices):
    """Luật 2022 Điều 8: kept on every award, since đột xuất and chuyên đề awards do not
    count toward a higher công trạng award (NĐ 152/2025 Điều 4)."""

    MERIT = "cong-trang", _("For merit (công trạng)")
    CAMPAIGN = "phong-trao", _("For a campaign or theme (phong trào, chuyên đề)")
    SUDDEN = "dot-xuat", _("For a sudden deed (đột xuất)")
    DEDICATION = "cong-hien", _("For a career of service (cống hiến)")


class CatalogueQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class CatalogueEntry(models.Model):
    """What titles and award forms share; they stay two tables so they are never mixed."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("for"), max_length=12, choices=Scope.choices)
    awarding_level = models.PositiveSmallIntegerField(_("awarded at"), choices=AwardingLevel.choices)
    is_union_title = models.BooleanField(_("of the union"), default=False)
    coefficient = models.DecimalField(
        _("reward coefficient (× base salary)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    vote_threshold = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("votes needed (% of all council members)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    certificate_heading = models.CharField(
        _("heading of the certificate"), max_length=60, blank=True, help_text=_("e.g. BẰNG KHEN, GIẤY KHEN.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["scope", "sort_order", "name"]

    def __str__(self):
        return self.name

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )

    def votes_needed(self, members):
        """Yes votes needed out of ``members`` (the threshold counts every member)."""
        return math.ceil(members * self.vote_threshold / 100)


class Title(CatalogueEntry):
    history = audited()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("emulation title")
        verbose_name_plural = _("emulation titles")


class AwardForm(CatalogueEntry):
    history = audited()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("award form")
        verbose_name_plural = _("award forms")


class Rule(models.TextChoices):
    """The kinds of criteria the eligibility check knows; their numbers are parameters."""

    REGISTERED = "registered", _("Registered for it in the year")
    TITLE_IN_YEAR = "title_in_year", _("Holds another title the same year")
    CONSECUTIVE = "consecutive", _("Held a title several consecutive years")
    RATING = "rating", _("Rated at least a level for the year")
    INITIATIVE = "initiative", _("Has a recognised initiative")
    ANY_OF = "any_of", _("One of several criteria")
    MEMBER_SHARE_TITLE = "member_share_title", _("Share of members holding a title")
    MEMBER_SHARE_RATING = "member_share_rating", _("Share of members rated at least a level")
    MEMBERS_WITH_TITLE = "members_with_title", _("Members holding a title")
    NO_DISCIPLINE = "no_discipline", _("Nobody disciplined at a level or above")
    ABSENCE = "absence", _("Absent fewer days than a limit")
    TENURE = "tenure", _("Worked at least some months")
    CAMPAIGN_RESULTS = "campaign_results", _("Achieved its pledges in the year's campaigns")
    REPORTS_COMPLETE = "reports_complete", _("Sent and had approved every report of the year")


class Criterion(models.Model):
    """One rule a nominee must meet, for one title or one award form, while it is valid."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria")
    award_form = models.ForeignKey(AwardForm, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria")
    rule = models.CharField(_("rule"), max_length=24, choices=Rule.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    description = models.CharField(_("criterion as written"), max_length=500)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audited()
    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(title__isnull=False, award_form__isnull=True)
                | Q(title__isnull=True, award_form__isnull=False),
                name="criterion_for_one_entry",
            )
        ]

    def __str__(self):
        return self.description

    @property
    def entry(self):
        return self.title or self.award_form


class Quota(models.Model):
    """At most ``cap`` awards of one entry by one issuing unit in one year (default: none)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="award_quotas", verbose_name=_("issuing unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.ForeignKey(Title, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    award_form = models.ForeignKey(AwardForm, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    cap = models.PositiveIntegerField(_("at most"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    history = audited()

    class Meta:
        ordering = ["-year", "organization__name"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.CheckConstraint(
                condition=Q(title__isnull=False, award_form__isnull=True)
                | Q(title__isnull=True, award_form__isnull=False),
                name="quota_for_one_entry",
            ),
            models.UniqueConstraint(fields=["organization", "year", "title"], name="quota_title_unique"),
            models.UniqueConstraint(fields=["organization", "year", "award_form"], name="quota_form_unique"),
        ]

    def __str__(self):
        return f"{self.title or self.award_form} {self.year}: {self.cap}"


class BaseSalaryQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(valid_from__lte=day).order_by("-valid_from").first()


class BaseSalary(models.Model):
    """Lương cơ sở from a date on; a reward is counted on the one in force on the decision date."""

    amount = models.DecimalField(_("amount (đồng a month)"), max_digits=12, decimal_places=0)
    valid_from = models.DateField(_("in force from"), unique=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    history = audited()
    objects = BaseSalaryQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")

    def __str__(self):
        return f"{self.amount} ({self.valid_from})"


def reward_amount(coefficient, salary):
    """coefficient × base salary, rounded up to the next 10.000 đ (NĐ 152/2025 Điều 49)."""
    raw = Decimal(coefficient) * Decimal(salary)
    return Decimal(math.ceil(raw / 10000) * 10000)
