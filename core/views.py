from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views.generic import TemplateView

from organizations.access import Cap, can
from organizations.views.units import subtree_totals


class HomeView(LoginRequiredMixin, TemplateView):
    """After sign-in: the user's units, where they sit in the tree, and what needs doing."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cards = []
        for membership in user.memberships.select_related("organization__kind", "organization__successor"):
            org = membership.organization
            cards.append(
                {
                    "membership": membership,
                    "organization": org,
                    "ancestors": org.ancestors(),
                    "totals": subtree_totals(org),
                    "can_manage_users": can(user, Cap.MANAGE_USERS, org),
                    "can_manage": can(user, Cap.MANAGE_UNITS, org),
                }
            )
        context["cards"] = cards
        context["todos"] = []
        return context


def csrf_failure(request, reason=""):
    """A readable page instead of Django's technical CSRF message."""
    return render(request, "403_csrf.html", status=403)
