"""The awards landing page and the catalogue: titles and award forms, criteria, quotas, base salaries.

Everyone signed in reads the catalogue; staff of a top-level unit change it. A quota is
read and set by the issuing unit's people.
"""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from awards.forms.catalogue import (
    ENTRY_FORMS,
    BaseSalaryForm,
    CatalogueFilterForm,
    CriterionEndForm,
    CriterionForm,
    QuotaFilterForm,
    QuotaForm,
)
from awards.models import AwardForm, BaseSalary, Criterion, Quota, Rule, Title
from awards.services import catalogue as services
from awards.services.history import can_enter
from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.mixins import ConflictMixin
from organizations.access import Cap, check, reach, units_with
from organizations.models import Organization

# Pages of the other awards areas, linked from the landing page once they exist.
AREA_LINKS = [
    ("awards:nomination_list", gettext_lazy("Nominations"), gettext_lazy("Propose people and units, send them up.")),
    ("awards:council_list", gettext_lazy("Councils"), gettext_lazy("Emulation and awards councils, meetings, votes.")),
    ("awards:disclosure_list", gettext_lazy("Public disclosure"), gettext_lazy("Proposed lists open for objections.")),
    ("awards:decision_list", gettext_lazy("Decisions"), gettext_lazy("Award decisions and certificates.")),
    ("awards:covenant_list", gettext_lazy("Covenants"), gettext_lazy("Cluster covenants, scoring and acclaim.")),
]


def _existing_links():
    links = []
    for name, label, text in AREA_LINKS:
        try:
            links.append((reverse(name), label, text))
        except NoReverseMatch:
            continue  # that area is not built yet
    return links


class AwardsIndexView(LoginRequiredMixin, TemplateView):
    """Where the awards work starts: the catalogue, the user's units' people, the other areas."""

    template_name = "awards/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        units = units_with(user, Cap.VIEW).select_related("kind").order_by("kind__level", "name")
        return super().get_context_data(
            units=[(unit, can_enter(user, unit)) for unit in units[:50]],
            can_import=reach(user, Cap.NOMINATE).exists(),
            area_links=_existing_links(),
            **kwargs,
        )


# Catalogue -------------------------------------------------------------------


def valid_on(request):
    """The day asked for with ``?on=``, or None; an unreadable date is treated as none."""
    form = CatalogueFilterForm(request.GET or None)
    return form, (form.cleaned_data["on"] if form.is_bound and form.is_valid() else None)


class CatalogueListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/catalogue_list.html"

    def get_context_data(self, **kwargs):
        form, day = valid_on(self.request)
        titles, forms = Title.objects.all(), AwardForm.objects.all()
        if day:
            titles, forms = titles.valid_on(day), forms.valid_on(day)
        reference = day or timezone.localdate()
        return super().get_context_data(
            filter_form=form,
            on=day,
            titles=[(entry, entry.is_valid_on(reference)) for entry in titles],
            award_forms=[(entry, entry.is_valid_on(reference)) for entry in forms],
            can_manage=services.can_manage_catalogue(self.request.user),
            **kwargs,
        )


class EntryMixin(LoginRequiredMixin):
    """Loads the title or award form named by ``kind`` and ``pk``."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            model = services.entry_model(kwargs["kind"])
            if model is None:
                raise Http404
            self.kind = kwargs["kind"]
            self.entry = get_object_or_404(model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def entry_url(self):
        return reverse("awards:entry_detail", kwargs={"kind": self.kind, "pk": self.entry.pk})


class PostOnlyMixin:
    """Refuse other methods (405) before any access check, as every state change does."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return super().dispatch(request, *args, **kwargs)


class CatalogueManagerMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.can_manage_catalogue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _is_valid(criterion, day):
    return (criterion.valid_from is None or criterion.valid_from <= day) and (
        criterion.valid_until is None or criterion.valid_until >= day
    )


def _criteria_rows(criteria, day):
    """Each criterion with its parameters in words and whether it applies (on ``day`` or today)."""
    titles = dict(Title.objects.values_list("code", "name"))
    reference = day or timezone.localdate()
    return [
        {
            "criterion": c,
            "params": services.describe_params(c.rule, c.params, titles),
            "is_valid": _is_valid(c, reference),
        }
        for c in criteria
    ]


class EntryDetailView(EntryMixin, TemplateView):
    template_name = "awards/entry_detail.html"

    def get_context_data(self, **kwargs):
        form, day = valid_on(self.request)
        criteria = self.entry.criteria.all()
        if day:
            criteria = criteria.valid_on(day)
        can_manage = services.can_manage_catalogue(self.request.user)
        return super().get_context_data(
            entry=self.entry,
            filter_form=form,
            on=day,
            rows=_criteria_rows(criteria, day),
            can_manage=can_manage,
            end_form=CriterionEndForm(initial={"valid_until": timezone.localdate()}),
            audit=self._audit() if can_manage else None,
            **kwargs,
        )

    def _audit(self):
        owner = "title_id" if self.kind == "title" else "award_form_id"
        entries = history_entries(self.entry.history.all()) + history_entries(
            Criterion.history.filter(**{owner: self.entry.pk})
        )
        return sorted(entries, key=lambda e: e["date"], reverse=True)[:50]


