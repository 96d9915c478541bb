"""Plan pages: list, create, detail with the document preview, header, lifecycle, files."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from campaigns import interchange, services
from campaigns.forms import CampaignForm, CloneForm, JsonUploadForm, ReasonForm, number_written
from campaigns.models import Campaign, Status
from campaigns.views.base import CampaignMixin, EditableCampaignMixin
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.http import file_response
from core.mixins import ConflictMixin
from core.uploads import check_size
from documents.models import DocumentType, Issuer, SignedDocument
from documents.rendering import document_context, html_to_pdf, pdf_filename, render_html
from documents.services import default_issuer_values, save_issuer
from organizations.access import Cap, can, prime_roles, units_with
from organizations.models import Organization
from reports import overview as reports_overview
from targets.models import Allocation


def managed_units(user):
    """Units whose plans the user manages (their own units with the right)."""
    return units_with(user, Cap.MANAGE_CAMPAIGNS).filter(is_active=True).order_by("kind__level", "name")


class CampaignListView(LoginRequiredMixin, TemplateView):
    template_name = "campaigns/campaign_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = Campaign.objects.visible_to(self.request.user).select_related("owner", "issuer", "doc_type")
        year = self.request.GET.get("year", "")
        status = self.request.GET.get("status", "")
        if year.isdigit():
            campaigns = campaigns.filter(year=int(year))
        if status in Status.values:
            campaigns = campaigns.filter(status=status)
        page = Paginator(campaigns.order_by("-year", "-issued_on", "owner__name"), 25).get_page(
            self.request.GET.get("page")
        )
        years = (
            Campaign.objects.visible_to(self.request.user).values_list("year", flat=True).distinct().order_by("-year")
        )
        context.update(
            page_obj=page,
            campaigns=page.object_list,
            years=list(years),
            year=year,
            status=status,
            statuses=Status.choices,
            can_create=managed_units(self.request.user).exists() or self.request.user.is_superuser,
        )
        return context


def ensure_issuer(unit, actor):
    """A union unit gets its own issuer the first time it writes a plan."""
    issuer = Issuer.objects.usable_by(unit).filter(organization=unit).first()
    if issuer is None:
        issuer = save_issuer(actor=actor, unit=unit, data=default_issuer_values(unit))
    return issuer


class CampaignCreateView(LoginRequiredMixin, FormView):
    template_name = "campaigns/campaign_form.html"
    form_class = CampaignForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        units = managed_units(request.user)
        # The unit comes from the address or the form: anything but a plain number is no unit (not a 500).
        unit_id = str(request.GET.get("unit") or request.POST.get("unit") or "")
        chosen = units.filter(pk=unit_id).first() if unit_id.isascii() and unit_id.isdigit() else None
        self.owner = chosen or units.first()
        if self.owner is None:
            raise PermissionDenied
        ensure_issuer(self.owner, request.user)
        self.units = units
        return super().dispatch(request, *args, **kwargs)

    def parent_choices(self):
        return Campaign.objects.visible_to(self.request.user).exclude(status=Status.DRAFT)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner": self.owner, "parents": self.parent_choices()}

    def get_initial(self):
        year = timezone.localdate().year
        issuer = Issuer.objects.usable_by(self.owner).first()
        initial = {
            "issuer": issuer,
            "doc_type": DocumentType.objects.filter(code="ke-hoach").first(),
            "year": year,
            "kind": "regular",
            "signer_collective_authority": "tm",
            "signer_collective": "BAN THƯỜNG VỤ",
            "signer_title": "CHỦ TỊCH",
            "place": issuer.place if issuer else "",
        }
        parent = self.answered_plan()
        if parent is not None:
            # A plan answering the upper level's one: same year, kind and subject to start from.
            initial.update(parent=parent, year=parent.year, kind=parent.kind, subject=parent.subject)
        return initial

    def answered_plan(self):
        """The published plan named by ?parent=, when the user can see it."""
        pk = self.request.GET.get("parent", "")
        if not pk.isdigit():
            return None
        return self.parent_choices().filter(pk=pk).first()

    def get_context_data(self, **kwargs):
        initial = self.get_initial()
        suggested = (
            services.suggest_number(initial["issuer"], initial["doc_type"], initial["year"])
            if initial["issuer"] and initial["doc_type"]
            else None
        )
        return super().get_context_data(owner=self.owner, units=self.units, suggested_number=suggested, **kwargs)

    def form_valid(self, form):
        try:
            campaign = services.create_campaign(
                actor=self.request.user,
                owner=self.owner,
                data=form.domain_data(),
                scope_kinds=form.cleaned_data["scope_kinds"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The draft plan was created. Write its parts from the list on the left."),
        )
        return redirect(campaign)


class CampaignUpdateView(ConflictMixin, EditableCampaignMixin, FormView):
    capability = Cap.MANAGE_CAMPAIGNS
    template_name = "campaigns/campaign_form.html"
    form_class = CampaignForm

    def get_form_kwargs(self):
        parents = (
            Campaign.objects.visible_to(self.request.user).exclude(status=Status.DRAFT).exclude(pk=self.campaign.pk)
        )
        return {
            **super().get_form_kwargs(),
            "instance": self.campaign,
            "owner": self.campaign.owner,
            "parents": parents,
        }

    def get_context_data(self, **kwargs):
        campaign = self.campaign
        suggested = services.suggest_number(campaign.issuer, campaign.doc_type, campaign.number_year)
        return super().get_context_data(owner=campaign.owner, suggested_number=suggested, **kwargs)

    def form_valid(self, form):
        try:
            services.update_campaign(
                self.campaign,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
                scope_kinds=form.cleaned_data["scope_kinds"],
            )
        except ConflictError as error:
            return self.render_conflict(form, error, self.campaign)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect(self.campaign)


def allocation_summary(campaign):
    """Per target: plan, total allocated by the owner, and the remainder."""
    allocated = dict(
        Allocation.objects.filter(target__campaign=campaign, allocated_by=campaign.owner)
        .values_list("target_id")
        .annotate(total=Sum("value"))
    )
    rows = []
    for target in campaign.targets.select_related("group"):
        total = allocated.get(target.pk)
        rows.append(
            {
                "target": target,
                "allocated": total,
                "remainder": (target.plan_value - total)
                if (target.plan_value is not None and total is not None)
                else None,
                "number_ok": number_written(target.plan_value, target.text),
            }
        )
    return rows


class CampaignDetailView(CampaignMixin, TemplateView):
    template_name = "campaigns/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        data = interchange.export_campaign(campaign, allocations=False)
        context.update(
            doc=document_context(data, draft=campaign.status == Status.DRAFT or bool(campaign.amendment_reason)),
            rounds=campaign.rounds.prefetch_related("commemorations"),
            targets=allocation_summary(campaign),
            deadlines=campaign.deadlines.select_related("round"),
            versions=campaign.versions.select_related("created_by"),
            signed=SignedDocument.objects.filter(content_type__model="campaign", object_id=campaign.pk).select_related(
                "signed_by"
            ),
            responses=Campaign.objects.visible_to(self.request.user).filter(parent=campaign).select_related("owner"),
            problems=self.publication_problems() if campaign.status == Status.DRAFT else [],
            allocation_units=self.allocation_units(),
            answering_units=self.answering_units(),
            **dict(zip(("my_units", "my_boards"), reports_overview.for_user(self.request.user, campaign), strict=True)),
            sections=campaign.sections.annotate(clause_count=Count("clauses")),
            groups=campaign.target_groups.annotate(target_count=Count("targets")),
        )
        return context

    PROBLEM_PAGES = {
        "header": "campaigns:campaign_update",
        "sections": "campaigns:section_list",
        "recipients": "campaigns:recipient_list",
        "rounds": "campaigns:round_list",
    }

    def publication_problems(self):
        """Each problem with a link to the page where it is put right."""
        return [
            (message, reverse(self.PROBLEM_PAGES[part], args=[self.campaign.pk]))
            for part, message in services.publication_checklist(self.campaign)
        ]

    def answering_units(self):
        """Units below the owner, taking part, whose plans the user writes: they may answer this plan."""
        if self.campaign.status != Status.PUBLISHED:
            return []
        return list(
            managed_units(self.request.user)
            .filter(pk__in=self.campaign.participants().values("pk"))
            .exclude(pk=self.campaign.owner_id)
        )

    def allocation_units(self, limit=50):
        """The units whose split the user may open: the owner and the units below that got
        shares, level by level from the top, at most ``limit``."""
        user = self.request.user
        owner = self.campaign.owner
        if can(user, Cap.VIEW, owner):
            units = self.shared_from_the_top(limit)
        else:
            # Below the owner, the user's own subtree is the short list to read; read first, as
            # the planner would otherwise hash every share of the plan (183 000 for a city).
            mine = list(Organization.objects.visible_to(user).values_list("pk", flat=True))
            given = Allocation.objects.filter(target__campaign=self.campaign, organization__in=mine)
            units = list(
                Organization.objects.filter(pk__in=given.values("organization"))
                .select_related("kind")
                .order_by("kind__level", "name")[:limit]
            )
        prime_roles(user, units)
        return [u for u in units if can(user, Cap.VIEW, u)]

    def shared_from_the_top(self, limit):
        """The owner, the units it gave shares to, the units those gave shares to, and so on:
        a plan shared out to a city's 15 000 units reads only its first levels."""
        units, frontier = [], [self.campaign.owner]
        while frontier and len(units) < limit:
            units += frontier
            given = Allocation.objects.filter(
                target__campaign=self.campaign, allocated_by__in=[u.pk for u in frontier]
            ).values("organization")
            frontier = list(
                Organization.objects.filter(pk__in=given)
                .exclude(pk__in=[u.pk for u in units])
                .select_related("kind")
                .order_by("kind__level", "name")[: limit - len(units)]
            )
        return units[:limit]


