"""The initiative register: list with filters and totals, entry, correction, removal."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.mixins import ConflictMixin
from initiatives import services
from initiatives.filters import InitiativeFilterSet
from initiatives.forms import InitiativeForm
from initiatives.models import Initiative
from organizations.access import Cap, can, check, reach
from organizations.models import Level, Organization


def filter_units(user):
    """Units offered in the filter: those the user sees down to the directly-superior level."""
    return Organization.objects.visible_to(user).filter(kind__level__lte=Level.UPPER).order_by("kind__level", "name")


class InitiativeListView(LoginRequiredMixin, TemplateView):
    template_name = "initiatives/initiative_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = InitiativeFilterSet(
            self.request.GET or None,
            queryset=Initiative.objects.visible_to(user).select_related("organization"),
            units=filter_units(user),
        )
        # An unbound filter (no query string) lists everything the user sees.
        results = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
        page = Paginator(results, 25).get_page(self.request.GET.get("page"))
        context.update(
            filter=filterset,
            page_obj=page,
            initiatives=page.object_list,
            totals=results.aggregate(count=Count("pk"), benefit=Sum("benefit")),
            can_add=reach(user, Cap.ENTER_REPORTS).exists(),
        )
        return context


class InitiativeCreateView(LoginRequiredMixin, FormView):
    template_name = "initiatives/initiative_form.html"
    form_class = InitiativeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not reach(request.user, Cap.ENTER_REPORTS).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": reach(self.request.user, Cap.ENTER_REPORTS)}

    def get_initial(self):
        own = Organization.objects.filter(
            memberships__user=self.request.user, pk__in=reach(self.request.user, Cap.ENTER_REPORTS).values("pk")
        ).first()
        return {"unit": own.code if own else ""}

    def form_valid(self, form):
        try:
            initiative = services.create_initiative(
                form.cleaned_data["unit"], actor=self.request.user, data=form.domain_data()
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The initiative “%(title)s” was added.") % {"title": initiative.title})
        return redirect("initiatives:initiative_list")


class InitiativeMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.initiative = get_object_or_404(Initiative.objects.select_related("organization"), pk=kwargs["pk"])
            check(request.user, Cap.VIEW, self.initiative.organization)
        return super().dispatch(request, *args, **kwargs)


class InitiativeUpdateView(ConflictMixin, InitiativeMixin, FormView):
    template_name = "initiatives/initiative_form.html"
    form_class = InitiativeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.initiative}

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            initiative=self.initiative,
            can_edit=can(user, Cap.ENTER_REPORTS, self.initiative.organization),
            audit=history_entries(self.initiative.history.all())
            if can(user, Cap.VIEW_AUDIT, self.initiative.organization)
            else None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not can(request.user, Cap.ENTER_REPORTS, self.initiative.organization):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.update_initiative(
                self.initiative,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, self.initiative)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect("initiatives:initiative_list")


class InitiativeDeleteView(InitiativeMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not can(request.user, Cap.ENTER_REPORTS, self.initiative.organization):
            raise PermissionDenied
        services.delete_initiative(self.initiative, actor=request.user)
        messages.success(request, _("The initiative “%(title)s” was removed.") % {"title": self.initiative.title})
        return redirect("initiatives:initiative_list")
