"""Councils, their meetings, secret ballots and minutes.

A council is seen by the users who see its unit and by its members (404 otherwise). Meetings
are prepared by the secretary or the unit's awards staff and run by the secretary (403 for
others). A ballot page exists only for the council's members; the list of every ballot only
for the secretary: nobody else ever reads an individual vote, only the counts of a closed round.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from awards.forms.councils import AgendaForm, BallotForm, CouncilForm, CouncilMemberForm, MeetingForm, MeetingOpenForm
from awards.models import Ballot, Council, CouncilMember, CouncilRole, Meeting, MeetingStatus
from awards.services import councils as services
from awards.services.disclosure import can_publish
from core.audit import history_entries
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.http import file_response
from organizations.access import Cap, can, reach
from organizations.models import Organization


class CouncilListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/council_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        councils = Council.objects.visible_to(user).select_related("organization")
        page = Paginator(councils, 25).get_page(self.request.GET.get("page"))
        meetings = list(services.open_meetings_for(user))
        for meeting in meetings:
            meeting.refusal = services.voting_refusal(meeting, user)
        return super().get_context_data(
            page_obj=page,
            councils=page.object_list,
            seats=CouncilMember.objects.filter(user=user).select_related("council__organization"),
            open_meetings=meetings,
            can_create=reach(user, Cap.MANAGE_AWARDS).exists(),
            **kwargs,
        )


class CouncilCreateView(LoginRequiredMixin, FormView):
    template_name = "awards/council_form.html"
    form_class = CouncilForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not reach(request.user, Cap.MANAGE_AWARDS).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": reach(self.request.user, Cap.MANAGE_AWARDS)}

    def get_initial(self):
        own = Organization.objects.filter(
            memberships__user=self.request.user, pk__in=reach(self.request.user, Cap.MANAGE_AWARDS).values("pk")
        ).first()
        return {"unit": own.code if own else ""}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            council = services.create_council(data["unit"], actor=self.request.user, data=data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The council was set up. Now add its members."))
        return redirect(council)


class CouncilMixin:
    """Loads the council the user may see (404 otherwise); ``capability`` "manage" asks for
    the awards right on its unit (403)."""

    capability = None

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.council = get_object_or_404(
            Council.objects.visible_to(request.user).select_related("organization"), pk=kwargs["pk"]
        )
        if self.capability == "manage" and not services.can_manage_council(request.user, self.council):
            raise PermissionDenied
        if self.capability == "prepare" and not services.can_prepare_meetings(request.user, self.council):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(council=self.council, **kwargs)


class CouncilDetailView(CouncilMixin, TemplateView):
    template_name = "awards/council_detail.html"

    def get_context_data(self, **kwargs):
        user, council = self.request.user, self.council
        seat = services.seat_of(user, council)
        audit = None
        if can(user, Cap.VIEW_AUDIT, council.organization):
            audit = history_entries(council.history.all()) + history_entries(
                CouncilMember.history.filter(council_id=council.pk)
            )
            audit.sort(key=lambda entry: entry["date"], reverse=True)
        return super().get_context_data(
            members=council.members.select_related("user"),
            meetings=council.meetings.all(),
            seat=seat,
            quorum=council.quorum(),
            has_secretary=council.members.filter(role=CouncilRole.SECRETARY).exists(),
            can_manage=services.can_manage_council(user, council),
            can_prepare=services.can_prepare_meetings(user, council),
            audit=audit,
            **kwargs,
        )


class CouncilMemberAddView(CouncilMixin, FormView):
    template_name = "awards/council_member_form.html"
    form_class = CouncilMemberForm
    capability = "manage"

    def get_form_kwargs(self):
        users = services.eligible_users(self.council.organization).exclude(council_seats__council=self.council)
        return {**super().get_form_kwargs(), "users": users}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            member = services.add_council_member(
                self.council, actor=self.request.user, user=data["user"], role=data["role"], position=data["position"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(member)s was added to the council.") % {"member": member})
        return redirect(self.council)


class CouncilMemberRemoveView(CouncilMixin, View):
    http_method_names = ["post"]
    capability = "manage"

    def post(self, request, *args, **kwargs):
        member = get_object_or_404(self.council.members.select_related("user"), pk=kwargs["member_pk"])
        try:
            services.remove_council_member(member, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(user)s was taken off the council.") % {"user": member.user})
        return redirect(self.council)


class MeetingCreateView(CouncilMixin, FormView):
    template_name = "awards/meeting_form.html"
    form_class = MeetingForm
    capability = "prepare"

    def form_valid(self, form):
        try:
            meeting = services.schedule_meeting(self.council, actor=self.request.user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting was scheduled. Now put the nominations on its agenda."))
        return redirect("awards:meeting_agenda", pk=meeting.pk)


# --- meetings ---------------------------------------------------------------------------------------


class MeetingMixin:
    """Loads a meeting of a council the user may see (404 otherwise). ``role``: "prepare" (the
    secretary or the unit's awards staff) or "secretary"; others get 403."""

    role = None

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        visible = Council.objects.visible_to(request.user).values("pk")
        self.meeting = get_object_or_404(
            Meeting.objects.filter(council__in=visible).select_related("council__organization"), pk=kwargs["pk"]
        )
        self.council = self.meeting.council
        self.seat = services.seat_of(request.user, self.council)
        self.check_role(request.user)
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_secretary(self):
        return self.seat is not None and self.seat.role == CouncilRole.SECRETARY

    def check_role(self, user):
        if self.role == "secretary" and not self.is_secretary:
            raise PermissionDenied
        if self.role == "prepare" and not services.can_prepare_meetings(user, self.council):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting, council=self.council, seat=self.seat, is_secretary=self.is_secretary, **kwargs
        )


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "awards/meeting_detail.html"

    def get_context_data(self, **kwargs):
        user, meeting = self.request.user, self.meeting
        items = meeting.items.select_related(
            "nomination__person__organization",
            "nomination__organization",
            "nomination__title",
            "nomination__award_form",
        )
        return super().get_context_data(
            groups=services.items_by_entry(items),
            members_total=self.council.members.count(),
            quorum=self.council.quorum(),
            present=meeting.present.select_related("user").order_by("pk"),
            progress=services.meeting_progress(meeting) if self.is_secretary else None,
            voting_refusal=services.voting_refusal(meeting, user) if self.seat else None,
            can_prepare=services.can_prepare_meetings(user, self.council),
            can_publish=meeting.status == MeetingStatus.CLOSED and can_publish(user, meeting),
            disclosures=meeting.disclosures.all(),
            max_rounds=services.MAX_ROUNDS,
            **kwargs,
        )


