"""The emulation and awards council (Hội đồng thi đua – khen thưởng), its meetings and ballots.

A meeting is valid with at least 2/3 of the members present. Each nominee is voted on by
secret ballot; the threshold counts every member of the council, present or not; there are
at most two ballot rounds.
"""

import math

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import audited
from awards.models.nominations import Nomination
from organizations.models import Organization

MAX_ROUNDS = 2


class CouncilQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            models.Q(organization__in=Organization.objects.visible_to(user).values("pk")) | models.Q(members__user=user)
        ).distinct()


class Council(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="award_councils", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = audited()
    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organization__name"]
        verbose_name = _("emulation and awards council")
        verbose_name_plural = _("emulation and awards councils")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="council_one_a_year")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("awards:council_detail", args=[self.pk])

    def quorum(self):
        """Members who must be present: at least two thirds of all members."""
        return math.ceil(self.members.count() * 2 / 3)


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=12, choices=CouncilRole.choices, default=CouncilRole.MEMBER)
    position = models.CharField(_("position"), max_length=200, blank=True)

    history = audited()

    class Meta:
        ordering = ["council", "role", "pk"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_unique"),
            models.UniqueConstraint(
                fields=["council"], condition=models.Q(role="secretary"), name="council_one_secretary"
            ),
        ]

    def __str__(self):
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.get_role_display()})"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed")


class Meeting(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    status = models.CharField(_("status"), max_length=8, choices=MeetingStatus.choices, default="planned")
    present = models.ManyToManyField(CouncilMember, blank=True, related_name="meetings_attended")
    ballot_round = models.PositiveSmallIntegerField(_("ballot round"), default=0)
    ballot_open = models.BooleanField(_("ballot open"), default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audited(m2m_fields=[present])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")

    def __str__(self):
        return f"{self.council} – {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("awards:meeting_detail", args=[self.pk])


class ItemResult(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")


class AgendaItem(models.Model):
    """A nominee before a meeting, with the tally of each ballot round."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="agenda_items")
    result = models.CharField(_("result"), max_length=12, choices=ItemResult.choices, default="pending")
    yes_round1 = models.PositiveSmallIntegerField(null=True, blank=True)
    no_round1 = models.PositiveSmallIntegerField(null=True, blank=True)
    yes_round2 = models.PositiveSmallIntegerField(null=True, blank=True)
    no_round2 = models.PositiveSmallIntegerField(null=True, blank=True)
    members_total = models.PositiveSmallIntegerField(_("council members"), default=0)
    votes_needed = models.PositiveSmallIntegerField(_("votes needed"), default=0)

    history = audited()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["meeting", "nomination"], name="agenda_item_unique")]

    def __str__(self):
        return str(self.nomination)

    def tally(self, ballot_round):
        return getattr(self, f"yes_round{ballot_round}"), getattr(self, f"no_round{ballot_round}")

    @property
    def last_yes(self):
        return self.yes_round2 if self.yes_round2 is not None else self.yes_round1

    def yes_share(self):
        """Share of all council members who voted yes in the last round held, as a percentage."""
        if not self.members_total or self.last_yes is None:
            return None
        return self.last_yes * 100 / self.members_total


class Ballot(models.Model):
    """One member's vote on one nominee in one round; only that member and the secretary see it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    round = models.PositiveSmallIntegerField(_("round"))
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="ballots")
    approve = models.BooleanField(_("agrees"))
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "round", "pk"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["item", "round", "member"], name="ballot_one_per_member")]

    def __str__(self):
        return f"{self.item} – {self.round}"
