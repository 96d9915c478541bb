"""What a plan's page shows a user about registrations and reports: their units' own
submissions, and the boards of the units whose submissions they review."""

from dataclasses import dataclass, field

from campaigns.models import Status as CampaignStatus
from reports import scope
from reports.models import Registration, Report, period_label


@dataclass
class UnitWork:
    unit: object
    registration: object
    reports: list = field(default_factory=list)  # (period key, label, report or None)


def for_user(user, campaign):
    if campaign.status == CampaignStatus.DRAFT:
        return [], []
    rounds = list(campaign.rounds.all())
    own = []
    for unit in scope.entering_units(user, campaign):
        reports = {r.round_id: r for r in Report.objects.filter(campaign=campaign, organization=unit)}
        periods = [(str(r.number), period_label(campaign, r), reports.get(r.pk)) for r in rounds]
        periods.append(("year", period_label(campaign, None), reports.get(None)))
        registration = Registration.objects.filter(campaign=campaign, organization=unit).first()
        own.append(UnitWork(unit, registration, periods))
    return own, scope.reviewing_units(user, campaign)
