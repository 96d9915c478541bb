from reports.views.boards import RegistrationBoardView, RemindView, ReportBoardIndexView, ReportBoardView
from reports.views.bulk import ReportBulkExportView, ReportBulkImportView
from reports.views.registrations import (
    RegistrationApproveView,
    RegistrationReopenView,
    RegistrationReturnView,
    RegistrationView,
)
from reports.views.reports import (
    EvidenceDeleteView,
    EvidenceDownloadView,
    ReportApproveView,
    ReportReopenView,
    ReportReturnView,
    ReportView,
)

__all__ = [
    "EvidenceDeleteView",
    "EvidenceDownloadView",
    "RegistrationApproveView",
    "RegistrationBoardView",
    "RegistrationReopenView",
    "RegistrationReturnView",
    "RegistrationView",
    "RemindView",
    "ReportApproveView",
    "ReportBoardIndexView",
    "ReportBoardView",
    "ReportBulkExportView",
    "ReportBulkImportView",
    "ReportReopenView",
    "ReportReturnView",
    "ReportView",
]
