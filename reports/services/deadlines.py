"""Deadlines of a campaign, who is missing them, the e-mail reminders and each user's to-do list."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from campaigns.models import Campaign
from campaigns.models import Status as CampaignStatus
from organizations.access import Cap, roles_granting
from organizations.models import Organization
from reports import scope
from reports.models import Registration, ReminderLog, Report, Status, period_label, report_due_date

DONE = (Status.SUBMITTED, Status.APPROVED)
# A campaign stops asking for work this long after its year ended.
STALE_AFTER_DAYS = 90


@dataclass
class Item:
    """Something units owe in a campaign: the registration, or a round's or the year's report."""

    key: str  # "registration", "report-1", "report-year"
    label: str
    due: datetime.date | None
    round: object = None

    @property
    def is_registration(self):
        return self.key == "registration"

    def url(self, campaign, unit):
        if self.is_registration:
            return reverse("reports:registration_detail", args=[campaign.pk, unit.pk])
        period = str(self.round.number) if self.round else "year"
        return reverse("reports:report_detail", args=[campaign.pk, unit.pk, period])


def items(campaign):
    """The registration and every report the plan asks for, in order."""
    deadline = campaign.deadlines.filter(kind="registration").order_by("due_date").first()
    found = [Item("registration", str(_("Registration (đăng ký thi đua)")), deadline.due_date if deadline else None)]
    for round_ in campaign.rounds.all():
        found.append(
            Item(
                f"report-{round_.number}",
                str(period_label(campaign, round_)),
                report_due_date(campaign, round_),
                round_,
            )
        )
    found.append(Item("report-year", str(period_label(campaign, None)), report_due_date(campaign, None)))
    return found


def item_by_key(campaign, key):
    return next((item for item in items(campaign) if item.key == key), None)


def done_unit_ids(campaign, item, units):
    """Units among ``units`` that sent the item (awaiting approval or approved)."""
    if item.is_registration:
        found = Registration.objects.filter(campaign=campaign, organization__in=units, status__in=DONE)
    else:
        found = Report.objects.filter(campaign=campaign, round=item.round, organization__in=units, status__in=DONE)
    return set(found.values_list("organization_id", flat=True))


def missing_units(campaign, item, units=None):
    units = list(scope.participants(campaign) if units is None else units)
    done = done_unit_ids(campaign, item, [u.pk for u in units])
    return [u for u in units if u.pk not in done]


def recipients(unit):
    """Who is reminded: the unit's own staff and officers with an e-mail, and the unit's address."""
    emails = set(
        User.objects.filter(
            is_active=True,
            memberships__organization=unit,
            memberships__role__in=roles_granting(Cap.ENTER_REPORTS),
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if unit.email:
        emails.add(unit.email)
    return sorted(emails)


def _message(campaign, unit, item, today, to):
    due = date_format(item.due, "SHORT_DATE_FORMAT") if item.due else "—"
    if item.due and item.due < today:
        when = _("was due on %(date)s, %(days)s days ago") % {"date": due, "days": (today - item.due).days}
    else:
        when = _("is due on %(date)s") % {"date": due}
    subject = _("[Thi đua] %(item)s %(when)s") % {"item": item.label, "when": when}
    body = _(
        "Dear %(unit)s,\n\n%(item)s of the plan “%(plan)s” %(when)s and the portal has not received it yet.\n\n"
        "Enter it here: %(url)s\n\nThis message is sent automatically by the emulation portal."
    ) % {
        "unit": unit.name,
        "item": item.label,
        "plan": campaign.subject,
        "when": when,
        "url": settings.PORTAL_URL + item.url(campaign, unit),
    }
    return subject, body, settings.DEFAULT_FROM_EMAIL, to


def send_reminders(campaign, item, units, *, today=None, actor=None):
    """E-mail each unit that still owes ``item``; a unit is reminded of an item once a day.
    Returns the units reminded now."""
    today = today or timezone.localdate()
    reminded, messages = [], []
    with translation.override("vi"):
        for unit in missing_units(campaign, item, units):
            to = recipients(unit)
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        campaign=campaign,
                        organization=unit,
                        item=item.key,
                        sent_on=today,
                        recipients=len(to),
                        sent_by=actor,
                    )
            except IntegrityError:
                continue  # already reminded today
            reminded.append(unit)
            if to:
                messages.append(_message(campaign, unit, item, today, to))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return reminded


def due_today(item, today):
    if item.due is None:
        return False
    before = (item.due - today).days
    return before in settings.REMINDER_DAYS_BEFORE or -before in settings.REMINDER_DAYS_AFTER


def send_due_reminders(today=None):
    """The daily run: for every published campaign, remind the units that owe an item due
    a configured number of days ahead or behind. Returns (campaign, item, units reminded)."""
    today = today or timezone.localdate()
    sent = []
    for campaign in Campaign.objects.filter(status=CampaignStatus.PUBLISHED, year__gte=today.year - 1):
        for item in items(campaign):
            if due_today(item, today):
                reminded = send_reminders(campaign, item, scope.participants(campaign), today=today)
                sent.append((campaign, item, reminded))
    return sent


@dataclass
class Todo:
    campaign: Campaign
    unit: Organization
    label: str
    due: datetime.date | None
    status: str
    url: str
    overdue: bool
    count: int = 0


def todo_for(user, today=None):
    """What the user's units owe, and what waits for the user's approval, by due date."""
    today = today or timezone.localdate()
    todos = []
    # Plans of past years stay published as records; only this year's and last year's ask for work.
    campaigns = (
        Campaign.objects.visible_to(user)
        .filter(status=CampaignStatus.PUBLISHED, year__gte=today.year - 1)
        .select_related("owner")
    )
    for campaign in campaigns:
        if campaign.period_end + datetime.timedelta(days=STALE_AFTER_DAYS) < today:
            continue
        for unit in scope.entering_units(user, campaign):
            todos += _owed(campaign, unit, today)
        for unit in scope.reviewing_units(user, campaign):
            todos += _awaiting(campaign, unit, today)
    return sorted(todos, key=lambda t: (t.due or datetime.date.max, t.label))


def _owed(campaign, unit, today):
    found = []
    registrations = {r.organization_id: r for r in Registration.objects.filter(campaign=campaign, organization=unit)}
    reports = {r.round_id: r for r in Report.objects.filter(campaign=campaign, organization=unit)}
    for item in items(campaign):
        if item.is_registration:
            current = registrations.get(unit.pk)
        else:
            if item.round is not None and item.round.effective_start() > today:
                continue  # a round that has not started asks for nothing yet
            if item.round is None and today < campaign.period_end - datetime.timedelta(days=45):
                continue  # the year-end report comes up in the last weeks of the year
            current = reports.get(item.round.pk if item.round else None)
        status = current.status if current else Status.DRAFT
        if status in DONE:
            continue
        found.append(
            Todo(
                campaign,
                unit,
                item.label,
                item.due,
                status,
                item.url(campaign, unit),
                bool(item.due and item.due < today),
            )
        )
    return found


def _awaiting(campaign, unit, today):
    """What the units below ``unit`` sent and wait for the user's review, per item."""
    below = campaign.participants_below(unit)
    found = []
    registrations = Registration.objects.filter(campaign=campaign, organization__in=below, status=Status.SUBMITTED)
    if count := registrations.count():
        url = reverse("reports:registration_board", args=[campaign.pk, unit.pk]) + "?status=submitted"
        label = str(_("Registrations awaiting your approval"))
        found.append(Todo(campaign, unit, label, None, Status.SUBMITTED, url, False, count))
    waiting = (
        Report.objects.filter(campaign=campaign, organization__in=below, status=Status.SUBMITTED)
        .values_list("round_id")
        .annotate(count=Count("pk"))
    )
    rounds = {r.pk: r for r in campaign.rounds.all()}
    for round_id, count in waiting:
        round_ = rounds.get(round_id)
        period = str(round_.number) if round_ else "year"
        url = reverse("reports:report_board", args=[campaign.pk, unit.pk, period]) + "?status=submitted"
        label = _("%(report)s: awaiting your approval") % {"report": period_label(campaign, round_)}
        found.append(Todo(campaign, unit, str(label), None, Status.SUBMITTED, url, False, count))
    return found
