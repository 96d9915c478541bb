from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    """The Django admin is a tool for superusers only; everyone else uses the portal."""

    site_header = _("System administration")
    site_title = _("System administration")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
