from django.urls import path

from initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", views.InitiativeListView.as_view(), name="initiative_list"),
    path("initiatives/new/", views.InitiativeCreateView.as_view(), name="initiative_create"),
    path("initiatives/<int:pk>/", views.InitiativeUpdateView.as_view(), name="initiative_update"),
    path("initiatives/<int:pk>/delete/", views.InitiativeDeleteView.as_view(), name="initiative_delete"),
]
