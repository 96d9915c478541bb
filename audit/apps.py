from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from audit.registry import stamp_unit

        pre_create_historical_record.connect(stamp_unit, dispatch_uid="audit.stamp_unit")
