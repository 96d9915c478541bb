"""Access for campaign pages: a plan the user cannot see is a 404; a right they lack, 403."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from organizations.access import Cap, can


class CampaignMixin:
    capability = Cap.VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.campaign = get_object_or_404(
            Campaign.objects.visible_to(request.user).select_related("owner", "issuer", "doc_type", "parent"),
            pk=kwargs["pk"],
        )
        if self.capability != Cap.VIEW and not can(request.user, self.capability, self.campaign.owner):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            campaign=self.campaign,
            can_manage=can(user, Cap.MANAGE_CAMPAIGNS, self.campaign.owner),
            can_sign=can(user, Cap.SIGN_DOCUMENTS, self.campaign.owner),
        )
        return context


class EditableCampaignMixin(CampaignMixin):
    """Edit pages: a published plan is locked, so opening one leads back to the plan with why."""

    capability = Cap.MANAGE_CAMPAIGNS

    def get(self, request, *args, **kwargs):
        if not self.campaign.is_editable:
            messages.warning(
                request,
                _("The plan is published and locked. Open an amendment, with its reason, to change it."),
            )
            return redirect(self.campaign)
        return super().get(request, *args, **kwargs)
