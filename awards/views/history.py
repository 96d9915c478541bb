"""People of a unit and the history of people and units: pages, entry by hand, Excel import.

Whoever sees a unit reads its people and history (404 outside the user's reach); whoever
may nominate for the unit enters them (403 otherwise).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from awards.forms.history import RECORD_FORMS, PersonForm
from awards.services import history as services
from awards.spreadsheets import HistoryImport, HistoryTemplateExporter, instructions
from core.audit import history_entries
from core.exceptions import DomainError
from core.forms import UploadForm, add_domain_error
from core.http import file_response
from core.text import fold
from core.xlsx import open_workbook
from organizations.access import Cap, can, check, reach
from organizations.models import Organization, Person


class UnitMixin(LoginRequiredMixin):
    """Loads the unit of the URL and checks ``capability`` on it."""

    capability = Cap.VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.unit = get_object_or_404(Organization.objects.select_related("kind"), pk=kwargs["pk"])
            check(request.user, self.capability, self.unit)
        return super().dispatch(request, *args, **kwargs)


class PersonMixin(LoginRequiredMixin):
    capability = Cap.VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = get_object_or_404(Person.objects.select_related("organization"), pk=kwargs["pk"])
            self.unit = self.person.organization
            check(request.user, self.capability, self.unit)
        return super().dispatch(request, *args, **kwargs)


# People ----------------------------------------------------------------------


class PersonListView(UnitMixin, TemplateView):
    template_name = "awards/person_list.html"

    def get_context_data(self, **kwargs):
        people = Person.objects.filter(organization=self.unit).order_by("full_name", "pk")
        show_all = self.request.GET.get("all") == "1"
        if not show_all:
            people = people.filter(is_active=True)
        query = self.request.GET.get("q", "")[:100].strip()
        if query:
            # Typed with or without accents: both sides folded (a unit has at most a few thousand people).
            wanted = fold(query)
            people = people.filter(
                pk__in=[pk for pk, name in people.values_list("pk", "full_name") if wanted in fold(name)]
            )
        page = Paginator(people, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            unit=self.unit,
            page_obj=page,
            people=page.object_list,
            show_all=show_all,
            query=query,
            can_enter=can(self.request.user, Cap.NOMINATE, self.unit),
            **kwargs,
        )


class PersonCreateView(UnitMixin, FormView):
    capability = Cap.NOMINATE
    template_name = "awards/person_form.html"
    form_class = PersonForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)

    def form_valid(self, form):
        try:
            person = services.create_person(self.unit, actor=self.request.user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was added to the unit.") % {"name": person.full_name})
        return redirect("awards:person_list", pk=self.unit.pk)


class PersonUpdateView(PersonMixin, FormView):
    capability = Cap.NOMINATE
    template_name = "awards/person_form.html"
    form_class = PersonForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.person}

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, person=self.person, **kwargs)

    def form_valid(self, form):
        try:
            services.update_person(self.person, actor=self.request.user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect("awards:person_history", pk=self.person.pk)


# History pages -----------------------------------------------------------------


class PersonHistoryView(PersonMixin, TemplateView):
    template_name = "awards/person_history.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            person=self.person,
            unit=self.unit,
            can_enter=can(user, Cap.NOMINATE, self.unit),
            audit=history_entries(self.person.history.all()) if can(user, Cap.VIEW_AUDIT, self.unit) else None,
            **services.person_history(self.person),
            **kwargs,
        )


class UnitHistoryView(UnitMixin, TemplateView):
    template_name = "awards/unit_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unit=self.unit,
            can_enter=can(self.request.user, Cap.NOMINATE, self.unit),
            **services.unit_history(self.unit),
            **kwargs,
        )


# Entering by hand ----------------------------------------------------------------

RECORD_TITLES = {
    "rating": gettext_lazy("Enter a yearly rating"),
    "discipline": gettext_lazy("Enter a discipline"),
    "absence": gettext_lazy("Enter an absence"),
    "honour": gettext_lazy("Enter a title or award received"),
}


class RecordCreateView(LoginRequiredMixin, FormView):
    """Enter one rating, discipline, absence or honour of a person (or of a unit when ``collective``)."""

    template_name = "awards/record_form.html"
    record = "rating"
    collective = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if self.collective:
                self.nominee = get_object_or_404(Organization, pk=kwargs["pk"])
                self.unit = self.nominee
            else:
                self.nominee = get_object_or_404(Person.objects.select_related("organization"), pk=kwargs["pk"])
                self.unit = self.nominee.organization
            check(request.user, Cap.NOMINATE, self.unit)
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return RECORD_FORMS[self.record]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.record in ("rating", "honour"):
            kwargs["collective"] = self.collective
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nominee=self.nominee,
            unit=self.unit,
            collective=self.collective,
            form_title=RECORD_TITLES[self.record],
            **kwargs,
        )

    def back_url(self):
        if self.collective:
            return redirect("awards:unit_history", pk=self.unit.pk)
        return redirect("awards:person_history", pk=self.nominee.pk)

    def form_valid(self, form):
        service = {
            "rating": services.record_rating,
            "discipline": services.record_discipline,
            "absence": services.record_absence,
            "honour": services.record_honour,
        }[self.record]
        try:
            service(self.nominee, actor=self.request.user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The record was added."))
        return self.back_url()


class RecordDeleteView(LoginRequiredMixin, View):
    """Remove a rating, discipline, absence or honour entered by mistake (POST only)."""

    http_method_names = ["post"]
    model = None  # set by the URL: Rating, Discipline, Absence or Honour

    def post(self, request, *args, **kwargs):
        record = get_object_or_404(self.model.objects.select_related("person__organization"), pk=kwargs["pk"])
        nominee = record.person if record.person_id else record.organization
        check(request.user, Cap.NOMINATE, services.unit_of(nominee))
        try:
            services.delete_record(record, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The record was removed."))
        if isinstance(nominee, Person):
            return redirect("awards:person_history", pk=nominee.pk)
        return redirect("awards:unit_history", pk=nominee.pk)


# Import ----------------------------------------------------------------------


def can_import(user):
    return reach(user, Cap.NOMINATE).exists()


class HistoryImportTemplateView(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        return file_response(*HistoryTemplateExporter().render())


class HistoryImportView(LoginRequiredMixin, FormView):
    """Import past years' history from an xlsx file: every row, or none."""

    template_name = "awards/history_import.html"
    form_class = UploadForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(guide=instructions(), **kwargs)

    def form_valid(self, form):
        try:
            workbook = open_workbook(form.cleaned_data["file"])
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        result = HistoryImport(actor=self.request.user).run(workbook)
        if not result.ok:
            form.add_error(None, _("Nothing was imported. Correct the rows below and upload the file again."))
            return self.render_to_response(self.get_context_data(form=form, issues=result.issues))
        messages.success(
            self.request,
            _("Import finished: %(total)s rows written (%(details)s).")
            % {
                "total": result.total,
                "details": ", ".join(f"{kind}: {count}" for kind, count in sorted(result.counts.items())),
            },
        )
        return redirect("awards:history_import")
