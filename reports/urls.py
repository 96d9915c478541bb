from django.urls import path

from reports import views

app_name = "reports"

U = "campaigns/<int:pk>/units/<int:unit_pk>/"
R = U + "reports/<slug:period>/"

urlpatterns = [
    path(U + "registration/", views.RegistrationView.as_view(), name="registration_detail"),
    path(U + "registration/approve/", views.RegistrationApproveView.as_view(), name="registration_approve"),
    path(U + "registration/return/", views.RegistrationReturnView.as_view(), name="registration_return"),
    path(U + "registration/reopen/", views.RegistrationReopenView.as_view(), name="registration_reopen"),
    path(U + "registrations/", views.RegistrationBoardView.as_view(), name="registration_board"),
    path(U + "remind/", views.RemindView.as_view(), name="remind"),
    path(U + "reports/", views.ReportBoardIndexView.as_view(), name="report_board_index"),
    path(R, views.ReportView.as_view(), name="report_detail"),
    path(R + "approve/", views.ReportApproveView.as_view(), name="report_approve"),
    path(R + "return/", views.ReportReturnView.as_view(), name="report_return"),
    path(R + "reopen/", views.ReportReopenView.as_view(), name="report_reopen"),
    path(R + "evidence/<int:evidence_pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path(R + "evidence/<int:evidence_pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path(R + "board/", views.ReportBoardView.as_view(), name="report_board"),
    path(R + "board/export.xlsx", views.ReportBulkExportView.as_view(), name="report_bulk_export"),
    path(R + "board/import/", views.ReportBulkImportView.as_view(), name="report_bulk_import"),
]
