from django.urls import path  # noqa: F401

app_name = "awards"

# Each concept keeps its own block; names follow <model>_<action>.
urlpatterns = []

# --- catalogue, people and history
urlpatterns += []

# --- nominations and proposals
urlpatterns += []

# --- councils, meetings, ballots, minutes; disclosure and objections
urlpatterns += []

# --- decisions and certificates
urlpatterns += []

# --- cluster covenants, scoring and acclaim
urlpatterns += []
