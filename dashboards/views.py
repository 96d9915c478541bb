"""Dashboard pages: the page, its print version, its Excel exports.

Access: the plan must be visible and published; the unit (``?unit=``) must be within the
user's reach and the plan owner's subtree, else 404. Every row and figure comes from the
subtree of that unit, so a URL parameter can never widen what is shown.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.models import Campaign
from campaigns.models import Status as CampaignStatus
from campaigns.views.base import CampaignMixin
from core.http import file_response
from core.xlsx import XLSX_CONTENT_TYPE
from dashboards import board as boards
from dashboards import charts, exports
from dashboards.forms import FilterForm
from dashboards.models import Export, ExportStatus
from organizations.access import Cap, can
from organizations.models import Cluster, Membership, Organization
from reports.services import deadlines

PAGE_SIZE = 50
SORTS = {
    "name": lambda r: r.unit.name,
    "score": lambda r: (-(r.score if r.score is not None else -1), r.unit.name),
    "met": lambda r: (-(r.met_share if r.met_share is not None else -1), r.unit.name),
    "missing": lambda r: (-r.reports.missing, r.unit.name),
}


class DashboardIndexView(LoginRequiredMixin, TemplateView):
    """The published plans the user can follow."""

    template_name = "dashboards/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = (
            Campaign.objects.visible_to(self.request.user)
            .filter(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.CLOSED])
            .select_related("owner", "parent")
            .order_by("-year", "owner__name")
        )
        return context


class DashboardMixin(CampaignMixin):
    """Loads the plan, the unit and the filters; builds the dashboard."""

    def setup_dashboard(self):
        if self.campaign.status == CampaignStatus.DRAFT:
            raise Http404
        self.unit = self.load_unit(self.request.GET.get("unit"))
        self.form = FilterForm(
            self.request.GET, campaign=self.campaign, clusters=self.clusters(), today=timezone.localdate()
        )
        self.filters = self.form.filters()

    def load_unit(self, value):
        user = self.request.user
        owner = self.campaign.owner
        if not value:
            return self.default_unit()
        if not str(value).isdigit():
            raise Http404
        unit = Organization.objects.select_related("kind", "parent").filter(pk=value).first()
        if unit is None or not can(user, Cap.VIEW, unit):
            raise Http404
        if unit.pk != owner.pk and not boards.within(owner, [unit.pk]):
            raise Http404
        return unit

    def default_unit(self):
        """The plan's owner when the user sees it, else the user's own unit highest under it."""
        user = self.request.user
        owner = self.campaign.owner
        if can(user, Cap.VIEW, owner):
            return Organization.objects.select_related("kind", "parent").get(pk=owner.pk)
        mine = Membership.objects.filter(user=user).values_list("organization_id", flat=True)
        inside = boards.within(owner, mine)
        unit = (
            Organization.objects.select_related("kind", "parent")
            .filter(pk__in=inside)
            .order_by("kind__level", "name")
            .first()
        )
        if unit is None:
            raise Http404
        return unit

    def clusters(self):
        return Cluster.objects.filter(is_active=True, organizer__in=Organization.objects.reaching(self.unit)).order_by(
            "name"
        )

    def query(self, **changes):
        """The current query string (the unit always included, the page never), with changes;
        a change to None removes the parameter."""
        params = {k: v for k, v in self.request.GET.items() if v and k != "page"}
        params["unit"] = str(self.unit.pk)
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return urlencode(params)

    def drill_prefix(self):
        """The filters to carry to another unit's dashboard, ready for ``unit=`` to follow."""
        rest = self.query(unit=None, sort=None)
        return f"{rest}&" if rest else ""

    def breadcrumbs(self):
        chain = [a for a in Organization.objects.ancestors_of(self.unit)]
        owner_index = next((i for i, a in enumerate(chain) if a.pk == self.campaign.owner_id), None)
        chain = chain[owner_index:] if owner_index is not None else []
        return [a for a in chain if can(self.request.user, Cap.VIEW, a)]

    def dashboard_context(self):
        board = boards.build(self.campaign, self.unit, self.filters)
        return {
            "board": board,
            "unit": self.unit,
            "form": self.form,
            "filters": self.filters,
            "trail": self.breadcrumbs(),
            "chart": charts.progress_chart(board),
            "produced_at": timezone.localtime(),
            "rules": boards.RULES,
            "here_query": self.query(),
            "drill_prefix": self.drill_prefix(),
        }


class DashboardView(DashboardMixin, TemplateView):
    template_name = "dashboards/dashboard.html"

    def get(self, request, *args, **kwargs):
        self.setup_dashboard()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.dashboard_context())
        board = context["board"]
        sort = self.request.GET.get("sort") if self.request.GET.get("sort") in SORTS else "name"
        rows = sorted(board.rows, key=SORTS[sort])
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        item_key = f"report-{self.filters.period}" if self.filters.period else "report-year"
        context.update(
            page=page,
            sort=sort,
            query_without_sort=self.query(sort=None),
            can_remind=can(self.request.user, Cap.REVIEW_REPORTS, self.unit) and bool(board.missing),
            remind_item=deadlines.item_by_key(board.leaf_campaign, item_key),
            inline_rows=exports.INLINE_ROWS,
            sort_choices=[
                ("name", _("name")),
                ("score", _("score")),
                ("met", _("targets on track")),
                ("missing", _("not sent")),
            ],
            period_key=str(self.filters.period) if self.filters.period else "year",
        )
        return context


class DashboardPrintView(DashboardView):
    template_name = "dashboards/print.html"


class DashboardExportView(DashboardMixin, View):
    """The page as shown (``?scope=view``) or every grassroots union below (``?scope=units``)."""

    def get(self, request, *args, **kwargs):
        self.setup_dashboard()
        if request.GET.get("scope") == "units":
            return self.detail()
        board = boards.build(self.campaign, self.unit, self.filters)
        return file_response(*exports.ViewExporter(board).render())

    def detail(self):
        exporter = exports.DetailExporter(self.campaign, self.unit, self.filters)
        if exports.units_below(self.campaign, self.unit, self.filters) <= exports.INLINE_ROWS:
            return file_response(*exporter.render())
        params = {
            "period": self.filters.period,
            "sector": self.filters.sector,
            "kind": self.filters.kind,
            "cluster": self.filters.cluster.pk if self.filters.cluster else None,
            "group": self.filters.group,
            "language": get_language(),
        }
        export = exports.start_export(self.request.user, self.campaign, self.unit, params)
        return redirect("dashboards:export_status", export.pk)


class ExportMixin(LoginRequiredMixin):
    """An export belongs to whoever asked for it."""

    def get_export(self):
        return get_object_or_404(Export, pk=self.kwargs["pk"], requested_by=self.request.user)


class ExportStatusView(ExportMixin, TemplateView):
    template_name = "dashboards/export_status.html"

    def get(self, request, *args, **kwargs):
        self.export = export = self.get_export()
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "status": export.status,
                    "percent": export.percent,
                    "rows_done": export.rows_done,
                    "rows_total": export.rows_total,
                    "download": reverse("dashboards:export_download", args=[export.pk])
                    if export.status == ExportStatus.DONE
                    else None,
                }
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export"] = self.export
        return context


class ExportDownloadView(ExportMixin, View):
    def get(self, request, *args, **kwargs):
        export = self.get_export()
        if export.status != ExportStatus.DONE or not export.file:
            raise Http404
        return FileResponse(
            export.file.open("rb"), as_attachment=True, filename=export.file_name, content_type=XLSX_CONTENT_TYPE
        )
