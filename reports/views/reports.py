"""A unit's report for a round or the year, its evidence files and its review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.exceptions import ConflictError, DomainError
from core.http import stored_file_response
from core.templatetags.portal import vn_number
from reports import scope
from reports.forms import ReasonForm, ReportForm, ReportReviewForm
from reports.models import Evidence, period_label, report_due_date
from reports.rollup import initiative_counts, rollup
from reports.services import registrations as registration_services
from reports.services import reports as services
from reports.services.reports import uses_yes_no
from reports.views.base import UnitCampaignMixin, already_done


def find_round(campaign, period):
    """The round a URL's period names ("1", "2" …), or None for the year ("year"); 404 otherwise."""
    if period == "year":
        return None
    if period.isdigit():
        round_ = campaign.rounds.filter(number=int(period)).first()
        if round_ is not None:
            return round_
    raise Http404


def pledge_text(pledge, aggregate):
    if pledge.value is None:
        return None
    if uses_yes_no(pledge.target, aggregate):
        return _("Yes") if pledge.value else _("No")
    return vn_number(pledge.value)


class ReportMixin(UnitCampaignMixin):
    @property
    def round(self):
        if not hasattr(self, "_round"):
            self._round = find_round(self.campaign, self.kwargs["period"])
        return self._round

    def report(self):
        if not hasattr(self, "_report"):
            self._report = services.report_of(self.campaign, self.unit, self.round)
        return self._report

    def page_url(self):
        return reverse("reports:report_detail", args=[self.campaign.pk, self.unit.pk, self.kwargs["period"]])


