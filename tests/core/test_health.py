"""The health endpoint: the database and the task worker, for monitoring."""

import datetime

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import health

pytestmark = pytest.mark.django_db


def waiting_task(seconds_ago):
    return DBTaskResult.objects.create(
        task_path="dashboards.tasks.rebuild_progress",
        args_kwargs={"args": [[1]], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )


def test_healthy_without_login_and_not_cached(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "tasks": "ok", "oldest_task_wait_seconds": 0}
    assert response["Cache-Control"] == "no-store"


def test_a_task_waiting_longer_than_allowed_means_the_worker_is_down(client, settings):
    settings.PORTAL_HEALTH_MAX_TASK_WAIT = 300
    waiting_task(60)
    body = client.get("/health/").json()
    assert (body["tasks"], 55 <= body["oldest_task_wait_seconds"] <= 65) == ("ok", True)
    waiting_task(900)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert response.json()["tasks"] == "stalled"


def test_an_unreachable_database_answers_503(client, monkeypatch):
    def broken():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": "unreachable"}
