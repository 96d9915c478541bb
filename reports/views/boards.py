"""Status boards of the upper level: who registered, who reported, the rolled-up figures."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from organizations.access import Cap, can
from reports import scope
from reports.models import Registration, Report, Status, period_label, report_due_date
from reports.rollup import rollup
from reports.services import deadlines
from reports.services.registrations import allocations_of
from reports.views.base import BoardMixin
from reports.views.reports import find_round

BOARD_STATUSES = [
    ("none", gettext_lazy("Not registered")),
    (Status.SUBMITTED, gettext_lazy("Awaiting approval")),
    (Status.RETURNED, gettext_lazy("Returned")),
    (Status.APPROVED, gettext_lazy("Approved")),
]


def board_status(submission):
    if submission is None or submission.status == Status.DRAFT:
        return "none"
    return submission.status


class BoardView(BoardMixin, TemplateView):
    """Rows: the participating units directly below, each with its submission's status."""

    def units(self):
        return list(self.campaign.participants_below(self.unit).select_related("kind").order_by("name"))

    def board(self, submissions, labels):
        units = self.units()
        aggregates = scope.aggregate_ids(self.campaign, among=units)
        chosen = self.request.GET.get("status", "")
        counts = {key: 0 for key, _label in labels}
        rows = []
        for unit in units:
            submission = submissions.get(unit.pk)
            status = board_status(submission)
            counts[status] += 1
            if chosen and status != chosen:
                continue
            rows.append({"unit": unit, "submission": submission, "status": status, "aggregate": unit.pk in aggregates})
        return {
            "rows": rows,
            "counts": [(key, label, counts[key]) for key, label in labels],
            "total": len(units),
            "chosen": chosen,
        }


class RegistrationBoardView(BoardView):
    template_name = "reports/registration_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = {
            r.organization_id: r
            for r in Registration.objects.filter(campaign=self.campaign, organization__parent=self.unit).select_related(
                "submitted_by"
            )
        }
        labels = [("none", _("Not registered"))] + BOARD_STATUSES[1:]
        context.update(self.board(registrations, labels), item=deadlines.item_by_key(self.campaign, "registration"))
        return context


class ReportBoardView(BoardView):
    template_name = "reports/report_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = find_round(self.campaign, self.kwargs["period"])
        reports = {
            r.organization_id: r
            for r in Report.objects.filter(
                campaign=self.campaign, round=round_, organization__parent=self.unit
            ).select_related("submitted_by")
        }
        labels = [("none", _("Not sent"))] + BOARD_STATUSES[1:]
        context.update(self.board(reports, labels))
        context.update(
            round=round_,
            period=self.kwargs["period"],
            period_label=period_label(self.campaign, round_),
            due=report_due_date(self.campaign, round_),
            periods=[(str(r.number), r.name) for r in self.campaign.rounds.all()] + [("year", _("Year"))],
            figures=self.figures(round_),
            item=deadlines.item_by_key(self.campaign, f"report-{round_.number}" if round_ else "report-year"),
            can_bulk=can(self.request.user, Cap.ENTER_REPORTS, self.unit),
        )
        return context

    def figures(self, round_):
        """The unit's rolled-up figures beside what it has to reach."""
        targets = scope.campaign_targets(self.campaign)
        rolled = rollup(self.campaign, self.unit, round_, targets)
        own_share = allocations_of(self.campaign, self.unit)
        rows = []
        for target in targets:
            # Counts are measured against the unit's share; rates against the plan's rate.
            shared = target.is_allocatable and self.unit.pk != self.campaign.owner_id
            goal = own_share.get(target.pk) if shared else target.plan_value
            figure = rolled[target.pk]
            progress = None
            if figure.value is not None and goal:
                progress = (figure.value * 100 / goal).quantize(Decimal("0.1"))
            rows.append({"target": target, "goal": goal, "figure": figure, "progress": progress})
        return rows


class ReportBoardIndexView(BoardMixin, View):
    """The board of the period that matters today: the open round, else the last one begun."""

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        period = "year"
        for round_ in self.campaign.rounds.all():
            if round_.effective_start() <= today:
                period = str(round_.number)
            if round_.is_open(today):
                break
        return redirect("reports:report_board", self.campaign.pk, self.unit.pk, period)


class RemindView(BoardMixin, View):
    """E-mail the units below that still owe an item (all of them, or those ticked)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not can(request.user, Cap.REVIEW_REPORTS, self.unit):
            raise PermissionDenied
        item = deadlines.item_by_key(self.campaign, request.POST.get("item", ""))
        if item is None:
            raise Http404
        below = self.campaign.participants_below(self.unit)
        chosen = [pk for pk in request.POST.getlist("units") if pk.isdigit()]
        if chosen:
            below = below.filter(pk__in=chosen)
        reminded = deadlines.send_reminders(self.campaign, item, list(below), actor=request.user)
        if reminded:
            messages.success(
                request,
                _("A reminder was e-mailed to %(count)s units: %(names)s.")
                % {"count": len(reminded), "names": ", ".join(u.display_name for u in reminded[:10])},
            )
        else:
            messages.info(request, _("No reminder was sent: every unit has sent it, or was reminded today."))
        return redirect(request.POST.get("back") if self.safe_back() else self.board_url(item))

    def safe_back(self):
        back = self.request.POST.get("back", "")
        return back.startswith("/") and not back.startswith("//")

    def board_url(self, item):
        if item.is_registration:
            return reverse("reports:registration_board", args=[self.campaign.pk, self.unit.pk])
        return reverse("reports:report_board_index", args=[self.campaign.pk, self.unit.pk])
