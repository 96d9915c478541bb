"""Nominations and their review: the lists, the form, the dossier with its live eligibility
check, the reviewers' actions, and the proposals (tờ trình) that carry nominations upward."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from awards.eligibility import FAIL, check_nomination, overall
from awards.forms.nominations import (
    BulkForwardForm,
    EvidenceForm,
    NominationFilterSet,
    NominationForm,
    OverrideForm,
    ReturnForm,
    entry_code,
)
from awards.models import Nomination, NominationStatus, Proposal
from awards.services import nominations as services
from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.http import file_response, stored_file_response
from core.mixins import ConflictMixin
from documents.models import Issuer
from documents.official import official_context
from documents.rendering import html_to_pdf
from documents.services import default_issuer_values
from organizations.access import Cap, can, can_see, check, reach, units_with
from organizations.models import Level, Organization, Person

PENDING, READY, DRAFT = NominationStatus.PENDING, NominationStatus.READY, NominationStatus.DRAFT
UNDER_REVIEW = [PENDING, READY]
CANDIDATES_SHOWN = 100


def nominations_for(user):
    return Nomination.objects.visible_to(user).select_related(
        "person__organization", "organization", "nominator", "holder", "deciding_unit", "title", "award_form"
    )


def with_overall(nominations):
    """Each nomination with ``overall``: the result of its last recorded check (None: never checked)."""
    for nomination in nominations:
        nomination.overall = overall(nomination.checks) if nomination.checks else None
    return nominations


class Rights:
    """What one user may do with one nomination; the template shows only these actions."""

    def __init__(self, user, nomination):
        self.nomination = nomination
        self.nominate = can(user, Cap.NOMINATE, nomination.nominator)
        self.review = can(user, Cap.REVIEW_AWARDS, nomination.holder)

    @property
    def edit(self):
        return self.nominate and self.nomination.status == DRAFT

    @property
    def check(self):
        return self.review and self.nomination.status in UNDER_REVIEW

    @property
    def forward(self):
        n = self.nomination
        return (
            self.review and n.status == PENDING and n.holder_id != n.deciding_unit_id and n.holder.parent_id is not None
        )

    @property
    def accept(self):
        n = self.nomination
        return self.review and n.status == PENDING and n.holder_id == n.deciding_unit_id

    @property
    def send_back(self):
        return self.check

    @property
    def any_review(self):
        return self.check or self.forward or self.accept


# Lists ---------------------------------------------------------------------------------


def filter_units(user):
    return (
        Organization.objects.visible_to(user).filter(kind__level__lte=Level.GRASSROOTS).order_by("kind__level", "name")
    )


class NominationListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/nomination_list.html"
    tabs = ("mine", "review")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        tab = self.request.GET.get("tab") if self.request.GET.get("tab") in self.tabs else "mine"
        reviewing = reach(user, Cap.REVIEW_AWARDS).values("pk")
        base = {
            "mine": nominations_for(user).filter(nominator__in=Organization.objects.visible_to(user).values("pk")),
            "review": nominations_for(user).filter(holder__in=reviewing, status__in=UNDER_REVIEW),
        }
        filterset = NominationFilterSet(self.request.GET or None, queryset=base[tab], units=filter_units(user))
        results = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
        page = Paginator(results, 25).get_page(self.request.GET.get("page"))
        year = filterset.form.cleaned_data.get("year") if filterset.is_bound and filterset.is_valid() else None
        nominations = with_overall(list(page.object_list))
        context.update(
            tab=tab,
            filter=filterset,
            page_obj=page,
            nominations=nominations,
            review_count=base["review"].count(),
            can_review=reach(user, Cap.REVIEW_AWARDS).exists(),
            forwardable={n.pk for n in nominations if n.status == PENDING and n.holder_id != n.deciding_unit_id},
            candidate_year=year or timezone.localdate().year,
            candidate_groups=self.candidate_groups(user, year or timezone.localdate().year),
            nominating_units=list(units_with(user, Cap.NOMINATE).order_by("kind__level", "name")),
        )
        return context

    def candidate_groups(self, user, year):
        """Per unit where the user nominates: registered candidates not yet nominated, with prefilled links."""
        groups = []
        for unit in units_with(user, Cap.NOMINATE).select_related("kind").order_by("kind__level", "name")[:10]:
            rows = []
            found = services.candidates(unit, year)
            shown = found[:CANDIDATES_SHOWN]
            # The panel names each candidate's unit: load them in two queries, not one per row.
            prefetch_related_objects([n for n, _t in shown if isinstance(n, Person)], "organization")
            prefetch_related_objects([n for n, _t in shown if isinstance(n, Organization)], "parent")
            for nominee, title in shown:
                collective = isinstance(nominee, Organization)
                query = {
                    "kind": "collective" if collective else "individual",
                    "organization" if collective else "person": nominee.pk,
                    "entry": entry_code(title),
                    "year": year,
                }
                url = reverse("awards:nomination_create", args=[unit.pk]) + "?" + urlencode(query)
                rows.append({"nominee": nominee, "collective": collective, "title": title, "url": url})
            if rows:
                groups.append({"unit": unit, "rows": rows, "more": len(found) - len(rows)})
        return groups


class NominationBulkForwardView(LoginRequiredMixin, View):
    """Forward the ticked nominations as one proposal; a failed nominee needs its own page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        reviewing = reach(request.user, Cap.REVIEW_AWARDS)
        if not reviewing.exists():
            raise PermissionDenied
        queryset = nominations_for(request.user).filter(holder__in=reviewing.values("pk"), status=PENDING)
        form = BulkForwardForm(request.POST, queryset=queryset)
        back = reverse("awards:nomination_list") + "?tab=review"
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(back)
        try:
            proposal = services.forward_nominations(
                list(form.cleaned_data["nominations"]), actor=request.user, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(back)
        messages.success(request, forwarded_message(proposal))
        return redirect("awards:proposal_detail", proposal.pk)


def forwarded_message(proposal):
    count = proposal.nominations.count()
    return _("%(count)s nomination(s) forwarded to %(unit)s in one proposal (tờ trình).") % {
        "count": count,
        "unit": proposal.to_unit,
    }


# Create and edit -----------------------------------------------------------------------


class NominationCreateView(LoginRequiredMixin, FormView):
    template_name = "awards/nomination_form.html"
    form_class = NominationForm
    prefilled = ("kind", "person", "organization", "entry", "year", "award_kind", "campaign")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.unit = get_object_or_404(Organization, pk=kwargs["pk"])
            check(request.user, Cap.NOMINATE, self.unit)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        # Links from the candidates panel name the nominee and the title.
        return {name: self.request.GET[name] for name in self.prefilled if self.request.GET.get(name)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.unit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)

    def form_valid(self, form):
        try:
            nomination = services.create_nomination(self.unit, actor=self.request.user, data=form.domain_data())
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The nomination of %(nominee)s was saved as a draft.") % {"nominee": nomination.nominee}
        )
        return redirect(nomination)


