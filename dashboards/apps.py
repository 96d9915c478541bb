from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from campaigns.signals import plan_published
        from dashboards import handlers
        from organizations.signals import tree_changed
        from reports.signals import status_changed, status_changing

        status_changing.connect(handlers.before_status_change, dispatch_uid="progress_before")
        status_changed.connect(handlers.after_status_change, dispatch_uid="progress_after")
        tree_changed.connect(handlers.after_tree_change, dispatch_uid="progress_tree")
        plan_published.connect(handlers.after_publish, dispatch_uid="progress_publish")
