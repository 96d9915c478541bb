"""What units send up during a campaign, and its approval by the unit above.

Two kinds of submission share one workflow (draft → submitted → approved, or returned):

- a ``Registration`` (đăng ký giao ước thi đua): pledged values per target, the titles the
  unit and its people aim for, and the works celebrating the occasion;
- a ``Report`` (báo cáo sơ kết đợt, tổng kết năm): achieved values per target with evidence.

Every step is an ``Event`` with who, when, a comment and a snapshot of the values, so a
reopened report shows what changed since it was approved.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from awards.models import Title
from campaigns.models import Campaign, Deadline, DeadlineKind, Round
from organizations.models import Organization, Person
from targets.models import Target


class Status(models.TextChoices):
    DRAFT = "draft", _("Not sent")
    SUBMITTED = "submitted", _("Awaiting approval")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


EDITABLE = {Status.DRAFT, Status.RETURNED}


class Submission(models.Model):
    """The fields and workflow state both kinds of submission share."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    late_days = models.PositiveIntegerField(_("days late"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("comment of the reviewer"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The key of the last form that changed this submission: the same form sent twice
    # (a double click, a reload) is recognised and not applied again.
    last_request = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self):
        return self.status in EDITABLE

    @property
    def is_locked(self):
        return self.status == Status.APPROVED


class Registration(Submission):
    collective_title = models.ForeignKey(
        Title,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("title the unit aims for"),
    )
    note = models.TextField(_("other commitments"), blank=True)

    history = audited(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="registration_unique"),
        ]

    def __str__(self):
        return f"{self.organization} – {self.campaign_id}"

    def due_date(self):
        deadline = (
            Deadline.objects.filter(campaign_id=self.campaign_id, kind=DeadlineKind.REGISTRATION)
            .order_by("due_date")
            .first()
        )
        return deadline.due_date if deadline else None


class Pledge(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="pledges")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("target"))
    value = models.DecimalField(_("pledged value"), max_digits=18, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason for pledging less than allocated"), blank=True)

    history = audited()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [models.UniqueConstraint(fields=["registration", "target"], name="pledge_unique")]

    def __str__(self):
        return f"{self.target.code}: {self.value}"


class TitleAim(models.Model):
    """A person of the unit and the title they aim for in this campaign."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="title_aims")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="title_aims", verbose_name=_("person"))
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="+", verbose_name=_("title"))
    position = models.PositiveIntegerField(_("order"), default=0)

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("title aimed for")
        verbose_name_plural = _("titles aimed for")
        constraints = [models.UniqueConstraint(fields=["registration", "person"], name="title_aim_unique")]

    def __str__(self):
        return f"{self.person} – {self.title}"


class Work(models.Model):
    """A work, product or task celebrating the occasion (công trình, sản phẩm, phần việc)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="works")
    position = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    expected_completion = models.DateField(_("expected completion"), null=True, blank=True)

    history = audited()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("work celebrating the occasion")
        verbose_name_plural = _("works celebrating the occasion")

    def __str__(self):
        return self.name


class Report(Submission):
    """A unit's report for one round (sơ kết) or, without a round, for the year (tổng kết)."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("round")
    )
    highlights = models.TextField(_("highlights"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # The report of a unit with units below: its figures are their sum, so dashboards, which
    # add up the grassroots reports themselves, leave it out.
    is_aggregate = models.BooleanField(default=False, editable=False)

    history = audited(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["campaign", "round", "status"], name="report_dashboard")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization", "round"],
                condition=Q(round__isnull=False),
                name="report_round_unique",
            ),
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                condition=Q(round__isnull=True),
                name="report_year_unique",
            ),
        ]

    def __str__(self):
        return f"{self.organization} – {self.period_label}"

    @property
    def period_key(self):
        return str(self.round.number) if self.round_id else "year"

    @property
    def period_label(self):
        return period_label(self.campaign, self.round)

    def due_date(self):
        return report_due_date(self.campaign, self.round)

    def period_bounds(self):
        return period_bounds(self.campaign, self.round)


def period_label(campaign, round_):
    if round_ is not None:
        return _("Round %(number)s report (sơ kết)") % {"number": round_.number}
    return _("Year-end report %(year)s (tổng kết)") % {"year": campaign.year}


def report_due_date(campaign, round_):
    """The round's sơ kết date, else a report deadline written in the plan, else the round's end."""
    if round_ is not None:
        if round_.report_due:
            return round_.report_due
        deadline = campaign.deadlines.filter(kind=DeadlineKind.REPORT, round=round_).order_by("due_date").first()
        return deadline.due_date if deadline else round_.end
    deadline = campaign.deadlines.filter(kind=DeadlineKind.REPORT, round__isnull=True).order_by("-due_date").first()
    return deadline.due_date if deadline else campaign.period_end


def period_bounds(campaign, round_):
    """The dates a period's figures cover: the round for per-round targets, the year so far otherwise."""
    if round_ is not None:
        return round_.effective_start(), round_.end
    return campaign.period_start, campaign.period_end


def year_to(campaign, round_):
    """From the start of the campaign year to the end of the period: cumulative targets."""
    end = round_.end if round_ is not None else campaign.period_end
    return datetime.date(campaign.year, 1, 1), end


class ReportValue(models.Model):
    """One target's figure in a report: a number, a numerator and denominator, or yes/no."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="report_values")
    value = models.DecimalField(_("achieved"), max_digits=18, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=18, decimal_places=2, null=True, blank=True)
    achieved = models.BooleanField(_("done"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    review_comment = models.TextField(_("comment of the reviewer"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_behalf = models.BooleanField(_("entered by the upper level"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="report_value_unique")]

    def __str__(self):
        return f"{self.target.code}: {self.value}"

    def is_empty(self):
        return self.value is None and self.numerator is None and self.denominator is None and self.achieved is None


def evidence_path(instance, filename):
    # Random names: the stored path says nothing and cannot be guessed from the report.
    return f"evidence/{instance.uploaded_at:%Y/%m}/{secrets.token_urlsafe(24)}"


class Evidence(models.Model):
    """A file proving one reported value: served only through the access check."""

    value = models.ForeignKey(ReportValue, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    history = audited()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("report evidence file")
        verbose_name_plural = _("report evidence files")

    def __str__(self):
        return self.original_name


class Action(models.TextChoices):
    SAVED = "saved", _("Saved")
    SUBMITTED = "submitted", _("Sent for approval")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Reopened")
    IMPORTED = "imported", _("Entered from Excel")


class Event(models.Model):
    """A step in the life of a registration or a report."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on_behalf = models.BooleanField(_("by the upper level"), default=False)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(registration__isnull=False, report__isnull=True)
                | Q(registration__isnull=True, report__isnull=False),
                name="event_belongs_to_one",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class ReminderLog(models.Model):
    """One reminder sent to one unit about one item on one day, so sending is idempotent."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=40)
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization", "item", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.item} {self.sent_on}"
