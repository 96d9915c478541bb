"""Public disclosure of a council's list, and objections to it.

A disclosure is seen by the publishing unit's users and by the users of every unit that
proposed a nominee on it (404 for anyone else); those who see it may object while it runs.
Publishing and resolving objections take the awards right on the publishing unit (403).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from awards.forms.councils import DisclosureForm, ObjectionForm, ResolveObjectionForm
from awards.models import Council, Disclosure, Meeting, MeetingStatus, Objection
from awards.services import disclosure as services
from core.exceptions import DomainError
from core.forms import add_domain_error


class DisclosureCreateView(LoginRequiredMixin, FormView):
    template_name = "awards/disclosure_form.html"
    form_class = DisclosureForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        visible = Council.objects.visible_to(request.user).values("pk")
        self.meeting = get_object_or_404(
            Meeting.objects.filter(council__in=visible).select_related("council__organization"), pk=kwargs["pk"]
        )
        if not services.can_publish(request.user, self.meeting):
            raise PermissionDenied
        if self.meeting.status != MeetingStatus.CLOSED:
            messages.error(request, _("The list is published once the council's meeting is closed."))
            return redirect(self.meeting)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting, nominations=services.publishable_nominations(self.meeting), **kwargs
        )

    def form_valid(self, form):
        try:
            disclosure = services.publish_disclosure(self.meeting, actor=self.request.user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The list was published."))
        return redirect(disclosure)


class DisclosureListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/disclosure_list.html"

    def get_context_data(self, **kwargs):
        disclosures = Disclosure.objects.visible_to(self.request.user).select_related("organization", "meeting")
        page = Paginator(disclosures, 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page, disclosures=page.object_list, today=timezone.localdate(), **kwargs
        )


class DisclosureMixin:
    """Loads a disclosure the user may see (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.disclosure = get_object_or_404(
            Disclosure.objects.visible_to(request.user).select_related("organization", "meeting__council"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(disclosure=self.disclosure, **kwargs)


class DisclosureDetailView(DisclosureMixin, TemplateView):
    template_name = "awards/disclosure_detail.html"

    def get_context_data(self, **kwargs):
        disclosure = self.disclosure
        nominations = disclosure.nominations.select_related(
            "person__organization", "organization", "nominator", "title", "award_form"
        ).order_by("title__sort_order", "award_form__sort_order", "pk")
        return super().get_context_data(
            nominations=nominations,
            objections=disclosure.objections.select_related(
                "nomination__person", "nomination__organization", "raised_by"
            ),
            running=disclosure.is_running(),
            can_resolve=services.can_resolve(self.request.user, disclosure),
            not_ready=services.ready_for_decision(disclosure),
            **kwargs,
        )


class ObjectionCreateView(DisclosureMixin, FormView):
    template_name = "awards/disclosure_objection.html"
    form_class = ObjectionForm

    def get(self, request, *args, **kwargs):
        if not self.disclosure.is_running():
            messages.error(request, _("Objections are taken only while the disclosure runs."))
            return redirect(self.disclosure)
        return super().get(request, *args, **kwargs)

    def get_nomination(self):
        return get_object_or_404(
            self.disclosure.nominations.select_related("person", "organization", "title", "award_form"),
            pk=self.kwargs["nomination_pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(nomination=self.get_nomination(), **kwargs)

    def form_valid(self, form):
        try:
            services.raise_objection(
                self.disclosure, self.get_nomination(), actor=self.request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your objection was recorded; the unit will answer it."))
        return redirect(self.disclosure)


class ObjectionResolveView(LoginRequiredMixin, FormView):
    template_name = "awards/disclosure_resolve.html"
    form_class = ResolveObjectionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        visible = Disclosure.objects.visible_to(request.user).values("pk")
        self.objection = get_object_or_404(
            Objection.objects.filter(disclosure__in=visible).select_related(
                "disclosure__organization", "nomination__person", "nomination__organization", "raised_by"
            ),
            pk=kwargs["pk"],
        )
        if not services.can_resolve(request.user, self.objection.disclosure):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.objection.is_resolved:
            messages.info(request, _("This objection has already been resolved."))
            return redirect(self.objection.disclosure)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(objection=self.objection, disclosure=self.objection.disclosure, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.resolve_objection(
                self.objection, actor=self.request.user, resolution=data["resolution"], upheld=data["upheld"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The objection was resolved."))
        return redirect(self.objection.disclosure)
