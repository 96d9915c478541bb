"""What people and units earned and how they did, year by year.

The consecutive-year rules read this history: titles and awards (from the portal's own
decisions or imported from past years), yearly ratings, discipline and absences.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from awards.models.catalogue import AwardForm, AwardKind, Title
from organizations.models import Organization, Person

ONE_NOMINEE = Q(person__isnull=False, organization__isnull=True) | Q(person__isnull=True, organization__isnull=False)
ONE_ENTRY = Q(title__isnull=False, award_form__isnull=True) | Q(title__isnull=True, award_form__isnull=False)


class NomineeMixin(models.Model):
    """A row about either a person or a unit (a collective), never both."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("collective")
    )

    class Meta:
        abstract = True

    @property
    def nominee(self):
        return self.person or self.organization

    @property
    def is_collective(self):
        return self.organization_id is not None

    @property
    def home_unit_id(self):
        """The unit the row is about: the collective itself, or the person's unit."""
        return self.organization_id if self.person_id is None else self.person.organization_id


class RatingKind(models.TextChoices):
    DUTY = "duty", _("Completion of duties (mức độ hoàn thành nhiệm vụ)")
    UNION_GRADE = "union", _("Union grading (xếp loại công đoàn)")


class RatingLevel(models.IntegerChoices):
    """Lower is better, so "at least good" is ``level <= GOOD``."""

    EXCELLENT = 1, _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = 2, _("Hoàn thành tốt nhiệm vụ")
    DONE = 3, _("Hoàn thành nhiệm vụ")
    FAILED = 4, _("Không hoàn thành nhiệm vụ")


class Rating(NomineeMixin):
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=8, choices=RatingKind.choices, default=RatingKind.DUTY)
    level = models.PositiveSmallIntegerField(_("level"), choices=RatingLevel.choices)

    history = audited()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly rating")
        verbose_name_plural = _("yearly ratings")
        constraints = [
            models.CheckConstraint(condition=ONE_NOMINEE, name="rating_one_nominee"),
            models.UniqueConstraint(fields=["person", "year", "kind"], name="rating_person_unique"),
            models.UniqueConstraint(fields=["organization", "year", "kind"], name="rating_unit_unique"),
        ]

    def __str__(self):
        return f"{self.nominee} {self.year}: {self.get_level_display()}"


class DisciplineLevel(models.IntegerChoices):
    REPRIMAND = 1, _("Khiển trách")
    WARNING = 2, _("Cảnh cáo")
    DEMOTION = 3, _("Hạ bậc lương, giáng chức, cách chức")
    DISMISSAL = 4, _("Buộc thôi việc")


class Discipline(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disciplines", verbose_name=_("person"))
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.PositiveSmallIntegerField(_("level"), choices=DisciplineLevel.choices)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("decision and reason"), max_length=300, blank=True)

    history = audited()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self):
        return f"{self.person} {self.year}: {self.get_level_display()}"


class AbsenceReason(models.TextChoices):
    MATERNITY = "maternity", _("Maternity leave")
    SICKNESS = "sickness", _("Sickness")
    OTHER = "other", _("Other")


class Absence(models.Model):
    """Working days a person was away in a year; maternity leave counts as working time."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="absences", verbose_name=_("person"))
    year = models.PositiveSmallIntegerField(_("year"))
    days = models.PositiveSmallIntegerField(_("working days away"))
    reason = models.CharField(_("reason"), max_length=10, choices=AbsenceReason.choices)

    history = audited()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")

    def __str__(self):
        return f"{self.person} {self.year}: {self.days}"


class HonourSource(models.TextChoices):
    DECISION = "decision", _("Decision issued in the portal")
    IMPORT = "import", _("Imported")
    MANUAL = "manual", _("Entered by hand")


class HonourQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(revoked_on__isnull=True)


class Honour(NomineeMixin):
    """A title or award a person or unit received (Luật 2022 Điều 93: it may be revoked)."""

    year = models.PositiveSmallIntegerField(_("year of the achievement"))
    title = models.ForeignKey(Title, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    award_form = models.ForeignKey(AwardForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    award_kind = models.CharField(_("kind of award"), max_length=12, choices=AwardKind.choices, default=AwardKind.MERIT)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    issuer_name = models.CharField(_("issued by"), max_length=300, blank=True)
    decision = models.ForeignKey(
        "awards.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="honours"
    )
    source = models.CharField(_("source"), max_length=10, choices=HonourSource.choices, default=HonourSource.MANUAL)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = audited()
    objects = HonourQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("title or award received")
        verbose_name_plural = _("titles and awards received")
        constraints = [
            models.CheckConstraint(condition=ONE_NOMINEE, name="honour_one_nominee"),
            models.CheckConstraint(condition=ONE_ENTRY, name="honour_one_entry"),
        ]
        indexes = [models.Index(fields=["person", "year"]), models.Index(fields=["organization", "year"])]

    def __str__(self):
        return f"{self.nominee} {self.year}: {self.entry}"

    @property
    def entry(self):
        return self.title or self.award_form
