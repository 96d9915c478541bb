from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    """The Django admin is a tool for superusers only; everyone else uses the portal."""

    site_header = "Quản trị hệ thống"
    site_title = "Quản trị hệ thống"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
