from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path(
        "campaigns/<int:pk>/allocation/<int:unit_pk>/",
        views.AllocationView.as_view(),
        name="allocation",
    ),
    path(
        "campaigns/<int:pk>/allocation/<int:unit_pk>/export.xlsx",
        views.AllocationExportView.as_view(),
        name="allocation_export",
    ),
    path(
        "campaigns/<int:pk>/allocation/<int:unit_pk>/import/",
        views.AllocationImportView.as_view(),
        name="allocation_import",
    ),
]
