"""Award decisions: list, drafting, issuing, signing, downloads, certificates, revoking."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from awards import printing
from awards.exporters import DecisionListExporter
from awards.forms.decisions import DecisionForm, RevokeForm
from awards.models import Decision, DecisionStatus, Disclosure
from awards.services import decisions as services
from campaigns.forms import SignForm
from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.http import file_response
from core.mixins import ConflictMixin
from documents.models import Issuer, SignedDocument, SigningCertificate
from documents.services import default_issuer_values, save_issuer
from organizations.access import Cap, can, units_with
from organizations.models import Organization
from organizations.views.units import ParentMixin


def visible_decisions(user):
    """Decisions the user may open. Drafts stay with the deciding unit's own users; the
    nominators' users see a decision once it is issued."""
    own = Organization.objects.visible_to(user).values("pk")
    return Decision.objects.visible_to(user).filter(~Q(status=DecisionStatus.DRAFT) | Q(organization__in=own))


def link(name, pk):
    """A link to another concept's page, or None while that page does not exist."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


class DecisionListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/decision_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        decisions = visible_decisions(user).select_related("organization", "issuer")
        year, status = self.request.GET.get("year", ""), self.request.GET.get("status", "")
        if year.isdigit():
            decisions = decisions.filter(year=int(year))
        if status in DecisionStatus.values:
            decisions = decisions.filter(status=status)
        page = Paginator(
            decisions.annotate(awardees=Count("entries"), amount=Sum("entries__amount")).order_by(
                "-issued_on", "-number", "organization__name"
            ),
            25,
        ).get_page(self.request.GET.get("page"))
        years = visible_decisions(user).values_list("year", flat=True).distinct().order_by("-year")
        return super().get_context_data(
            page_obj=page,
            decisions=page.object_list,
            years=list(years),
            year=year,
            status=status,
            statuses=DecisionStatus.choices,
            managed_units=units_with(user, Cap.MANAGE_AWARDS).order_by("name"),
            **kwargs,
        )


class DecisionMixin:
    """A decision the user cannot see is a 404; a right they lack on its unit, 403."""

    capability = Cap.VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.decision = get_object_or_404(
            visible_decisions(request.user).select_related("organization__kind", "issuer", "disclosure"),
            pk=kwargs["pk"],
        )
        if self.capability != Cap.VIEW and not can(request.user, self.capability, self.decision.organization):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, unit = self.request.user, self.decision.organization
        context.update(
            decision=self.decision,
            organization=unit,
            can_manage=can(user, Cap.MANAGE_AWARDS, unit),
            can_sign=can(user, Cap.SIGN_DOCUMENTS, unit),
        )
        return context


class IssuedOnlyMixin:
    """Certificates exist for an issued decision only: a draft has none yet, a revoked one no more."""

    def refuse_unless_issued(self):
        if self.decision.status == DecisionStatus.ISSUED:
            return None
        if self.decision.status == DecisionStatus.REVOKED:
            messages.warning(self.request, _("The decision was revoked; its certificates are no longer issued."))
        else:
            messages.warning(self.request, _("Certificates are printed once the decision is issued."))
        return redirect(self.decision)


# Drafting ------------------------------------------------------------------------------------


class DecisionCreateView(ParentMixin, FormView):
    capability = Cap.MANAGE_AWARDS
    template_name = "awards/decision_form.html"
    form_class = DecisionForm

    def chosen_disclosure(self):
        pk = self.request.GET.get("disclosure", "")
        if not pk.isdigit():
            return None
        return Disclosure.objects.filter(organization=self.get_object(), pk=int(pk)).first()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.get_object()}

    def get_initial(self):
        return services.decision_defaults(self.get_object(), disclosure=self.chosen_disclosure())

    def get_context_data(self, **kwargs):
        unit = self.get_object()
        return super().get_context_data(
            has_issuer=Issuer.objects.usable_by(unit).exists(),
            default_issuer=default_issuer_values(unit),
            disclosures=services.disclosures_of(unit),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            decision = services.create_decision(self.get_object(), actor=self.request.user, data=form.domain_data())
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The draft decision %(number)s was saved with %(count)s awardee(s).")
            % {"number": decision.number_line, "count": decision.entries.count()},
        )
        return redirect(decision)


class DecisionIssuerCreateView(ParentMixin, View):
    """Create the unit's own issuer (its header lines) when it has none, from the defaults."""

    capability = Cap.MANAGE_AWARDS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        unit = self.get_object()
        if not Issuer.objects.usable_by(unit).exists():
            try:
                save_issuer(actor=request.user, unit=unit, data=default_issuer_values(unit))
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("awards:decision_create", pk=unit.pk)
            messages.success(request, _("The unit's issuer was created; check its header lines on the documents page."))
        return redirect("awards:decision_create", pk=unit.pk)