class CampaignActionView(CampaignMixin, View):
    """POST-only lifecycle steps that call one service and come back with a message."""

    capability = Cap.MANAGE_CAMPAIGNS
    http_method_names = ["post"]
    success_message = ""

    def post(self, request, *args, **kwargs):
        try:
            self.act()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.success_message)
        return redirect(self.campaign)


class CampaignPublishView(CampaignActionView):
    @property
    def success_message(self):
        return _("The plan is published and locked; its text is kept as version 1.")

    def act(self):
        services.publish_campaign(self.campaign, actor=self.request.user)


class CampaignAmendmentPublishView(CampaignActionView):
    @property
    def success_message(self):
        return _("The amendment is published as a new version; earlier versions stay readable.")

    def act(self):
        services.publish_amendment(self.campaign, actor=self.request.user)


class CampaignCloseView(CampaignActionView):
    @property
    def success_message(self):
        return _("The campaign is closed.")

    def act(self):
        services.close_campaign(self.campaign, actor=self.request.user)


class CampaignAmendView(CampaignMixin, FormView):
    capability = Cap.MANAGE_CAMPAIGNS
    template_name = "campaigns/campaign_amend.html"
    form_class = ReasonForm

    def form_valid(self, form):
        try:
            services.open_amendment(self.campaign, actor=self.request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The plan is open for amendment. Publish the amendment when it is ready."),
        )
        return redirect(self.campaign)


