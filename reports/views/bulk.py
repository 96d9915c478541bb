"""Excel bulk entry from a board: download the sheet of the subtree, upload it filled."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.exceptions import DomainError
from core.forms import UploadForm
from core.http import file_response
from core.xlsx import open_workbook
from organizations.access import Cap, can
from reports.models import period_label
from reports.services.bulk import save_bulk
from reports.spreadsheets import BulkExporter, BulkImport, bulk_units
from reports.views.base import BoardMixin
from reports.views.reports import find_round


class BulkMixin(BoardMixin):
    def require_enter(self):
        if not can(self.request.user, Cap.ENTER_REPORTS, self.unit):
            raise PermissionDenied

    @property
    def round(self):
        return find_round(self.campaign, self.kwargs["period"])


class ReportBulkExportView(BulkMixin, View):
    def get(self, request, *args, **kwargs):
        self.require_enter()
        return file_response(*BulkExporter(self.campaign, self.unit, self.round).render())


class ReportBulkImportView(BulkMixin, TemplateView):
    template_name = "reports/bulk_import.html"

    def get(self, request, *args, **kwargs):
        self.require_enter()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = self.round
        context.update(
            period=self.kwargs["period"],
            period_label=period_label(self.campaign, round_),
            upload_form=kwargs.get("upload_form") or UploadForm(),
            unit_count=len(bulk_units(self.campaign, self.unit)),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.require_enter()
        upload = UploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return self.render_to_response(self.get_context_data(upload_form=upload))
        try:
            workbook = open_workbook(upload.cleaned_data["file"])
        except DomainError as error:
            upload.add_error("file", error.message)
            return self.render_to_response(self.get_context_data(upload_form=upload))
        reader = BulkImport(self.campaign, self.unit, self.round)
        rows = reader.read(workbook)
        if not reader.issues:
            try:
                changed = save_bulk(self.campaign, self.unit, self.round, rows, actor=request.user)
            except DomainError as error:
                reader.issues.append((0, "", error.message))
        if reader.issues:
            upload.add_error(None, _("Nothing was imported. Correct the cells listed below and upload the file again."))
            return self.render_to_response(self.get_context_data(upload_form=upload, issues=reader.issues))
        messages.success(
            request,
            _("The figures of %(units)s units were imported (%(count)s values changed).")
            % {"units": len(rows), "count": changed},
        )
        return redirect("reports:report_board", self.campaign.pk, self.unit.pk, self.kwargs["period"])
