from django.urls import path

from core import views
from core.health import HealthView

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", HealthView.as_view(), name="health"),
]
