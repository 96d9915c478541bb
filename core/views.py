from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from organizations.access import Cap, can
from organizations.models import Organization
from reports.services.deadlines import todo_for


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
                    "totals": Organization.objects.totals_below(org),
                    "can_manage_users": can(user, Cap.MANAGE_USERS, org),
                    "can_manage": can(user, Cap.MANAGE_UNITS, org),
                }
            )
        context["cards"] = cards
        context["todos"] = todo_for(user)
        context["today"] = timezone.localdate()
        return context


ERROR_PAGES = {
    400: (
        gettext_lazy("Bad request"),
        gettext_lazy("The request could not be understood. Go back and try again."),
    ),
    403: (
        gettext_lazy("Not allowed"),
        gettext_lazy("Your role does not allow this action. Ask the staff of your union if you need it."),
    ),
    404: (
        gettext_lazy("Page not found"),
        gettext_lazy("This page does not exist, or it is outside the units you can see."),
    ),
    "csrf": (
        gettext_lazy("The form has expired"),
        gettext_lazy(
            "The page was open too long or cookies are blocked. Go back, reload the page and send the form again."
        ),
    ),
}


def error_page(request, key, status):
    title, message = ERROR_PAGES[key]
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404, 404)


def csrf_failure(request, reason=""):
    """A readable page instead of Django's technical CSRF message."""
    return error_page(request, "csrf", 403)
