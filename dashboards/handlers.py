"""Keeping the dashboard totals in step with the submissions, the plans and the tree."""

from django.db.models import Q

from campaigns.models import Campaign
from campaigns.models import Status as CampaignStatus
from dashboards import progress
from dashboards.tasks import request_rebuild
from organizations.models import Organization
from reports.models import Registration, Report


def _counts(submission):
    if isinstance(submission, Report) and submission.is_aggregate:
        return False
    return submission.status in progress.COUNTED_STATES


def before_status_change(sender, submission, **kwargs):
    if _counts(submission):
        progress.apply(submission, -1)


def after_status_change(sender, submission, **kwargs):
    if _counts(submission):
        progress.apply(submission, +1)


def after_tree_change(sender, unit, previous_parent=None, **kwargs):
    """Totals of every plan above the unit (where it is and where it was), or holding its
    submissions, are recomputed."""
    above = list(Organization.objects.reaching(unit).values_list("pk", flat=True))
    if previous_parent is not None:
        above += list(Organization.objects.reaching(previous_parent).values_list("pk", flat=True))
    submitted = Q(pk__in=Report.objects.filter(organization=unit).values("campaign_id")) | Q(
        pk__in=Registration.objects.filter(organization=unit).values("campaign_id")
    )
    ids = list(
        Campaign.objects.filter(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.CLOSED])
        .filter(Q(owner__in=above) | submitted)
        .values_list("pk", flat=True)
    )
    if ids:
        request_rebuild(ids)


def after_publish(sender, campaign, **kwargs):
    # The plan it answers counts the units of this one no more.
    ids = [campaign.pk] + ([campaign.parent_id] if campaign.parent_id else [])
    request_rebuild(ids)
