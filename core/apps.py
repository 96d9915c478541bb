from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Portal core")

    def ready(self):
        from core import lookups  # noqa: F401  (registers the lookups)


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin.SuperuserAdminSite"
