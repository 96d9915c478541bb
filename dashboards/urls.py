from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("dashboards/", views.DashboardIndexView.as_view(), name="index"),
    path("campaigns/<int:pk>/dashboard/", views.DashboardView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/dashboard/print/", views.DashboardPrintView.as_view(), name="print"),
    path("campaigns/<int:pk>/dashboard/export.xlsx", views.DashboardExportView.as_view(), name="export"),
    path("exports/<int:pk>/", views.ExportStatusView.as_view(), name="export_status"),
    path("exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export_download"),
]