class NominationMixin(LoginRequiredMixin):
    """Loads the nomination among those the user sees (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.nomination = get_object_or_404(nominations_for(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class NominationUpdateView(ConflictMixin, NominationMixin, FormView):
    template_name = "awards/nomination_form.html"
    form_class = NominationForm

    def get(self, request, *args, **kwargs):
        return self.guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.guard() or super().post(request, *args, **kwargs)

    def guard(self):
        if not can(self.request.user, Cap.NOMINATE, self.nomination.nominator):
            raise PermissionDenied
        if self.nomination.status != DRAFT:
            messages.error(self.request, _("Only a nomination not yet sent can be changed."))
            return redirect(self.nomination)
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.nomination.nominator, "instance": self.nomination}

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.nomination.nominator, nomination=self.nomination, **kwargs)

    def form_valid(self, form):
        try:
            services.update_nomination(
                self.nomination,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, self.nomination)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect(self.nomination)


# The dossier ---------------------------------------------------------------------------


def detail_context(request, nomination, **forms):
    """Everything the dossier page shows; ``forms`` replaces the blank action forms (after an error)."""
    user = request.user
    rights = Rights(user, nomination)
    checks = check_nomination(nomination)
    live = overall(checks)
    used, cap = services.quota_use(nomination.deciding_unit, nomination.entry, nomination.year)
    forms = {
        "evidence_form": EvidenceForm(prefix="evidence"),
        "forward_form": OverrideForm(prefix="forward"),
        "accept_form": OverrideForm(prefix="accept"),
        "return_form": ReturnForm(prefix="return"),
        **forms,
    }
    return {
        "nomination": nomination,
        "rights": rights,
        "checks": checks,
        "overall": live,
        "needs_override": live == FAIL,
        "recorded_overall": overall(nomination.checks) if nomination.checks else None,
        "quota_used": used,
        "quota_cap": cap,
        "evidence": list(nomination.evidence.select_related("uploaded_by")),
        "events": list(nomination.events.select_related("unit", "actor")),
        "proposals": [
            p for p in nomination.proposals.select_related("from_unit", "to_unit") if proposal_visible(user, p)
        ],
        "audit": history_entries(nomination.history.all()) if can(user, Cap.VIEW_AUDIT, nomination.nominator) else None,
        **forms,
    }


class NominationDetailView(NominationMixin, TemplateView):
    template_name = "awards/nomination_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**detail_context(self.request, self.nomination), **kwargs)


class NominationActionView(NominationMixin, View):
    """A POST on a nomination: check the right, validate the small form, call one service.

    A refusal about a field of the form shows the dossier again with the user's input;
    any other refusal comes back as a message. Subclasses define ``act(data)``, which calls
    one service, and ``message(result)``.
    """

    http_method_names = ["post"]
    capability = Cap.REVIEW_AWARDS
    form_class = None
    form_name = None

    @property
    def prefix(self):
        # The dossier page shows several small forms; prefixes keep their field ids apart.
        return self.form_name.removesuffix("_form") if self.form_name else None

    def access_unit(self):
        return self.nomination.holder if self.capability == Cap.REVIEW_AWARDS else self.nomination.nominator

    def post(self, request, *args, **kwargs):
        if not can(request.user, self.capability, self.access_unit()):
            raise PermissionDenied
        form = self.form_class(request.POST, request.FILES, prefix=self.prefix) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.show_again(form)
        try:
            result = self.act(form.cleaned_data if form else {})
        except DomainError as error:
            if form is not None and error.field in form.fields:
                add_domain_error(form, error)
                return self.show_again(form)
            messages.error(request, error.message)
            return redirect(self.nomination)
        messages.success(request, self.message(result))
        return redirect(self.next_url(result))

    def show_again(self, form):
        context = detail_context(self.request, self.nomination, **{self.form_name: form})
        return render(self.request, NominationDetailView.template_name, context)

    def next_url(self, result):
        return self.nomination.get_absolute_url()


class NominationSubmitView(NominationActionView):
    capability = Cap.NOMINATE

    def act(self, data):
        return services.submit_nomination(self.nomination, actor=self.request.user)

    def message(self, nomination):
        if nomination.status == READY:
            return _("The nomination is ready for the council of %(unit)s.") % {"unit": nomination.holder}
        return _("The nomination was sent to %(unit)s for review.") % {"unit": nomination.holder}


class NominationDeleteView(NominationActionView):
    capability = Cap.NOMINATE

    def act(self, data):
        services.delete_nomination(self.nomination, actor=self.request.user)

    def message(self, result):
        return _("The draft nomination of %(nominee)s was deleted.") % {"nominee": self.nomination.nominee}

    def next_url(self, result):
        return reverse("awards:nomination_list")


class NominationCheckView(NominationActionView):
    def act(self, data):
        return services.record_check(self.nomination, actor=self.request.user)

    def message(self, nomination):
        return _("The eligibility check was recorded in the dossier.")


class NominationForwardView(NominationActionView):
    form_class = OverrideForm
    form_name = "forward_form"

    def act(self, data):
        return services.forward_nominations(
            [self.nomination],
            actor=self.request.user,
            overrides={self.nomination.pk: data["override_reason"]},
            note=data["note"],
        )

    def message(self, proposal):
        return forwarded_message(proposal)

    def next_url(self, proposal):
        return reverse("awards:proposal_detail", args=[proposal.pk])


class NominationAcceptView(NominationActionView):
    form_class = OverrideForm
    form_name = "accept_form"

    def act(self, data):
        return services.accept_nomination(
            self.nomination, actor=self.request.user, override_reason=data["override_reason"]
        )

    def message(self, nomination):
        return _("The nomination goes before the council of %(unit)s.") % {"unit": nomination.holder}


class NominationReturnView(NominationActionView):
    form_class = ReturnForm
    form_name = "return_form"

    def act(self, data):
        return services.return_nomination(self.nomination, actor=self.request.user, note=data["note"])

    def message(self, nomination):
        return _("The nomination was sent back to %(unit)s.") % {"unit": nomination.nominator}


class EvidenceUploadView(NominationActionView):
    capability = Cap.NOMINATE
    form_class = EvidenceForm
    form_name = "evidence_form"

    def act(self, data):
        return services.add_evidence(self.nomination, actor=self.request.user, uploaded=data["file"])

    def message(self, evidence):
        return _("The file %(name)s was added to the dossier.") % {"name": evidence.original_name}


class EvidenceMixin(NominationMixin):
    def evidence(self):
        return get_object_or_404(self.nomination.evidence, pk=self.kwargs["evidence_pk"])


class EvidenceDownloadView(EvidenceMixin, View):
    """Evidence is served only here, after the access check: its stored name is random."""

    def get(self, request, *args, **kwargs):
        return stored_file_response(self.evidence())


class EvidenceDeleteView(EvidenceMixin, NominationActionView):
    capability = Cap.NOMINATE

    def act(self, data):
        evidence = self.evidence()
        services.delete_evidence(evidence, actor=self.request.user)
        return evidence

    def message(self, evidence):
        return _("The file %(name)s was removed.") % {"name": evidence.original_name}


# Proposals -----------------------------------------------------------------------------


def proposal_visible(user, proposal):
    return can_see(user, proposal.from_unit) or can_see(user, proposal.to_unit)


class ProposalMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.proposal = get_object_or_404(
                Proposal.objects.select_related("from_unit", "to_unit", "created_by"), pk=kwargs["pk"]
            )
            if not proposal_visible(request.user, self.proposal):
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class ProposalDetailView(ProposalMixin, TemplateView):
    template_name = "awards/proposal_detail.html"

    def get_context_data(self, **kwargs):
        nominations = self.proposal.nominations.select_related(
            "person__organization", "organization", "nominator", "holder", "title", "award_form"
        ).order_by("pk")
        return super().get_context_data(proposal=self.proposal, nominations=with_overall(list(nominations)), **kwargs)


class ProposalPdfView(ProposalMixin, View):
    def get(self, request, *args, **kwargs):
        return file_response(*proposal_pdf(self.proposal))


def issuer_of(unit):
    """The unit's own header, or the default one when it has not set one up yet (never saved here)."""
    issuer = Issuer.objects.usable_by(unit).first()
    return issuer or Issuer(**default_issuer_values(unit))