class CampaignCloneView(CampaignMixin, FormView):
    capability = Cap.MANAGE_CAMPAIGNS
    template_name = "campaigns/campaign_clone.html"
    form_class = CloneForm

    def get_initial(self):
        return {"year": self.campaign.year + 1, "replace_year_in_text": True}

    def form_valid(self, form):
        try:
            clone = services.clone_campaign(
                self.campaign,
                actor=self.request.user,
                year=form.cleaned_data["year"],
                replace_year_in_text=form.cleaned_data["replace_year_in_text"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("A draft for %(year)s was created from this plan.") % {"year": clone.year},
        )
        return redirect(clone)


class CampaignDeleteView(CampaignMixin, TemplateView):
    capability = Cap.MANAGE_CAMPAIGNS
    template_name = "campaigns/campaign_delete.html"

    def post(self, request, *args, **kwargs):
        try:
            services.delete_campaign(self.campaign, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.campaign)
        messages.success(request, _("The draft was deleted."))
        return redirect("campaigns:campaign_list")


def _document_data(campaign):
    """What the PDF shows: the last published text, or the working copy of a draft."""
    if campaign.status != Status.DRAFT and not campaign.amendment_reason:
        version = campaign.versions.order_by("-number").first()
        if version is not None:
            return version.data, False
    return interchange.export_campaign(campaign), True


class CampaignPdfView(CampaignMixin, View):
    def get(self, request, *args, **kwargs):
        data, draft = _document_data(self.campaign)
        pdf = html_to_pdf(render_html(data, draft=draft))
        response = HttpResponse(pdf, content_type="application/pdf")
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{pdf_filename(data, draft=draft)}"'
        return response


class CampaignVersionView(CampaignMixin, TemplateView):
    template_name = "campaigns/campaign_version.html"

    def get_version(self):
        return get_object_or_404(self.campaign.versions.select_related("created_by"), number=self.kwargs["number"])

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if request.GET.get("format") == "pdf":
            return file_response(
                pdf_filename(version.data),
                "application/pdf",
                html_to_pdf(render_html(version.data)),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        version = self.get_version()
        return super().get_context_data(version=version, doc=document_context(version.data), **kwargs)


class CampaignExportView(CampaignMixin, View):
    def get(self, request, *args, **kwargs):
        data = interchange.export_campaign(self.campaign)
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        filename = pdf_filename(data).replace(".pdf", ".json")
        return file_response(filename, "application/json; charset=utf-8", content)


class CampaignImportView(LoginRequiredMixin, FormView):
    template_name = "campaigns/campaign_import.html"
    form_class = JsonUploadForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not managed_units(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            check_size(upload, settings.JSON_IMPORT_MAX_BYTES)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        try:
            campaign = services.import_campaign(upload.read(), actor=self.request.user)
        except interchange.ImportErrors as errors:
            form.add_error(
                None,
                _("Nothing was imported. Correct the problems below and upload the file again."),
            )
            return self.render_to_response(self.get_context_data(form=form, problems=errors.messages))
        messages.success(self.request, _("The plan was imported."))
        return redirect(campaign)


class SignedDocumentDownloadView(CampaignMixin, View):
    def get(self, request, *args, **kwargs):
        document = SignedDocument.objects.filter(
            content_type__model="campaign", object_id=self.campaign.pk, pk=kwargs["document_pk"]
        ).first()
        if document is None:
            raise Http404
        with document.file.open("rb") as handle:
            content = handle.read()
        return file_response(pdf_filename(_document_data(self.campaign)[0], signed=True), "application/pdf", content)
