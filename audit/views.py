"""The audit trail for staff: everything in their reach, per object, per user."""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from audit import journal
from audit.forms import JournalFilterForm
from audit.registry import audited_models, history_model, unit_of
from organizations.access import Cap, check
from organizations.models import Organization


def _page_number(request):
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        return 1


class JournalMixin(LoginRequiredMixin):
    template_name = "audit/journal.html"

    def scope(self):
        scope = journal.scope_for(self.request.user)
        if scope is None:
            raise PermissionDenied
        return scope

    def render_journal(self, query, scope, **context):
        number = _page_number(self.request)
        entries, has_next = journal.page(query, scope, number)
        return {**context, "entries": entries, "page_number": number, "has_next": has_next}


class JournalView(JournalMixin, TemplateView):
    """All changes in the reader's reach, filtered by kind, user and dates."""

    def get_context_data(self, **kwargs):
        scope = self.scope()
        form = JournalFilterForm(self.request.GET or None)
        query = journal.everything()
        if form.is_valid():
            query = self.filtered(query, form.cleaned_data)
        elif form.is_bound:
            query = journal.Query()
        return self.render_journal(query, scope, **super().get_context_data(**kwargs), form=form)

    def filtered(self, query, data):
        if data["kind"]:
            query = journal.of_kind(data["kind"])
        if data["user"]:
            query = query.narrowed(Q(history_user__username=data["user"].strip()))
        if data["date_from"]:
            query = query.narrowed(Q(history_date__gte=_day_start(data["date_from"])))
        if data["date_to"]:
            query = query.narrowed(Q(history_date__lt=_day_start(data["date_to"] + datetime.timedelta(days=1))))
        return query


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class UserJournalView(JournalMixin, TemplateView):
    """What one user changed: anyone may read their own; auditors read users of their units."""

    def get_context_data(self, **kwargs):
        subject = get_object_or_404(get_user_model(), pk=self.kwargs["pk"])
        reader = self.request.user
        if subject == reader:
            scope = journal.Scope(everything=True)
        else:
            scope = self.scope()
            if not (scope.everything or subject.memberships.filter(organization__in=scope.units).exists()):
                raise Http404
        query = journal.everything().narrowed(Q(history_user=subject))
        return self.render_journal(query, scope, **super().get_context_data(**kwargs), subject=subject)


class ObjectJournalView(JournalMixin, TemplateView):
    """One record's changes and those of the rows that belong to it, even after deletion."""

    def get_context_data(self, **kwargs):
        model = self.audited_model()
        pk = self.kwargs["pk"]
        live, unit_id = self.locate(model, pk)
        scope = self.check_reader(unit_id)
        query = journal.of_object(model, pk)
        entries_context = self.render_journal(query, scope, **super().get_context_data(**kwargs))
        return {**entries_context, "model": model._meta, "subject_object": live, "object_id": pk}

    def audited_model(self):
        try:
            model = apps.get_model(self.kwargs["label"])
        except (LookupError, ValueError):
            raise Http404 from None
        if model not in audited_models():
            raise Http404
        return model

    @staticmethod
    def locate(model, pk):
        """The live record (None once deleted) and its unit; 404 if it never existed."""
        live = model._base_manager.filter(pk=pk).first()
        if live is not None:
            return live, unit_of(live)
        last = history_model(model).objects.filter(**{model._meta.pk.attname: pk}).order_by("-history_date").first()
        if last is None:
            raise Http404
        return None, last.history_unit

    def check_reader(self, unit_id):
        user = self.request.user
        if unit_id is not None:
            unit = Organization.objects.filter(pk=unit_id).first()
            if unit is None:
                raise Http404
            check(user, Cap.VIEW_AUDIT, unit)
        scope = self.scope()
        if unit_id is None and not (scope.everything or scope.catalogue):
            raise PermissionDenied(_("Only the top level reads the history of shared catalogue records."))
        return scope
