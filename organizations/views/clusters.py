"""Pages of the emulation clusters (cụm, khối thi đua)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.mixins import ConflictMixin
from organizations import services
from organizations.access import Cap, can, check_cluster
from organizations.forms import ClusterCopyForm, ClusterForm, ClusterMemberForm
from organizations.models import Cluster, ClusterKind, ClusterMember, Organization
from organizations.views.units import ParentMixin, visible_clusters


class ClusterListView(LoginRequiredMixin, TemplateView):
    template_name = "organizations/cluster_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clusters = visible_clusters(self.request.user).select_related("organizer")
        kind = self.request.GET.get("kind")
        if kind in ClusterKind.values:
            clusters = clusters.filter(kind=kind)
        clusters = clusters.order_by("organizer__name", "name")
        page = Paginator(clusters, 25).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, clusters=page.object_list, kinds=ClusterKind.choices, kind=kind)
        return context


class ClusterMixin:
    capability = Cap.VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.cluster = get_object_or_404(Cluster.objects.select_related("organizer"), pk=kwargs["pk"])
        check_cluster(request.user, self.capability, self.cluster)
        return super().dispatch(request, *args, **kwargs)

    def year(self):
        try:
            return int(self.request.GET.get("year") or self.request.POST.get("year"))
        except (TypeError, ValueError):
            latest = self.cluster.members.order_by("-year").values_list("year", flat=True).first()
            return latest or timezone.localdate().year

    def detail_url(self, year):
        return f"{reverse('organizations:cluster_detail', args=[self.cluster.pk])}?year={year}"


def cluster_context(request, cluster, year, **forms):
    """Everything the cluster page shows; shared by the page and its form posts."""
    can_manage = can(request.user, Cap.MANAGE_CLUSTERS, cluster.organizer)
    years = set(cluster.members.values_list("year", flat=True)) | {year, timezone.localdate().year}
    candidates = Organization.objects.subtree(cluster.organizer, include_self=False).filter(
        is_active=True, kind__level=cluster.level
    )
    context = {
        "cluster": cluster,
        "year": year,
        "years": sorted(years, reverse=True),
        "members": cluster.members.filter(year=year).select_related("organization__kind"),
        "can_manage": can_manage,
        "can_view_audit": can(request.user, Cap.VIEW_AUDIT, cluster.organizer),
        # The yearly covenants (giao ước thi đua) live in the awards app.
        "covenants": cluster.covenants.order_by("-year"),
    }
    if can_manage:
        context["member_form"] = forms.get("member_form") or ClusterMemberForm(
            initial={"year": year, "role": "member"}, candidates=candidates
        )
        context["copy_form"] = forms.get("copy_form") or ClusterCopyForm(
            initial={"from_year": year - 1, "to_year": year}
        )
    if context["can_view_audit"]:
        history = history_entries(cluster.history.all(), limit=10) + history_entries(
            ClusterMember.history.filter(cluster_id=cluster.pk), limit=10
        )
        context["audit"] = sorted(history, key=lambda e: e["date"], reverse=True)[:10]
    return context


class ClusterDetailView(ClusterMixin, TemplateView):
    template_name = "organizations/cluster_detail.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **cluster_context(self.request, self.cluster, self.year()),
        }


class ClusterCreateView(ParentMixin, FormView):
    capability = Cap.MANAGE_CLUSTERS
    form_class = ClusterForm
    template_name = "organizations/cluster_form.html"

    def get_initial(self):
        return {"level": min(self.get_object().kind.level + 1, 4)}

    def form_valid(self, form):
        try:
            cluster = services.create_cluster(
                actor=self.request.user, organizer=self.get_object(), data=form.domain_data()
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cluster “%(name)s” was created.") % {"name": cluster.name})
        return redirect(cluster)


class ClusterUpdateView(ConflictMixin, ClusterMixin, FormView):
    capability = Cap.MANAGE_CLUSTERS
    form_class = ClusterForm
    template_name = "organizations/cluster_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cluster}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cluster=self.cluster, organization=self.cluster.organizer, **kwargs)

    def form_valid(self, form):
        try:
            services.update_cluster(
                self.cluster,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, self.cluster)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect(self.cluster)


class ClusterMemberSaveView(ClusterMixin, View):
    """Add a unit to the cluster for a year, or change its role."""

    capability = Cap.MANAGE_CLUSTERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        candidates = Organization.objects.subtree(self.cluster.organizer, include_self=False)
        form = ClusterMemberForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                services.save_cluster_member(
                    self.cluster,
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                    year=form.cleaned_data["year"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as error:
                add_domain_error(form, error)
        if form.errors:
            year = form.cleaned_data.get("year") or self.year()
            context = cluster_context(request, self.cluster, year, member_form=form)
            return render(request, ClusterDetailView.template_name, context)
        messages.success(request, _("The cluster members were updated."))
        return redirect(self.detail_url(form.cleaned_data["year"]))


class ClusterMemberDeleteView(ClusterMixin, View):
    capability = Cap.MANAGE_CLUSTERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = get_object_or_404(self.cluster.members, pk=kwargs["member_pk"])
        services.remove_cluster_member(member, actor=request.user)
        messages.success(request, _("“%(unit)s” was removed from the cluster.") % {"unit": member.organization})
        return redirect(self.detail_url(member.year))


class ClusterCopyView(ClusterMixin, View):
    capability = Cap.MANAGE_CLUSTERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ClusterCopyForm(request.POST)
        if not form.is_valid():
            context = cluster_context(request, self.cluster, self.year(), copy_form=form)
            return render(request, ClusterDetailView.template_name, context)
        copied = services.copy_cluster_members(
            self.cluster,
            actor=request.user,
            from_year=form.cleaned_data["from_year"],
            to_year=form.cleaned_data["to_year"],
        )
        messages.success(request, _("%(count)s units were copied.") % {"count": copied})
        return redirect(self.detail_url(form.cleaned_data["to_year"]))
