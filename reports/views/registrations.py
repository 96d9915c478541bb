"""The registration page of a unit (đăng ký giao ước thi đua) and its review by the unit above."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from awards.models import Scope, Title
from core.exceptions import ConflictError, DomainError
from reports import scope
from reports.forms import AimFormSet, ReasonForm, RegistrationForm, ReviewForm, WorkFormSet
from reports.models import Registration
from reports.services import registrations as services
from reports.views.base import UnitCampaignMixin, already_done


class RegistrationMixin(UnitCampaignMixin):
    def registration(self):
        if not hasattr(self, "_registration"):
            self._registration = services.registration_of(self.campaign, self.unit)
        return self._registration

    def page_url(self):
        return reverse("reports:registration_detail", args=[self.campaign.pk, self.unit.pk])


class RegistrationView(RegistrationMixin, TemplateView):
    template_name = "reports/registration_detail.html"

    def targets(self):
        return scope.targets_for(self.campaign, self.unit, aggregate=self.aggregate())

    def aggregate(self):
        if not hasattr(self, "_aggregate"):
            self._aggregate = scope.is_aggregate(self.campaign, self.unit)
        return self._aggregate

    def build(self, data=None, registration=None):
        registration = registration or self.registration()
        pledges = {p.target_id: p for p in registration.pledges.all()} if registration else {}
        form = RegistrationForm(
            data,
            targets=self.targets(),
            allocations=services.allocations_of(self.campaign, self.unit),
            aggregate=self.aggregate(),
            year_start=self.campaign.period_start,
            pledges=pledges,
            initial={
                "version": registration.version if registration else 0,
                "collective_title": registration.collective_title_id if registration else None,
                "note": registration.note if registration else "",
            },
        )
        aims = AimFormSet(data, prefix="aims", initial=self.aim_rows(registration))
        individual = Title.objects.valid_on(self.campaign.period_start).filter(scope=Scope.INDIVIDUAL)
        for aim_form in [*aims.forms, aims.empty_form]:
            aim_form.fields["title"].queryset = individual
        works = WorkFormSet(data, prefix="works", initial=self.work_rows(registration))
        return form, aims, works

    def aim_rows(self, registration):
        if registration is None:
            return []
        return [
            {"title": a.title_id, "full_name": a.person.full_name, "position": a.person.position}
            for a in registration.title_aims.select_related("person")
        ]

    def work_rows(self, registration):
        if registration is None:
            return []
        return [
            {"name": w.name, "description": w.description, "expected_completion": w.expected_completion}
            for w in registration.works.all()
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = self.registration()
        if "form" not in kwargs:
            context["form"], context["aims"], context["works"] = self.build()
        editable = registration is None or registration.is_editable
        context.update(
            registration=registration,
            editable=editable and context["can_enter"] and self.campaign.status == "published",
            review_form=ReviewForm(),
            reopen_form=ReasonForm(),
            events=registration.events.select_related("actor") if registration else [],
            due=Registration(campaign=self.campaign).due_date(),
            aggregate=self.aggregate(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not scope.can_enter(request.user, self.unit):
            raise PermissionDenied
        duplicate = already_done(request, self.registration(), self.page_url())
        if duplicate:
            return duplicate
        form, aims, works = self.build(request.POST)
        if not (form.is_valid() & aims.is_valid() & works.is_valid()):
            messages.error(request, _("Some entries are not valid; they are marked below."))
            return self.render_to_response(self.get_context_data(form=form, aims=aims, works=works))
        data = services.RegistrationInput(
            pledges=form.pledges(),
            collective_title=form.cleaned_data["collective_title"],
            note=form.cleaned_data["note"],
            aims=[(a["title"], a["full_name"], a["position"]) for a in aims.kept()],
            works=works.kept(),
        )
        key = request.POST.get("request_key", "")
        try:
            registration = services.save_registration(
                self.campaign,
                self.unit,
                actor=request.user,
                data=data,
                expected_version=form.cleaned_data.get("version") or 0,
                request_key=key,
            )
            if request.POST.get("action") == "submit":
                services.submit_registration(registration, actor=request.user, request_key=key)
        except ConflictError as error:
            messages.error(request, error.message)
            context = self.get_context_data(form=form, aims=aims, works=works, theirs=error.current)
            return self.render_to_response(context)
        except DomainError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(form=form, aims=aims, works=works))
        if request.POST.get("action") == "submit":
            messages.success(
                request, _("The registration was sent to %(unit)s for approval.") % {"unit": self.unit.parent}
            )
        else:
            messages.success(request, _("The registration was saved as a draft. Send it when it is complete."))
        return redirect(self.page_url())


class RegistrationActionView(RegistrationMixin, View):
    """POST-only review steps; each calls one service and comes back with a message."""

    http_method_names = ["post"]
    form_class = ReviewForm

    def post(self, request, *args, **kwargs):
        registration = self.registration()
        if registration is None:
            raise Http404  # nothing was ever written: there is nothing to review
        if not scope.can_review(request.user, self.unit):
            raise PermissionDenied
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for reopening."))
            return redirect(self.page_url())
        try:
            self.act(registration, form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.success_message())
        return redirect(self.page_url())


class RegistrationApproveView(RegistrationActionView):
    def act(self, registration, data):
        services.approve_registration(registration, actor=self.request.user, comment=data["comment"])

    def success_message(self):
        return _("The registration of %(unit)s was approved.") % {"unit": self.unit}


class RegistrationReturnView(RegistrationActionView):
    def act(self, registration, data):
        services.return_registration(registration, actor=self.request.user, comment=data["comment"])

    def success_message(self):
        return _("The registration was returned to %(unit)s with your comment.") % {"unit": self.unit}


class RegistrationReopenView(RegistrationActionView):
    form_class = ReasonForm

    def act(self, registration, data):
        services.reopen_registration(registration, actor=self.request.user, reason=data["reason"])

    def success_message(self):
        return _("The registration was reopened; %(unit)s can correct it.") % {"unit": self.unit}