class ReportView(ReportMixin, TemplateView):
    template_name = "reports/report_detail.html"

    def aggregate(self):
        if not hasattr(self, "_aggregate"):
            self._aggregate = scope.is_aggregate(self.campaign, self.unit)
        return self._aggregate

    def targets(self):
        if not hasattr(self, "_targets"):
            self._targets = scope.targets_for(self.campaign, self.unit, aggregate=self.aggregate())
        return self._targets

    def current_values(self, report=None):
        """The saved values by target: of ``report``, else of this page's report (read once a
        request: the form and the table rows both need them)."""
        if report is not None:
            return self._values_of(report)
        if not hasattr(self, "_values"):
            self._values = self._values_of(self.report())
        return self._values

    @staticmethod
    def _values_of(report):
        if report is None:
            return {}
        return {v.target_id: v for v in report.values.select_related("entered_by").prefetch_related("evidence")}

    def build(self, data=None, files=None):
        report = self.report()
        values = self.current_values()
        if self.aggregate():
            rolled = rollup(self.campaign, self.unit, self.round, self.targets())
        else:
            # A grassroots unit has nothing to sum, but its initiative counts come from the register.
            rolled = initiative_counts(self.campaign, self.unit, self.round, self.targets())
        if self.aggregate() and (report is None or report.is_editable):
            # An upper unit's figures start from the sum of its units' approved ones, for every
            # target it has not filled in yet.
            values = {
                pk: values[pk] if pk in values and not values[pk].is_empty() else figure
                for pk, figure in rolled.items()
            }
        initial = {"version": report.version if report else 0}
        if report:
            initial.update(highlights=report.highlights, shortcomings=report.shortcomings, proposals=report.proposals)
        form = ReportForm(
            data, files, targets=self.targets(), aggregate=self.aggregate(), values=values, initial=initial
        )
        return form, rolled

    def rows(self, form, rolled, theirs=None):
        values = self.current_values()
        pledges = {}
        registration = registration_services.registration_of(self.campaign, self.unit)
        if registration:
            pledges = {
                p.target_id: pledge_text(p, self.aggregate()) for p in registration.pledges.select_related("target")
            }
        allocations = registration_services.allocations_of(self.campaign, self.unit)
        their_values = self.current_values(theirs) if theirs else {}
        rows = []
        for target in self.targets():
            pk = target.pk
            rows.append(
                {
                    "target": target,
                    "allocated": allocations.get(pk),
                    "pledged": pledges.get(pk),
                    "value": values.get(pk),
                    "rolled": rolled.get(pk),
                    "theirs": their_values.get(pk),
                    "fields": [
                        form[name] for name in (f"v_{pk}", f"n_{pk}", f"d_{pk}", f"a_{pk}") if name in form.fields
                    ],
                    "note": form[f"note_{pk}"],
                    "files": form[f"f_{pk}"],
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report()
        if "form" not in kwargs:
            context["form"], context["rolled"] = self.build()
        form, rolled = context["form"], context["rolled"]
        editable = report is None or report.is_editable
        context.update(
            report=report,
            round=self.round,
            period=self.kwargs["period"],
            period_label=period_label(self.campaign, self.round),
            due=report_due_date(self.campaign, self.round),
            rows=self.rows(form, rolled, kwargs.get("theirs")),
            aggregate=self.aggregate(),
            editable=editable and context["can_enter"] and self.campaign.status == "published",
            review_form=ReportReviewForm(targets=self.targets()),
            reopen_form=ReasonForm(),
            events=report.events.select_related("actor") if report else [],
        )
        return context

    def post(self, request, *args, **kwargs):
        if not scope.can_enter(request.user, self.unit):
            raise PermissionDenied
        duplicate = already_done(request, self.report(), self.page_url())
        if duplicate:
            return duplicate
        form, rolled = self.build(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Some figures are not valid; they are marked below."))
            self.warn_files_dropped()
            return self.render_to_response(self.get_context_data(form=form, rolled=rolled))
        key = request.POST.get("request_key", "")
        data = services.ReportInput(entries=form.entries(), texts=form.texts(), files=form.evidence_files())
        try:
            report = services.save_report(
                self.campaign,
                self.unit,
                self.round,
                actor=request.user,
                data=data,
                expected_version=form.cleaned_data.get("version") or 0,
                request_key=key,
            )
            self.__dict__.pop("_values", None)  # saved: a page shown again reads them anew
            if request.POST.get("action") == "submit":
                report, _sent = services.submit_report(report, actor=request.user, request_key=key)
        except services.ReportProblems as error:
            form.add_problems(error.problems)
            messages.error(request, error.message)
            self.warn_files_dropped()
            return self.render_to_response(self.get_context_data(form=form, rolled=rolled))
        except ConflictError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(form=form, rolled=rolled, theirs=error.current))
        except DomainError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(form=form, rolled=rolled))
        self.announce(report)
        return redirect(self.page_url())

    def warn_files_dropped(self):
        # Browsers cannot put a chosen file back into the form: say so instead of losing it quietly.
        if self.request.FILES:
            messages.warning(self.request, _("The files you chose were not saved; choose them again before saving."))

    def announce(self, report):
        if self.request.POST.get("action") != "submit":
            messages.success(self.request, _("The report was saved as a draft. Send it when it is complete."))
        elif report.late_days:
            messages.warning(
                self.request,
                _("The report was sent to %(unit)s, %(days)s days after the due date.")
                % {"unit": self.unit.parent, "days": report.late_days},
            )
        else:
            messages.success(
                self.request, _("The report was sent to %(unit)s for approval.") % {"unit": self.unit.parent}
            )


class ReportActionView(ReportMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        report = self.report()
        if report is None:
            raise Http404  # nothing was ever written: there is nothing to review
        if not scope.can_review(request.user, self.unit):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for reopening."))
            return redirect(self.page_url())
        try:
            self.act(report, form)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.success_message())
        return redirect(self.page_url())

    def make_form(self, data):
        return ReportReviewForm(data, targets=scope.targets_for(self.campaign, self.unit))


class ReportApproveView(ReportActionView):
    def act(self, report, form):
        services.approve_report(report, actor=self.request.user, comment=form.cleaned_data["comment"])

    def success_message(self):
        return _("The report of %(unit)s was approved and is now locked.") % {"unit": self.unit}


class ReportReturnView(ReportActionView):
    def act(self, report, form):
        services.return_report(
            report, actor=self.request.user, comment=form.cleaned_data["comment"], value_comments=form.value_comments()
        )

    def success_message(self):
        return _("The report was returned to %(unit)s with your comments.") % {"unit": self.unit}


class ReportReopenView(ReportActionView):
    def make_form(self, data):
        return ReasonForm(data)

    def act(self, report, form):
        services.reopen_report(report, actor=self.request.user, reason=form.cleaned_data["reason"])

    def success_message(self):
        return _("The report was reopened; %(unit)s can correct it.") % {"unit": self.unit}


class EvidenceMixin(ReportMixin):
    def evidence(self):
        report = self.report()
        if report is None:
            raise Http404
        return get_object_or_404(
            Evidence.objects.select_related("value__report"), pk=self.kwargs["evidence_pk"], value__report=report
        )


class EvidenceDownloadView(EvidenceMixin, View):
    """Evidence is served only here, after the access check: its stored name is random."""

    def get(self, request, *args, **kwargs):
        return stored_file_response(self.evidence())


class EvidenceDeleteView(EvidenceMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not scope.can_enter(request.user, self.unit):
            raise PermissionDenied
        evidence = self.evidence()
        try:
            services.delete_evidence(evidence, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The file %(name)s was removed.") % {"name": evidence.original_name})
        return redirect(self.page_url())
