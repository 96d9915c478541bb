from django.contrib import admin

from reports.models import Evidence, Registration, Report


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["organization", "campaign", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["organization", "campaign"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["organization", "campaign", "round", "status", "submitted_at", "late_days"]
    list_filter = ["status"]
    raw_id_fields = ["organization", "campaign", "round"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["value"]
