"""Changes of the unit tree queue one rebuild of the plans' totals, not one per unit."""

import pytest
from django_tasks_db.models import DBTaskResult

from dashboards.tasks import request_rebuild
from organizations.signals import tree_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def waiting():
    return list(DBTaskResult.objects.ready().values_list("args_kwargs", flat=True))


def test_a_hundred_units_added_to_a_plan_queue_one_rebuild(queued_tasks, tree, published_plan):
    for _ in range(100):
        tree_changed.send(sender=None, unit=tree.grassroots)
    assert waiting() == [{"args": [[published_plan.pk]], "kwargs": {}}]


def test_a_rebuild_already_running_does_not_count_as_waiting(queued_tasks, published_plan):
    request_rebuild([published_plan.pk])
    DBTaskResult.objects.update(status="RUNNING")
    request_rebuild([published_plan.pk, published_plan.pk])
    assert len(waiting()) == 1
    request_rebuild([published_plan.pk + 1, published_plan.pk])
    assert len(waiting()) == 2
