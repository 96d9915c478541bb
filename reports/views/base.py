"""Access for registration and report pages.

The plan must be visible to the user and published (or closed); the unit must take part
and be within the user's reach. Anything else is a 404, so a sibling's pages do not
exist for a unit. Rights are checked per action: entering on the unit, reviewing on the
unit above it.
"""

import secrets

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Status as CampaignStatus
from campaigns.views.base import CampaignMixin
from organizations.access import Cap, can
from organizations.models import Organization
from reports import scope


class UnitLoader:
    def dispatch(self, request, *args, **kwargs):
        if self.campaign.status == CampaignStatus.DRAFT:
            raise Http404
        self.unit = self.load_unit(kwargs["unit_pk"])
        return super().dispatch(request, *args, **kwargs)

    def load_unit(self, unit_pk):
        return scope.unit_in_campaign(self.campaign, self.request.user, unit_pk)


class UnitCampaignMixin(CampaignMixin, UnitLoader):
    """A participating unit of a published plan."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        enter = scope.can_enter(user, self.unit)
        context.update(
            unit=self.unit,
            can_enter=enter,
            can_review=scope.can_review(user, self.unit),
            on_behalf=enter and scope.is_on_behalf(user, self.unit),
            request_key=secrets.token_urlsafe(24),
            today=timezone.localdate(),
        )
        return context


class BoardUnitLoader(UnitLoader):
    """Boards belong to the owner or to a participating unit."""

    def load_unit(self, unit_pk):
        unit = Organization.objects.select_related("kind").filter(pk=unit_pk).first()
        if unit is None or not can(self.request.user, Cap.VIEW, unit):
            raise Http404
        if unit.pk != self.campaign.owner_id and not scope.takes_part(self.campaign, unit):
            raise Http404
        return unit


class BoardMixin(CampaignMixin, BoardUnitLoader):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(unit=self.unit, can_remind=can(self.request.user, Cap.REVIEW_REPORTS, self.unit))
        return context


def already_done(request, submission, url):
    """The same form sent twice (a double click, a resend): say it was received once."""
    key = request.POST.get("request_key", "")
    if key and submission is not None and submission.last_request == key:
        messages.info(request, _("This form had already been received; it was not applied a second time."))
        return redirect(url)
    return None
