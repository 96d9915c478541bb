"""Issuers and certificates of a unit, and the public verification page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.mixins import ConflictMixin
from documents import services
from documents.forms import CertificateUploadForm, IssuerForm, VerifyForm
from documents.models import Issuer, SigningCertificate
from documents.signing import check_upload, verify_pdf
from organizations.access import AccessMixin, Cap, can, check
from organizations.views.units import ParentMixin


class IssuerListView(ParentMixin, TemplateView):
    capability = Cap.VIEW
    template_name = "documents/issuer_list.html"

    def get_context_data(self, **kwargs):
        unit = self.get_object()
        return super().get_context_data(
            issuers=Issuer.objects.filter(managed_by=unit).select_related("organization"),
            certificates=SigningCertificate.objects.filter(organization=unit).select_related("uploaded_by"),
            can_manage=can(self.request.user, Cap.MANAGE_CAMPAIGNS, unit),
            can_manage_certificates=can(self.request.user, Cap.MANAGE_CERTIFICATES, unit),
            **kwargs,
        )


class IssuerCreateView(ParentMixin, FormView):
    capability = Cap.MANAGE_CAMPAIGNS
    template_name = "documents/issuer_form.html"
    form_class = IssuerForm

    def get_initial(self):
        values = services.default_issuer_values(self.get_object())
        values.pop("organization")
        return {**values, "is_active": True}

    def form_valid(self, form):
        unit = self.get_object()
        try:
            services.save_issuer(actor=self.request.user, unit=unit, data=form.domain_data())
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The issuer was saved."))
        return redirect("documents:issuer_list", pk=unit.pk)


class IssuerUpdateView(ConflictMixin, AccessMixin, FormView):
    capability = Cap.MANAGE_CAMPAIGNS
    template_name = "documents/issuer_form.html"
    form_class = IssuerForm

    def get_object(self, queryset=None):
        if not hasattr(self, "_access_object"):
            self._access_object = get_object_or_404(Issuer, pk=self.kwargs["pk"])
        return self._access_object

    def get_access_organization(self):
        return self.get_object().managed_by

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(organization=self.get_object().managed_by, issuer=self.get_object(), **kwargs)

    def form_valid(self, form):
        issuer = self.get_object()
        try:
            services.save_issuer(
                actor=self.request.user,
                unit=issuer.managed_by,
                data=form.domain_data(),
                issuer=issuer,
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, issuer)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The issuer was saved."))
        return redirect("documents:issuer_list", pk=issuer.managed_by_id)


class CertificateUploadView(ParentMixin, FormView):
    capability = Cap.MANAGE_CERTIFICATES
    template_name = "documents/certificate_upload.html"
    form_class = CertificateUploadForm

    def form_valid(self, form):
        unit = self.get_object()
        upload = form.cleaned_data["file"]
        if upload.size > 100_000:
            form.add_error("file", _("A certificate file is a few kilobytes; this one is too large."))
            return self.form_invalid(form)
        try:
            certificate = services.upload_certificate(
                actor=self.request.user,
                unit=unit,
                data=upload.read(),
                passphrase=form.cleaned_data["passphrase"],
                label=form.cleaned_data["label"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Certificate of %(holder)s added.") % {"holder": certificate.subject_name},
        )
        return redirect("documents:issuer_list", pk=unit.pk)


class CertificateWithdrawView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        certificate = get_object_or_404(SigningCertificate, pk=kwargs["pk"])
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check(request.user, Cap.MANAGE_CERTIFICATES, certificate.organization)
        services.deactivate_certificate(certificate, actor=request.user)
        messages.success(request, _("The certificate was withdrawn; it can no longer sign."))
        return redirect("documents:issuer_list", pk=certificate.organization_id)


class VerifyView(FormView):
    """Anyone, signed in or not, can check a PDF: intact, who signed it and when,
    and whether it is a document the portal issued."""

    template_name = "documents/verify.html"
    form_class = VerifyForm

    def form_valid(self, form):
        try:
            data = check_upload(form.cleaned_data["file"])
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        report = verify_pdf(data)
        return self.render_to_response(self.get_context_data(form=VerifyForm(), report=report))

    def get_context_data(self, **kwargs):
        return super().get_context_data(limit_mb=settings.VERIFY_MAX_BYTES // (1024 * 1024), **kwargs)
