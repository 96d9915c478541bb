"""The register of initiatives (sáng kiến) a unit's members made and had recognised.

Initiatives count toward a campaign's initiative targets (the "01 triệu sáng kiến"
programme): per unit, and rolled up through the hierarchy by subtree.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from core.text import fold
from organizations.models import Organization


class Field(models.TextChoices):
    TECHNICAL = "technical", _("Technique and technology")
    MANAGEMENT = "management", _("Management and administration")
    OPERATIONS = "operations", _("Operations and work methods")
    SOCIAL = "social", _("Union work and social life")
    OTHER = "other", _("Other")


class RecognitionLevel(models.IntegerChoices):
    GRASSROOTS = 4, _("Grassroots (cơ sở)")
    UPPER = 3, _("Directly-superior union")
    PROVINCE = 2, _("Province or sector")
    NATIONAL = 1, _("Tổng Liên đoàn or national")


class InitiativeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def within(self, unit, start, end):
        """Initiatives of ``unit``'s subtree recognised between ``start`` and ``end``."""
        return self.filter(
            organization__in=Organization.objects.subtree(unit).values("pk"),
            recognized_on__gte=start,
            recognized_on__lte=end,
        )


class Initiative(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=500)
    authors = models.TextField(_("authors"), help_text=_("One author per line: full name, position."))
    field = models.CharField(_("field"), max_length=12, choices=Field.choices)
    recognized_on = models.DateField(_("recognised on"))
    benefit = models.DecimalField(_("benefit (đồng per year)"), max_digits=18, decimal_places=0, null=True, blank=True)
    benefit_note = models.TextField(_("benefit that money does not measure"), blank=True)
    recognition_level = models.PositiveSmallIntegerField(
        _("recognised at"), choices=RecognitionLevel.choices, default=RecognitionLevel.GRASSROOTS
    )
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    # Title and authors without accents, so "khuon ep" finds "Khuôn ép".
    search_text = models.TextField(editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited(excluded_fields=["updated_at", "search_text"])
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-recognized_on", "title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [models.Index(fields=["organization", "recognized_on"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.title} {self.authors}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiatives:initiative_update", args=[self.pk])

    def author_list(self):
        return [line.strip() for line in self.authors.splitlines() if line.strip()]
