"""The allocation table of one unit in one campaign, and its Excel round trip."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.views.base import CampaignMixin
from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import UploadForm
from core.http import file_response
from core.xlsx import open_workbook
from organizations.access import Cap, can
from organizations.models import Organization
from targets import services
from targets.forms import AllocationForm
from targets.models import Allocation
from targets.spreadsheets import AllocationExporter, AllocationImport


class AllocationMixin(CampaignMixin):
    """The allocating unit must be the plan's owner or a unit that received shares,
    and visible to the user; changing it needs the campaign right on that unit."""

    def get_unit(self):
        if not hasattr(self, "_unit"):
            unit = get_object_or_404(Organization.objects.select_related("kind"), pk=self.kwargs["unit_pk"])
            takes_part = (
                unit.pk == self.campaign.owner_id
                or Allocation.objects.filter(target__campaign=self.campaign, organization=unit).exists()
            )
            if not takes_part or not can(self.request.user, Cap.VIEW, unit):
                raise Http404
            self._unit = unit
        return self._unit

    def require_manage(self):
        if not can(self.request.user, Cap.MANAGE_CAMPAIGNS, self.get_unit()):
            raise PermissionDenied


class AllocationView(AllocationMixin, TemplateView):
    template_name = "targets/allocation.html"

    def build_form(self, data=None):
        campaign, unit = self.campaign, self.get_unit()
        targets = list(services.allocatable_targets(campaign))
        rows = list(services.allocation_rows(campaign, unit))
        form = AllocationForm(
            data,
            rows=rows,
            targets=targets,
            initial_values=services.current_values(targets, rows),
            initial={"sheet_version": services.sheet_version(campaign, unit)},
        )
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.get_unit()
        form = kwargs.get("form") or self.build_form()
        plan = services.unit_plan(self.campaign, unit, form.targets)
        totals = dict(
            Allocation.objects.filter(target__in=form.targets, allocated_by=unit)
            .values_list("target_id")
            .annotate(total=Sum("value"))
        )
        columns = []
        for target in form.targets:
            total = totals.get(target.pk)
            planned = plan.get(target.pk)
            columns.append(
                {
                    "target": target,
                    "plan": planned,
                    "total": total,
                    "remainder": planned - total if planned is not None and total is not None else planned,
                    "short": planned is not None and (total or 0) < planned,
                }
            )
        context.update(
            unit=unit,
            form=form,
            columns=columns,
            can_edit=can(self.request.user, Cap.MANAGE_CAMPAIGNS, unit) and self.campaign.status != "closed",
            upload_form=kwargs.get("upload_form") or UploadForm(),
            audit=history_entries(
                Allocation.history.filter(target__campaign=self.campaign, allocated_by=unit),
                limit=20,
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.require_manage()
        form = self.build_form(request.POST)
        if form.is_valid():
            try:
                changed = services.save_allocation(
                    self.campaign,
                    self.get_unit(),
                    actor=request.user,
                    values=form.values(),
                    expected_version=form.cleaned_data.get("sheet_version"),
                )
            except ConflictError as error:
                messages.error(request, error.message)
                return self.render_to_response(self.get_context_data(form=form, conflict=True))
            except DomainError as error:
                messages.error(request, error.message)
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(
                request,
                _("The allocation was saved (%(count)s values changed).") % {"count": changed},
            )
            return redirect(request.path)
        messages.error(request, _("Some values are not valid; they are marked in the table."))
        return self.render_to_response(self.get_context_data(form=form))


class AllocationExportView(AllocationMixin, View):
    def get(self, request, *args, **kwargs):
        return file_response(*AllocationExporter(self.campaign, self.get_unit()).render())


class AllocationImportView(AllocationView):
    """Upload the filled workbook: every cell is written, or none and each problem is listed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.require_manage()
        upload = UploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return self.render_to_response(self.get_context_data(upload_form=upload))
        try:
            workbook = open_workbook(upload.cleaned_data["file"])
        except DomainError as error:
            upload.add_error("file", error.message)
            return self.render_to_response(self.get_context_data(upload_form=upload))
        reader = AllocationImport(self.campaign, self.get_unit())
        values = reader.read(workbook)
        if not reader.issues:
            try:
                changed = services.save_allocation(
                    self.campaign,
                    self.get_unit(),
                    actor=request.user,
                    values=values,
                    expected_version=reader.version,
                )
            except ConflictError as error:
                who = error.current.updated_by.get_full_name() if error.current.updated_by else _("someone")
                reader.issues.append((0, "", stale_sheet_message(who)))
            except DomainError as error:
                reader.issues.append((0, "", error.message))
        if reader.issues:
            upload.add_error(
                None,
                _("Nothing was imported. Correct the cells listed below and upload the file again."),
            )
            return self.render_to_response(self.get_context_data(upload_form=upload, issues=reader.issues))
        messages.success(
            request,
            _("The allocation was imported (%(count)s values changed).") % {"count": changed},
        )
        return redirect("targets:allocation", pk=self.campaign.pk, unit_pk=self.get_unit().pk)


def stale_sheet_message(who):
    return _(
        "%(who)s saved this allocation after the file was downloaded. Download the sheet again, "
        "enter your figures in it and upload it."
    ) % {"who": who}
