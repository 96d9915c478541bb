from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from campaigns import services
from campaigns.forms import SignForm
from campaigns.views.base import CampaignMixin
from core.exceptions import DomainError
from core.forms import add_domain_error
from documents.models import SigningCertificate
from organizations.access import Cap


class CampaignSignView(CampaignMixin, FormView):
    """Sign the published plan with a certificate of the unit, passphrase typed now."""

    capability = Cap.SIGN_DOCUMENTS
    template_name = "campaigns/campaign_sign.html"
    form_class = SignForm

    def certificates(self):
        return SigningCertificate.objects.usable_by(self.campaign.owner)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "certificates": self.certificates()}

    def form_valid(self, form):
        try:
            document = services.sign_campaign(
                self.campaign,
                actor=self.request.user,
                certificate=form.cleaned_data["certificate"],
                passphrase=form.cleaned_data["passphrase"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The plan is signed by %(holder)s. Its SHA-256 is %(digest)s.")
            % {"holder": document.signer_name, "digest": document.sha256},
        )
        return redirect(self.campaign)
