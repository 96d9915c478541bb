from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    """The Django admin is a tool for superusers only; everyone else uses the portal."""

    site_header = _("System administration")
    site_title = _("System administration")

    def has_permission(self, request):
        from accounts import two_factor

        user = request.user
        if not (user.is_active and user.is_superuser):
            return False
        # A superuser with two-step sign-in is admitted only by a session that passed the code.
        return user.is_verified() or not two_factor.is_on(user)

    def login(self, request, extra_context=None):
        """Everyone signs in on the portal's page, which throttles guesses and asks for the code.

        The admin's own sign-in form would skip the code step.
        """
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))
