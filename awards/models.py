"""The catalogue of emulation titles (danh hiệu thi đua) units and people aim for.

Titles are data with their legal basis and validity dates, because the rules change every
few years (Luật Thi đua, khen thưởng 2022; NĐ 152/2025; the union's own rules).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class AwardingLevel(models.IntegerChoices):
    STATE = 0, _("State")
    CENTRAL = 1, _("Tổng Liên đoàn, ministry or province (bộ, ngành, tỉnh)")
    PROVINCE = 2, _("Provincial federation")
    UPPER = 3, _("Directly-superior union")
    GRASSROOTS = 4, _("Grassroots (cơ sở)")


class TitleQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Title(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("for"), max_length=12, choices=Scope.choices)
    awarding_level = models.PositiveSmallIntegerField(_("awarded at"), choices=AwardingLevel.choices)
    is_union_title = models.BooleanField(_("title of the union"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TitleQuerySet.as_manager()

    class Meta:
        ordering = ["scope", "sort_order", "name"]
        verbose_name = _("emulation title")
        verbose_name_plural = _("emulation titles")

    def __str__(self):
        return self.name