class MeetingAgendaView(MeetingMixin, FormView):
    template_name = "awards/meeting_agenda.html"
    form_class = AgendaForm
    role = "prepare"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "candidates": services.agenda_candidates(self.council)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        chosen = {str(value) for value in (form["nominations"].value() or [])}
        candidates = [(nomination, str(nomination.pk) in chosen) for nomination in form.fields["nominations"].queryset]
        context.update(
            groups=_group_pairs(candidates),
            items=self.meeting.items.select_related("nomination__person", "nomination__organization"),
            editable=self.meeting.status == MeetingStatus.PLANNED,
        )
        return context

    def form_valid(self, form):
        try:
            items = services.add_agenda_items(self.meeting, form.cleaned_data["nominations"], actor=self.request.user)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(count)d nominations were put on the agenda.") % {"count": len(items)})
        return redirect("awards:meeting_agenda", pk=self.meeting.pk)


def _group_pairs(candidates):
    """[(entry, [(nomination, checked)])] in the candidates' order (by title or award form)."""
    groups = {}
    for nomination, checked in candidates:
        groups.setdefault(nomination.entry, []).append((nomination, checked))
    return list(groups.items())


class MeetingItemRemoveView(MeetingMixin, View):
    http_method_names = ["post"]
    role = "prepare"

    def post(self, request, *args, **kwargs):
        item = get_object_or_404(self.meeting.items.select_related("nomination"), pk=kwargs["item_pk"])
        try:
            services.remove_agenda_item(item, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("“%(item)s” was taken off the agenda.") % {"item": item.nomination})
        return redirect("awards:meeting_agenda", pk=self.meeting.pk)


