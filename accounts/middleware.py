"""Two-step sign-in required for staff (PORTAL_REQUIRE_2FA_FOR_STAFF)."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from accounts import two_factor

# Pages a user who owes two-step sign-in may still open: setting it up, and leaving.
OPEN_WHILE_SETTING_UP = {
    "accounts:two_factor_setup",
    "accounts:two_factor_qr",
    "accounts:logout",
    "set_language",
    "core:health",
}


class TwoFactorRequiredMiddleware:
    """With PORTAL_REQUIRE_2FA_FOR_STAFF, staff use no page before two-step sign-in is set up.

    Must come after django-otp's OTPMiddleware (``user.is_verified``).
    A staff user who has an app but whose session never passed the code (a session older than
    the rule) signs in again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PORTAL_REQUIRE_2FA_FOR_STAFF:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_WHILE_SETTING_UP:
            return None
        if not two_factor.required_for(user):
            return None
        if two_factor.is_on(user):
            logout(request)
            return redirect_to_login(request.get_full_path())
        setup = reverse("accounts:two_factor_setup")
        if getattr(request, "htmx", False):
            # A fragment request would swap the setup page into part of the current one.
            return HttpResponseClientRedirect(setup)
        if request.method == "GET":
            setup += "?" + urlencode({"next": request.get_full_path()})
        return redirect(setup)
