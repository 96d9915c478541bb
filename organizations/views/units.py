"""Pages of the unit tree: browse and search, detail, edit, move, merge, end, Excel."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import UploadForm, add_domain_error
from core.http import file_response
from core.mixins import ConflictMixin
from core.xlsx import open_workbook
from organizations import services
from organizations.access import AccessMixin, Cap, can, reach
from organizations.filters import OrganizationFilterSet
from organizations.forms import (
    EffectiveDateForm,
    OrganizationForm,
    OrganizationMergeForm,
    OrganizationMoveForm,
)
from organizations.models import Cluster, Membership, Organization
from organizations.spreadsheets import UnitExporter, UnitImport, UnitTemplateExporter

PAGE_SIZE = 25


def visible_clusters(user):
    visible = Organization.objects.visible_to(user)
    return Cluster.objects.filter(Q(organizer__in=visible) | Q(members__organization__in=visible)).distinct()


def tree_roots(user):
    """The highest units the user sees: their membership units not inside another one."""
    if user.is_superuser:
        return Organization.objects.filter(parent__isnull=True)
    mine = list(Organization.objects.filter(memberships__user=user).values_list("pk", flat=True).distinct())
    covered = Organization.objects.subtree(mine, include_self=False, include_predecessors=True)
    return Organization.objects.filter(pk__in=mine).exclude(pk__in=covered.values("pk"))


def with_child_counts(queryset):
    return queryset.select_related("kind").annotate(
        child_count=Count("children"),
        active_child_count=Count("children", filter=Q(children__is_active=True)),
    )


class OrganizationListView(LoginRequiredMixin, TemplateView):
    """The unit tree, or a flat result list when a search or filter is used."""

    template_name = "organizations/organization_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = OrganizationFilterSet(
            self.request.GET or None,
            queryset=Organization.objects.visible_to(user),
            clusters=visible_clusters(user),
        )
        context["filter"] = filterset
        if filterset.is_filtering and filterset.is_valid():
            results = filterset.qs.select_related("kind", "parent").order_by("kind__level", "name")
            page = Paginator(results, PAGE_SIZE).get_page(self.request.GET.get("page"))
            context.update(page_obj=page, results=page.object_list, searching=True)
        else:
            roots = list(with_child_counts(tree_roots(user)).order_by("kind__level", "name"))
            context["roots"] = [
                {
                    "unit": root,
                    "children": with_child_counts(root.children.all()).order_by("-is_active", "kind__level", "name"),
                    "predecessors": with_child_counts(root.predecessors.all()).order_by("name"),
                }
                for root in roots
            ]
        return context


class OrganizationChildrenView(AccessMixin, DetailView):
    """The children of one unit, as a fragment of the tree (loaded by htmx)."""

    model = Organization

    def get(self, request, *args, **kwargs):
        org = self.get_object()
        if not request.htmx:
            return redirect(org)
        children = with_child_counts(org.children.all()).order_by("-is_active", "kind__level", "name")
        html = render_to_string(
            "organizations/organization_list.html#tree_children",
            {"children": children, "parent": org},
            request=request,
        )
        return HttpResponse(html)


def unit_audit(org, limit):
    entries = history_entries(org.history.all(), limit=limit)
    entries += history_entries(Membership.history.filter(organization_id=org.pk), limit=limit)
    return sorted(entries, key=lambda e: e["date"], reverse=True)[:limit]


class OrganizationDetailView(AccessMixin, DetailView):
    model = Organization
    capability = Cap.VIEW
    queryset = Organization.objects.select_related("kind", "parent", "successor")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.object
        user = self.request.user
        # Ended units keep their ended subunits: show those by default.
        show = self.request.GET.get("show", "active" if org.is_active else "all")
        children = with_child_counts(org.children.all()).order_by("-is_active", "kind__level", "name")
        if show == "active":
            children = children.filter(is_active=True)
        context.update(
            ancestors=org.ancestors(),
            children_page=Paginator(children, 50).get_page(self.request.GET.get("page")),
            show=show,
            totals=Organization.objects.totals_below(org),
            memberships=org.memberships.select_related("user").order_by("role", "user__full_name"),
            events=org.events.select_related("related", "previous_parent", "actor")[:30],
            predecessors=org.predecessors.select_related("kind").order_by("name"),
            cluster_memberships=org.cluster_memberships.select_related("cluster").order_by("-year")[:10],
            organized_clusters=org.organized_clusters.order_by("name"),
            can_manage=can(user, Cap.MANAGE_UNITS, org),
            can_manage_users=can(user, Cap.MANAGE_USERS, org),
            can_manage_clusters=can(user, Cap.MANAGE_CLUSTERS, org),
            can_view_audit=can(user, Cap.VIEW_AUDIT, org),
        )
        if context["can_view_audit"]:
            context["audit"] = unit_audit(org, limit=10)
        return context


class OrganizationHistoryView(AccessMixin, DetailView):
    model = Organization
    capability = Cap.VIEW_AUDIT
    template_name = "organizations/organization_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["audit"] = unit_audit(self.object, limit=200)
        return context


class ParentMixin(AccessMixin):
    """Views acting on a unit given by ``pk`` in the URL."""

    def get_object(self, queryset=None):
        if not hasattr(self, "_access_object"):
            self._access_object = get_object_or_404(
                Organization.objects.select_related("kind", "parent"), pk=self.kwargs["pk"]
            )
        return self._access_object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organization"] = self.get_object()
        return context


class OrganizationCreateView(ParentMixin, FormView):
    capability = Cap.MANAGE_UNITS
    form_class = OrganizationForm
    template_name = "organizations/organization_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "parent": self.get_object()}

    def form_valid(self, form):
        try:
            org = services.create_organization(
                actor=self.request.user, parent=self.get_object(), data=form.domain_data()
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Unit “%(unit)s” was created.") % {"unit": org.name})
        return redirect(org)


class OrganizationUpdateView(ConflictMixin, ParentMixin, FormView):
    capability = Cap.MANAGE_UNITS
    form_class = OrganizationForm
    template_name = "organizations/organization_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def form_valid(self, form):
        org = self.get_object()
        try:
            services.update_organization(
                org,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, org)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect(org)


class UnitActionView(ParentMixin, FormView):
    """Base for the dated life events of a unit: move, merge, end, reactivate."""

    capability = Cap.MANAGE_UNITS
    template_name = "organizations/organization_action.html"
    title = ""
    submit_label = ""
    success_message = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, submit_label=self.submit_label, **kwargs)

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_object())

    def targets(self, *, same_level=False):
        org = self.get_object()
        qs = reach(self.request.user, Cap.MANAGE_UNITS).filter(is_active=True)
        qs = qs.exclude(pk__in=Organization.objects.subtree(org).values("pk"))
        if same_level:
            qs = qs.filter(kind__level=org.kind.level)
        return qs


class OrganizationMoveView(UnitActionView):
    form_class = OrganizationMoveForm

    title = gettext_lazy("Move unit")
    submit_label = gettext_lazy("Move")
    success_message = gettext_lazy("The unit was moved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "targets": self.targets()}

    def act(self, data):
        services.move_organization(
            self.get_object(),
            actor=self.request.user,
            new_parent=data["new_parent"],
            effective_on=data["effective_on"],
            note=data["note"],
        )


class OrganizationMergeView(UnitActionView):
    form_class = OrganizationMergeForm
    title = gettext_lazy("Merge unit into another")
    submit_label = gettext_lazy("Merge")
    success_message = gettext_lazy("The unit was merged.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "targets": self.targets(same_level=True)}

    def act(self, data):
        services.merge_organization(
            self.get_object(),
            actor=self.request.user,
            into=data["into"],
            effective_on=data["effective_on"],
            note=data["note"],
            move_children=data["move_children"],
        )


class OrganizationDeactivateView(UnitActionView):
    form_class = EffectiveDateForm
    title = gettext_lazy("End (dissolve) unit")
    submit_label = gettext_lazy("End unit")
    success_message = gettext_lazy("The unit was ended.")

    def act(self, data):
        services.deactivate_organization(
            self.get_object(),
            actor=self.request.user,
            effective_on=data["effective_on"],
            note=data["note"],
        )


class OrganizationReactivateView(UnitActionView):
    form_class = EffectiveDateForm
    title = gettext_lazy("Reactivate unit")
    submit_label = gettext_lazy("Reactivate")
    success_message = gettext_lazy("The unit is active again.")

    def act(self, data):
        services.reactivate_organization(
            self.get_object(),
            actor=self.request.user,
            effective_on=data["effective_on"],
            note=data["note"],
        )


class OrganizationExportView(ParentMixin, View):
    capability = Cap.VIEW

    def get(self, request, *args, **kwargs):
        exporter = UnitExporter(self.get_object(), include_ended=request.GET.get("ended") != "0")
        return file_response(*exporter.render())


class OrganizationImportTemplateView(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        return file_response(*UnitTemplateExporter().render())


class OrganizationImportView(ParentMixin, FormView):
    """Import units below this unit from an xlsx file: all rows or none."""

    capability = Cap.MANAGE_UNITS
    form_class = UploadForm
    template_name = "organizations/organization_import.html"

    def form_valid(self, form):
        org = self.get_object()
        try:
            workbook = open_workbook(form.cleaned_data["file"])
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        result = UnitImport(actor=self.request.user, scope=org).run(workbook)
        if not result.ok:
            form.add_error(None, _("Nothing was imported. Correct the rows below and upload the file again."))
            return self.render_to_response(self.get_context_data(form=form, issues=result.issues))
        messages.success(
            self.request,
            _("Import finished: %(created)s units created, %(updated)s updated.")
            % {"created": len(result.created), "updated": len(result.updated)},
        )
        return redirect(org)


class OrganizationLookupView(LoginRequiredMixin, View):
    """Suggestions for unit-code inputs: ``<option>`` elements for a datalist."""

    def get(self, request, *args, **kwargs):
        user = request.user
        scope = request.GET.get("scope", "visible")
        if scope == "manage":
            qs = reach(user, Cap.MANAGE_UNITS)
        elif scope == "users":
            qs = reach(user, Cap.MANAGE_USERS)
        else:
            qs = Organization.objects.visible_to(user)
        filterset = OrganizationFilterSet({"q": request.GET.get("q", "")[:100], "active": "1"}, queryset=qs)
        units = filterset.qs.select_related("kind").order_by("kind__level", "name")[:20] if filterset.is_valid() else []
        html = render_to_string("organizations/_lookup_options.html", {"units": units})
        return HttpResponse(html)