class EntryUpdateView(ConflictMixin, CatalogueManagerMixin, EntryMixin, FormView):
    template_name = "awards/entry_form.html"

    def get_form_class(self):
        return ENTRY_FORMS[self.kind]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.entry}

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, kind=self.kind, **kwargs)

    def form_valid(self, form):
        try:
            services.update_entry(
                self.entry,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, self.entry)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(entry)s” was saved.") % {"entry": form.cleaned_data["name"]})
        return redirect(self.entry_url())


def rule_guide():
    """Each rule with an example of its parameters, shown beside the criterion form."""
    return [
        (Rule(rule).label, rule, json.dumps(example, ensure_ascii=False)) for rule, example in services.EXAMPLES.items()
    ]


class CriterionCreateView(CatalogueManagerMixin, EntryMixin, FormView):
    template_name = "awards/criterion_form.html"
    form_class = CriterionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, kind=self.kind, rules=rule_guide(), **kwargs)

    def form_valid(self, form):
        try:
            services.create_criterion(self.entry, actor=self.request.user, data=form.domain_data())
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The criterion was added."))
        return redirect(self.entry_url())


class CriterionMixin(CatalogueManagerMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.criterion = get_object_or_404(Criterion.objects.select_related("title", "award_form"), pk=kwargs["pk"])
            self.entry = self.criterion.entry
            self.kind = services.entry_kind(self.entry)
        return super().dispatch(request, *args, **kwargs)

    def entry_url(self):
        return reverse("awards:entry_detail", kwargs={"kind": self.kind, "pk": self.entry.pk})


class CriterionUpdateView(ConflictMixin, CriterionMixin, FormView):
    template_name = "awards/criterion_form.html"
    form_class = CriterionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.criterion}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            entry=self.entry, kind=self.kind, criterion=self.criterion, rules=rule_guide(), **kwargs
        )

    def form_valid(self, form):
        try:
            services.update_criterion(
                self.criterion,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, self.criterion)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The criterion was saved."))
        return redirect(self.entry_url())


class CriterionEndView(PostOnlyMixin, CriterionMixin, View):
    """End a criterion's validity; it stays listed for the years it applied to."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = CriterionEndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the last day the criterion applies."))
            return redirect(self.entry_url())
        try:
            services.end_criterion(self.criterion, actor=request.user, on=form.cleaned_data["valid_until"])
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.entry_url())
        messages.success(
            request,
            _("The criterion “%(criterion)s” applies until %(date)s.")
            % {"criterion": self.criterion.description, "date": form.cleaned_data["valid_until"].strftime("%d/%m/%Y")},
        )
        return redirect(self.entry_url())


# Quotas ----------------------------------------------------------------------


class QuotaListView(LoginRequiredMixin, TemplateView):
    """Quotas of the units the user sees; each unit's managers may change theirs."""

    template_name = "awards/quota_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = QuotaFilterForm(self.request.GET or None)
        quotas = Quota.objects.filter(organization__in=Organization.objects.visible_to(user)).select_related(
            "organization", "title", "award_form"
        )
        if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
            quotas = quotas.filter(year=form.cleaned_data["year"])
        managed = set(reach(user, Cap.MANAGE_AWARDS).values_list("pk", flat=True))
        return super().get_context_data(
            filter_form=form,
            rows=[(quota, quota.organization_id in managed) for quota in quotas[:500]],
            units=units_with(user, Cap.MANAGE_AWARDS).order_by("name"),
            **kwargs,
        )


class QuotaCreateView(LoginRequiredMixin, FormView):
    template_name = "awards/quota_form.html"
    form_class = QuotaForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.unit = get_object_or_404(Organization, pk=kwargs["pk"])
            check(request.user, Cap.MANAGE_AWARDS, self.unit)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)

    def form_valid(self, form):
        try:
            quota = services.create_quota(self.unit, actor=self.request.user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The quota “%(quota)s” was set.") % {"quota": quota})
        return redirect("awards:quota_list")


class QuotaMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.quota = get_object_or_404(Quota.objects.select_related("organization"), pk=kwargs["pk"])
            self.unit = self.quota.organization
            check(request.user, Cap.MANAGE_AWARDS, self.unit)
        return super().dispatch(request, *args, **kwargs)


class QuotaUpdateView(QuotaMixin, FormView):
    template_name = "awards/quota_form.html"
    form_class = QuotaForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.quota}

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, quota=self.quota, **kwargs)

    def form_valid(self, form):
        try:
            services.update_quota(self.quota, actor=self.request.user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The quota was saved."))
        return redirect("awards:quota_list")


class QuotaDeleteView(PostOnlyMixin, QuotaMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.delete_quota(self.quota, actor=request.user)
        messages.success(request, _("The quota “%(quota)s” was removed.") % {"quota": self.quota})
        return redirect("awards:quota_list")


# Base salaries -----------------------------------------------------------------


class BaseSalaryListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/base_salary_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            salaries=BaseSalary.objects.all(),
            current=BaseSalary.objects.on(timezone.localdate()),
            can_manage=services.can_manage_catalogue(self.request.user),
            **kwargs,
        )


class BaseSalaryCreateView(CatalogueManagerMixin, FormView):
    template_name = "awards/base_salary_form.html"
    form_class = BaseSalaryForm

    def form_valid(self, form):
        try:
            services.create_base_salary(actor=self.request.user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The base salary was added."))
        return redirect("awards:base_salary_list")
