"""Background work: recomputing totals after the tree changes, writing large exports."""

from django.tasks import task, task_backends

from campaigns.models import Campaign
from dashboards import progress


@task
def rebuild_progress(campaign_ids):
    """Recompute the dashboard totals of these campaigns from their submissions."""
    return progress.rebuild_all(Campaign.objects.filter(pk__in=campaign_ids))


def request_rebuild(campaign_ids):
    """Queue a rebuild of these plans' totals, unless the same one is already waiting.

    A waiting rebuild has not read anything yet, so it will see this change too. Importing
    1.000 units fires 1.000 tree changes for the same plans; queued one by one they made a
    backlog of hours at national scale.
    """
    ids = sorted(set(campaign_ids))
    if not ids or _waiting(ids):
        return
    rebuild_progress.enqueue(ids)


def _waiting(ids):
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[rebuild_progress.backend], DatabaseBackend):
        return False
    return (
        DBTaskResult.objects.ready()
        .filter(task_path=rebuild_progress.module_path, args_kwargs={"args": [ids], "kwargs": {}})
        .exists()
    )


@task
def write_export(export_id):
    from dashboards.exports import run_export

    run_export(export_id)