def proposal_rows(proposal):
    """The proposal's list as printed: who, where, what, and how the criteria check came out."""
    rows = []
    nominations = proposal.nominations.select_related(
        "person__organization", "organization__parent", "title", "award_form"
    ).order_by("pk")
    for nomination in nominations:
        person, unit = nomination.person, nomination.organization
        result = overall(nomination.checks) if nomination.checks else None
        if result == "pass":
            check_text = "Đạt"
        elif result == FAIL:
            reason = nomination.override_reason or "không ghi"
            check_text = f"Chưa đạt – lý do chuyển tiếp: {reason}"
        else:
            check_text = "Chưa đủ dữ liệu để kết luận"
        rows.append(
            {
                "name": person.full_name if person else unit.name,
                "position": person.position if person else "",
                "unit": (person.organization if person else (unit.parent or unit)).name,
                "entry": nomination.entry.name,
                "check": check_text,
            }
        )
    return rows


def proposal_pdf(proposal):
    """``(filename, content_type, bytes)`` of a proposal (tờ trình), in the national format."""
    issuer = issuer_of(proposal.from_unit)
    doc = official_context(
        issuer=issuer,
        doc_type_code="to-trinh",
        number=proposal.number,
        issued_on=proposal.created_on,
        year=proposal.year,
        subject=f"Về việc đề nghị xét khen thưởng năm {proposal.year}",
        signer_lines=[f"TM. {issuer.name.replace(chr(10), ' ')}"],
        recipients=["Như trên", "Lưu: VT"],
    )
    html = render_to_string(
        "documents/proposal.html", {"doc": doc, "proposal": proposal, "rows": proposal_rows(proposal)}
    )
    return f"to-trinh-{proposal.pk}-{proposal.year}.pdf", "application/pdf", html_to_pdf(html)