class MeetingOpenView(MeetingMixin, FormView):
    template_name = "awards/meeting_open.html"
    form_class = MeetingOpenForm
    role = "secretary"

    def get(self, request, *args, **kwargs):
        if self.meeting.status != MeetingStatus.PLANNED:
            messages.info(request, _("This meeting has already been opened."))
            return redirect(self.meeting)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.council.members.select_related("user")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members_total=self.council.members.count(), quorum=self.council.quorum(), **kwargs
        )

    def form_valid(self, form):
        try:
            services.open_meeting(self.meeting, actor=self.request.user, present=form.cleaned_data["present"])
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting is open. Open ballot round 1 when the council is ready."))
        return redirect(self.meeting)


class MeetingActionView(MeetingMixin, View):
    """A secretary's POST that calls one service and comes back to the meeting with a message."""

    http_method_names = ["post"]
    role = "secretary"
    service = None
    success_message = ""

    def post(self, request, *args, **kwargs):
        try:
            meeting = self.service(self.meeting, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.success_message % {"round": meeting.ballot_round})
        return redirect(self.meeting)


class MeetingRoundOpenView(MeetingActionView):
    service = staticmethod(services.open_ballot_round)
    success_message = gettext_lazy("Ballot round %(round)d is open: the members present can vote now.")


class MeetingRoundCloseView(MeetingActionView):
    service = staticmethod(services.close_ballot_round)
    success_message = gettext_lazy("Ballot round %(round)d was counted.")


class MeetingCloseView(MeetingActionView):
    service = staticmethod(services.close_meeting)
    success_message = gettext_lazy("The meeting is closed; the minutes can be printed.")


class MeetingBallotView(MeetingMixin, FormView):
    """A member's own ballot: the open round's form, and the votes they cast before."""

    template_name = "awards/meeting_ballot.html"
    form_class = BallotForm

    def check_role(self, user):
        # Not even the existence of a ballot is shown to someone outside the council.
        if self.seat is None:
            raise Http404

    def get_form_kwargs(self):
        items = services.pending_items(self.meeting).select_related(
            "nomination__person", "nomination__organization", "nomination__title", "nomination__award_form"
        )
        return {**super().get_form_kwargs(), "items": items}

    def get_context_data(self, **kwargs):
        own = Ballot.objects.filter(item__meeting=self.meeting, member=self.seat).select_related(
            "item__nomination__person", "item__nomination__organization"
        )
        return super().get_context_data(
            refusal=services.voting_refusal(self.meeting, self.request.user), own_ballots=own, **kwargs
        )

    def form_valid(self, form):
        try:
            services.cast_ballot(self.meeting, actor=self.request.user, votes=form.votes())
        except DomainError as error:
            messages.error(self.request, error.message)
            return redirect("awards:meeting_ballot", pk=self.meeting.pk)
        messages.success(
            self.request, _("Your ballot for round %(round)d was recorded.") % {"round": self.meeting.ballot_round}
        )
        return redirect("awards:meeting_ballot", pk=self.meeting.pk)


class MeetingBallotsView(MeetingMixin, TemplateView):
    """Every ballot of the meeting: for the secretary only."""

    template_name = "awards/meeting_ballots.html"
    role = "secretary"

    def get_context_data(self, **kwargs):
        ballots = Ballot.objects.filter(item__meeting=self.meeting).select_related(
            "member__user", "item__nomination__person", "item__nomination__organization"
        )
        return super().get_context_data(ballots=ballots.order_by("round", "member__pk", "item__pk"), **kwargs)


class MeetingMinutesView(MeetingMixin, View):
    """The minutes (biên bản) of a closed meeting as a PDF, drawn up on demand."""

    def get(self, request, *args, **kwargs):
        try:
            filename, content_type, content = services.generate_minutes(self.meeting)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.meeting)
        return file_response(filename, content_type, content)
