"""``/health/``: whether the database answers and the task worker keeps up, for monitoring.

It says nothing about the data and needs no login. 200 when both are fine; 503 otherwise,
so a load balancer or an uptime probe can act on the status code alone.
"""

import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views import View
from django_tasks_db.models import DBTaskResult


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def oldest_wait():
    """Seconds the oldest task due to run has waited (0 when none is waiting)."""
    now = timezone.now()
    oldest = DBTaskResult.objects.ready().order_by("run_after").values_list("run_after", flat=True).first()
    return max((now - oldest).total_seconds(), 0) if oldest else 0


class HealthView(View):
    http_method_names = ["get", "head"]

    def get(self, request):
        checks = {"database": "ok" if database_ok() else "unreachable"}
        if checks["database"] == "ok":
            waited = oldest_wait()
            limit = datetime.timedelta(seconds=settings.PORTAL_HEALTH_MAX_TASK_WAIT).total_seconds()
            checks["tasks"] = "ok" if waited <= limit else "stalled"
            checks["oldest_task_wait_seconds"] = round(waited)
        healthy = checks["database"] == "ok" and checks.get("tasks") == "ok"
        response = JsonResponse({"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response
