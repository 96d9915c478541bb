"""Background work: recomputing totals after the tree changes, writing large exports."""

from django.tasks import task

from campaigns.models import Campaign
from dashboards import progress


@task
def rebuild_progress(campaign_ids):
    """Recompute the dashboard totals of these campaigns from their submissions."""
    return progress.rebuild_all(Campaign.objects.filter(pk__in=campaign_ids))


@task
def write_export(export_id):
    from dashboards.exports import run_export

    run_export(export_id)
