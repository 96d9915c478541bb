from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.JournalView.as_view(), name="journal"),
    path("audit/users/<int:pk>/", views.UserJournalView.as_view(), name="user_journal"),
    path("audit/<str:label>/<int:pk>/", views.ObjectJournalView.as_view(), name="object_journal"),
]
