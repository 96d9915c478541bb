"""Pages of the cluster covenants: the covenant and its scoring table, score cards, the
ranking with its export, and the acclaim (suy tôn) by secret ballot."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from awards.exporters import RankingExporter
from awards.forms.clusters import (
    AcclaimOpenForm,
    BallotForm,
    CovenantCreateForm,
    CovenantForm,
    ScorecardForm,
    ScoringItemFormSet,
    SignForm,
    table_rows,
)
from awards.models import Acclaim, AcclaimStatus, Covenant, CovenantStatus, Scorecard
from awards.services import clusters as services
from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.http import file_response
from core.templatetags.portal import vn_number
from organizations.access import Cap, can, check, check_cluster
from organizations.models import Cluster, Organization


def visible_covenants(user):
    """Covenants of the clusters the user sees (through the organizer or a member unit)."""
    visible = Organization.objects.visible_to(user)
    clusters = Cluster.objects.filter(Q(organizer__in=visible) | Q(members__organization__in=visible))
    return Covenant.objects.filter(cluster__in=clusters.values("pk"))


class CovenantListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/covenant_list.html"

    def get_context_data(self, **kwargs):
        covenants = visible_covenants(self.request.user).select_related("cluster__organizer")
        year = self.request.GET.get("year", "")
        if year.isdigit():
            covenants = covenants.filter(year=int(year))
        page = Paginator(covenants.order_by("-year", "cluster__name"), 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, covenants=page.object_list, year=year, **kwargs)


class ClusterCovenantMixin:
    """Loads the cluster of the URL and checks it: 404 when unseen, 403 without the right."""

    capability = Cap.VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.cluster = get_object_or_404(Cluster.objects.select_related("organizer__kind"), pk=kwargs["pk"])
        check_cluster(request.user, self.capability, self.cluster)
        return super().dispatch(request, *args, **kwargs)


class CovenantMixin:
    """Loads the covenant of the URL; access is decided on its cluster, as for the cluster page."""

    capability = Cap.VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.covenant = get_object_or_404(Covenant.objects.select_related("cluster__organizer__kind"), pk=kwargs["pk"])
        self.cluster = self.covenant.cluster
        check_cluster(request.user, self.capability, self.cluster)
        return super().dispatch(request, *args, **kwargs)

    @property
    def can_manage(self):
        return services.can_manage_covenant(self.request.user, self.cluster)

    def back(self):
        return redirect(self.covenant)


class CovenantActionView(CovenantMixin, View):
    """A POST-only state change by the organizer, answered with a message and a redirect.

    Subclasses define ``act()``, which calls one service.
    """

    capability = Cap.MANAGE_CLUSTERS
    http_method_names = ["post"]
    success_message = ""

    def post(self, request, *args, **kwargs):
        try:
            self.act()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.success_message)
        return self.back()


class CovenantCreateView(ClusterCovenantMixin, FormView):
    capability = Cap.MANAGE_CLUSTERS
    form_class = CovenantCreateForm
    template_name = "awards/covenant_create.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cluster": self.cluster}

    def get_initial(self):
        latest = self.cluster.covenants.order_by("-year").first()
        years = self.cluster.members.order_by("-year").values_list("year", flat=True)
        year = max([*years[:1], latest.year + 1 if latest else 0]) or None
        return {"year": year, "copy_from": latest}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cluster=self.cluster, **kwargs)

    def form_valid(self, form):
        try:
            covenant = services.create_covenant(self.cluster, actor=self.request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The covenant “%(name)s” was drafted.") % {"name": covenant.name})
        return redirect("awards:covenant_update", pk=covenant.pk)


class CovenantDetailView(CovenantMixin, TemplateView):
    template_name = "awards/covenant_detail.html"

    def scoring_board(self):
        """For each member unit the user scores for: the cards it owes and has sent."""
        units = list(services.member_units(self.covenant))
        mine = [unit for unit in units if services.can_act_for(self.request.user, unit)]
        sent = set(
            Scorecard.objects.filter(covenant=self.covenant, scorer__in=mine).values_list("scorer_id", "unit_id")
        )
        board = []
        for scorer in mine:
            targets = sorted(units, key=lambda unit: unit.pk != scorer.pk)
            cards = [{"unit": unit, "sent": (scorer.pk, unit.pk) in sent, "own": unit == scorer} for unit in targets]
            board.append(
                {
                    "scorer": scorer,
                    "cards": cards,
                    "self_sent": (scorer.pk, scorer.pk) in sent,
                    "sent_count": sum(card["sent"] for card in cards),
                }
            )
        return board

    def get_context_data(self, **kwargs):
        covenant, user = self.covenant, self.request.user
        items = list(covenant.items.all())
        context = super().get_context_data(
            covenant=covenant,
            cluster=self.cluster,
            items=items,
            max_total=sum(item.max_points for item in items if item.sign > 0),
            members=covenant.cluster.members.filter(year=covenant.year).select_related("organization"),
            can_manage=self.can_manage,
            board=self.scoring_board() if covenant.status != CovenantStatus.DRAFT else [],
            acclaim=Acclaim.objects.filter(covenant=covenant).first(),
            sign_form=SignForm(),
            **kwargs,
        )
        context["can_view_audit"] = can(user, Cap.VIEW_AUDIT, self.cluster.organizer)
        if context["can_view_audit"]:
            context["audit"] = history_entries(covenant.history.all(), limit=10)
        return context


class CovenantUpdateView(CovenantMixin, TemplateView):
    """The draft covenant's year, name and scoring table, saved together."""

    capability = Cap.MANAGE_CLUSTERS
    template_name = "awards/covenant_update.html"

    def get(self, request, *args, **kwargs):
        if self.covenant.status != CovenantStatus.DRAFT:
            messages.info(request, _("The covenant is signed; its table can no longer change."))
            return self.back()
        return super().get(request, *args, **kwargs)

    def build(self, data=None):
        form = CovenantForm(data, instance=self.covenant, prefix="covenant")
        formset = ScoringItemFormSet(data, queryset=self.covenant.items.all(), prefix="items")
        return form, formset

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["formset"] = self.build()
        return super().get_context_data(covenant=self.covenant, cluster=self.cluster, **kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.build(request.POST)
        if form.is_valid() & formset.is_valid():
            try:
                services.update_covenant(
                    self.covenant,
                    actor=request.user,
                    year=form.cleaned_data["year"],
                    name=form.cleaned_data["name"],
                    items=table_rows(formset),
                    expected_version=form.cleaned_data.get("version"),
                )
            except ConflictError as error:
                messages.error(request, error.message)
                return self.render_to_response(self.get_context_data(form=form, formset=formset, conflict=True))
            except DomainError as error:
                if error.field in form.fields:
                    add_domain_error(form, error)
                else:
                    messages.error(request, error.message)
                return self.render_to_response(self.get_context_data(form=form, formset=formset))
            messages.success(request, _("The covenant was saved."))
            return self.back()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class CovenantDeleteView(CovenantActionView):
    def post(self, request, *args, **kwargs):
        try:
            services.delete_covenant(self.covenant, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return self.back()
        messages.success(request, _("The draft covenant was removed."))
        return redirect(self.cluster)


class CovenantSignView(CovenantActionView):
    def act(self):
        form = SignForm(self.request.POST)
        if not form.is_valid():
            raise DomainError(_("Enter the date the covenant was signed."))
        services.sign_covenant(self.covenant, actor=self.request.user, signed_on=form.cleaned_data["signed_on"])
        self.success_message = _("The covenant is signed: member units can now score.")


class CovenantCloseView(CovenantActionView):
    def act(self):
        services.close_covenant(self.covenant, actor=self.request.user)
        self.success_message = _("Scoring is closed; the ranking is final.")


class CovenantReopenView(CovenantActionView):
    def act(self):
        services.reopen_covenant(self.covenant, actor=self.request.user)
        self.success_message = _("Scoring is open again.")


class ScorecardView(CovenantMixin, FormView):
    """The card ``scorer`` fills in for ``unit``: a self-assessment when they are the same."""

    template_name = "awards/scorecard_form.html"
    form_class = ScorecardForm

    def setup_units(self):
        members = services.member_units(self.covenant)
        self.scorer = get_object_or_404(members, pk=self.kwargs["scorer_pk"])
        self.unit = get_object_or_404(members, pk=self.kwargs["unit_pk"])
        # 404 outside the user's reach, 403 when they see the unit but may not score for it.
        check(self.request.user, Cap.VIEW, self.scorer)
        if not services.can_act_for(self.request.user, self.scorer):
            raise PermissionDenied
        self.items = list(self.covenant.items.all())
        self.card = (
            Scorecard.objects.filter(covenant=self.covenant, scorer=self.scorer, unit=self.unit)
            .prefetch_related("scores")
            .first()
        )

    def get(self, request, *args, **kwargs):
        self.setup_units()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_units()
        if self.covenant.status != CovenantStatus.SIGNED:
            messages.error(request, _("Scoring is not open for this covenant."))
            return self.back()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "items": self.items}

    def get_initial(self):
        return ScorecardForm.initial_from(self.card)

    def get_context_data(self, **kwargs):
        own = None
        if self.scorer != self.unit:
            own_card = (
                Scorecard.objects.filter(covenant=self.covenant, scorer=self.unit, unit=self.unit)
                .prefetch_related("scores")
                .first()
            )
            own = {s.item_id: s.points for s in own_card.scores.all()} if own_card else None
        return super().get_context_data(
            covenant=self.covenant,
            scorer=self.scorer,
            unit=self.unit,
            card=self.card,
            own_points=own,
            is_self=self.scorer == self.unit,
            is_open=self.covenant.status == CovenantStatus.SIGNED,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            card = services.save_scorecard(
                self.covenant, scorer=self.scorer, unit=self.unit, actor=self.request.user, points=form.points()
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The card of %(scorer)s for %(unit)s was saved: %(total)s points.")
            % {"scorer": self.scorer.display_name, "unit": self.unit.display_name, "total": vn_number(card.total)},
        )
        return self.back()


class RankingMixin(CovenantMixin):
    """Scores are shown to the organizer at any time and to everyone else once scoring closes,
    so that units do not score each other with the running results in view."""

    def scores_shown(self):
        return self.covenant.status == CovenantStatus.CLOSED or self.can_manage


class RankingView(RankingMixin, TemplateView):
    template_name = "awards/covenant_ranking.html"

    def get_context_data(self, **kwargs):
        shown = self.scores_shown()
        return super().get_context_data(
            covenant=self.covenant,
            cluster=self.cluster,
            rows=services.ranking(self.covenant) if shown else [],
            scores_shown=shown,
            missing=services.missing_cards(self.covenant),
            **kwargs,
        )


class RankingExportView(RankingMixin, View):
    def get(self, request, *args, **kwargs):
        if not self.scores_shown():
            raise PermissionDenied
        return file_response(*RankingExporter(self.covenant).render())


class AcclaimMixin(CovenantMixin):
    def get_acclaim(self):
        try:
            return self.covenant.acclaim
        except Acclaim.DoesNotExist:
            raise Http404 from None


class AcclaimOpenView(CovenantMixin, FormView):
    capability = Cap.MANAGE_CLUSTERS
    form_class = AcclaimOpenForm
    template_name = "awards/acclaim_form.html"

    def refusal(self):
        if Acclaim.objects.filter(covenant=self.covenant).exists():
            return _("The acclaim of this covenant has already been opened.")
        if self.covenant.status != CovenantStatus.CLOSED:
            return _("Close scoring before the acclaim.")
        return None

    def get(self, request, *args, **kwargs):
        if message := self.refusal():
            messages.error(request, message)
            return self.back()
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        rows = services.ranking(self.covenant)
        scores = {row.unit.pk: row.final for row in rows}
        by_rank = Case(
            *[When(pk=row.unit.pk, then=Value(i)) for i, row in enumerate(rows)], output_field=IntegerField()
        )
        units = services.member_units(self.covenant).order_by(by_rank, "name")
        return {**super().get_form_kwargs(), "units": units, "scores": scores}

    def get_initial(self):
        return {"seats": 1, "candidates": services.default_candidates(self.covenant)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(covenant=self.covenant, cluster=self.cluster, **kwargs)

    def form_valid(self, form):
        try:
            services.open_acclaim(self.covenant, actor=self.request.user, **form.cleaned_data)
        except DomainError as error:
            if error.field in form.fields:
                add_domain_error(form, error)
                return self.form_invalid(form)
            messages.error(self.request, error.message)
            return self.back()
        messages.success(self.request, _("Voting is open: each member unit casts one ballot."))
        return redirect("awards:acclaim_detail", pk=self.covenant.pk)


def nomination_url(nomination):
    """The nomination's page, when the nominations pages exist."""
    try:
        return nomination.get_absolute_url()
    except NoReverseMatch:
        return None


class AcclaimDetailView(AcclaimMixin, TemplateView):
    template_name = "awards/acclaim_detail.html"

    def ballots(self, acclaim, candidates, bound=None):
        """A ballot form for each member unit the user represents and that has not voted."""
        voted = set(acclaim.voters.values_list("unit_id", flat=True))
        forms = []
        for unit in services.member_units(self.covenant):
            if unit.pk in voted or not services.can_vote_for(self.request.user, unit):
                continue
            if bound is not None and bound.prefix == f"ballot-{unit.pk}":
                forms.append((unit, bound))
            else:
                forms.append((unit, BallotForm(acclaim=acclaim, candidates=candidates, prefix=f"ballot-{unit.pk}")))
        return forms

    def get_context_data(self, bound=None, **kwargs):
        acclaim = self.get_acclaim()
        scores = {row.unit.pk: row.final for row in services.ranking(self.covenant)}
        candidates = acclaim.candidates.order_by("name")
        closed = acclaim.status == AcclaimStatus.CLOSED
        voters = list(acclaim.voters.select_related("unit").order_by("unit__name"))
        context = {
            "covenant": self.covenant,
            "cluster": self.cluster,
            "acclaim": acclaim,
            "candidates": sorted(
                ((unit, scores.get(unit.pk)) for unit in candidates), key=lambda pair: -(pair[1] or 0)
            ),
            "voters": voters,
            "member_count": services.member_units(self.covenant).count(),
            "can_manage": self.can_manage,
            "is_open": not closed,
            "ballots": self.ballots(acclaim, candidates, bound) if not closed else [],
            # Counts stay hidden until the organizer closes the vote.
            "tallies": acclaim.tallies.select_related("candidate") if closed else [],
            "nominations": [(n, nomination_url(n)) for n in services.flag_nominations(acclaim)] if closed else [],
            "majority": len(voters) // 2 + 1,
        }
        return super().get_context_data(**context, **kwargs)


class AcclaimVoteView(AcclaimDetailView):
    """Cast the ballot of the unit in the URL."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        acclaim = self.get_acclaim()
        unit = get_object_or_404(services.member_units(self.covenant), pk=kwargs["unit_pk"])
        check(request.user, Cap.VIEW, unit)
        if not services.can_vote_for(request.user, unit):
            raise PermissionDenied
        form = BallotForm(
            request.POST, acclaim=acclaim, candidates=acclaim.candidates.order_by("name"), prefix=f"ballot-{unit.pk}"
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bound=form))
        try:
            services.cast_ballot(acclaim, voter=unit, actor=request.user, choices=form.cleaned_data["choices"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The ballot of %(unit)s was cast.") % {"unit": unit.display_name})
        return redirect("awards:acclaim_detail", pk=self.covenant.pk)


class AcclaimCloseView(AcclaimMixin, View):
    capability = Cap.MANAGE_CLUSTERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            nominations = services.close_acclaim(self.get_acclaim(), actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if nominations:
                names = ", ".join(n.organization.display_name for n in nominations)
                messages.success(
                    request,
                    _("The votes were counted. Acclaimed and proposed for the flag: %(units)s.") % {"units": names},
                )
            else:
                messages.warning(request, _("The votes were counted. No unit won more than half of the votes."))
        return redirect("awards:acclaim_detail", pk=self.covenant.pk)