class DecisionUpdateView(ConflictMixin, DecisionMixin, FormView):
    capability = Cap.MANAGE_AWARDS
    template_name = "awards/decision_form.html"
    form_class = DecisionForm

    def get(self, request, *args, **kwargs):
        if self.decision.status != DecisionStatus.DRAFT:
            messages.warning(request, _("Only a draft decision can be changed."))
            return redirect(self.decision)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.decision.organization, "instance": self.decision}

    def get_context_data(self, **kwargs):
        unit = self.decision.organization
        return super().get_context_data(has_issuer=True, disclosures=services.disclosures_of(unit), **kwargs)

    def form_valid(self, form):
        try:
            decision = services.update_decision(
                Decision.objects.get(pk=self.decision.pk),
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, Decision.objects.get(pk=self.decision.pk))
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect(decision)


# Detail and state changes --------------------------------------------------------------------


class DecisionDetailView(DecisionMixin, TemplateView):
    template_name = "awards/decision_detail.html"

    def get_context_data(self, **kwargs):
        decision = self.decision
        user = self.request.user
        entries = list(
            decision.entries.select_related("person__organization", "organization", "title", "award_form", "nomination")
        )
        for entry in entries:
            entry.link = link("awards:nomination_detail", entry.nomination_id) if entry.nomination_id else None
        return super().get_context_data(
            entries=entries,
            total=sum(entry.amount for entry in entries),
            signed=SignedDocument.objects.filter(
                content_type__app_label="awards", content_type__model="decision", object_id=decision.pk
            ).select_related("signed_by"),
            disclosure_link=link("awards:disclosure_detail", decision.disclosure_id)
            if decision.disclosure_id
            else None,
            revoke_form=RevokeForm(),
            audit=history_entries(decision.history.all()) if can(user, Cap.VIEW_AUDIT, decision.organization) else None,
            **kwargs,
        )


class DecisionIssueView(DecisionMixin, View):
    capability = Cap.MANAGE_AWARDS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = request.POST.get("version", "")
        try:
            decision = services.issue_decision(
                self.decision, actor=request.user, expected_version=int(version) if version.isdigit() else None
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.decision)
        messages.success(
            request,
            _("Decision %(number)s is issued: %(count)s awardee(s) recorded.")
            % {"number": decision.number_line, "count": decision.honours.count()},
        )
        return redirect(decision)


class DecisionRevokeView(DecisionMixin, View):
    capability = Cap.MANAGE_AWARDS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = RevokeForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            decision = services.revoke_decision(self.decision, actor=request.user, reason=reason)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.decision)
        messages.success(
            request,
            _("Decision %(number)s is revoked; the titles and awards it gave are marked revoked.")
            % {"number": decision.number_line},
        )
        return redirect(decision)


class DecisionSignView(DecisionMixin, FormView):
    """Sign the issued decision with a certificate of the unit, passphrase typed now."""

    capability = Cap.SIGN_DOCUMENTS
    template_name = "awards/decision_sign.html"
    form_class = SignForm

    def get_form_kwargs(self):
        certificates = SigningCertificate.objects.usable_by(self.decision.organization)
        return {**super().get_form_kwargs(), "certificates": certificates}

    def form_valid(self, form):
        try:
            document = services.sign_decision(
                self.decision,
                actor=self.request.user,
                certificate=form.cleaned_data["certificate"],
                passphrase=form.cleaned_data["passphrase"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The decision is signed by %(holder)s. Its SHA-256 is %(digest)s.")
            % {"holder": document.signer_name, "digest": document.sha256},
        )
        return redirect(self.decision)


# Downloads -----------------------------------------------------------------------------------


class DecisionPdfView(DecisionMixin, View):
    """The decision and its list as an unsigned PDF ("bản chưa ký" in the file name)."""

    def get(self, request, *args, **kwargs):
        return file_response(*printing.decision_pdf(self.decision))


class DecisionSignedView(DecisionMixin, View):
    def get(self, request, *args, **kwargs):
        document = SignedDocument.objects.filter(
            content_type__app_label="awards",
            content_type__model="decision",
            object_id=self.decision.pk,
            pk=kwargs["document_pk"],
        ).first()
        if document is None:
            raise Http404
        with document.file.open("rb") as handle:
            content = handle.read()
        return file_response(printing.decision_filename(self.decision, signed=True), "application/pdf", content)


class DecisionExportView(DecisionMixin, View):
    def get(self, request, *args, **kwargs):
        return file_response(*DecisionListExporter(self.decision).render())


class DecisionCertificatesView(IssuedOnlyMixin, DecisionMixin, TemplateView):
    """The certificates as a print page (A4 landscape, one per sheet)."""

    template_name = "awards/decision_certificates.html"

    def get(self, request, *args, **kwargs):
        return self.refuse_unless_issued() or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(sheets=printing.certificate_sheets(self.decision), **kwargs)


class DecisionCertificatePdfView(IssuedOnlyMixin, DecisionMixin, View):
    """One awardee's certificate as a PDF, or all of them (one page each) without ``entry_pk``."""

    def get(self, request, *args, **kwargs):
        refused = self.refuse_unless_issued()
        if refused:
            return refused
        entry = None
        if "entry_pk" in kwargs:
            entry = get_object_or_404(self.decision.entries, pk=kwargs["entry_pk"])
        return file_response(*printing.certificate_pdf(self.decision, entry))
