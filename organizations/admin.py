from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organizations.models import (
    Cluster,
    ClusterMember,
    Membership,
    Organization,
    OrganizationEvent,
    OrganizationKind,
)


@admin.register(OrganizationKind)
class OrganizationKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "valid_from", "valid_until"]
    list_filter = ["level"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "sector", "is_active", "parent"]
    list_filter = ["kind__level", "kind", "sector", "is_active"]
    search_fields = ["name", "short_name", "code"]
    raw_id_fields = ["parent", "successor"]
    list_select_related = ["kind", "parent"]


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(admin.ModelAdmin):
    list_display = ["organization", "event_type", "effective_on", "actor", "recorded_at"]
    list_filter = ["event_type"]
    raw_id_fields = ["organization", "previous_parent", "related"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "position"]
    list_filter = ["role"]
    raw_id_fields = ["user", "organization"]


class ClusterMemberInline(admin.TabularInline):
    model = ClusterMember
    raw_id_fields = ["organization"]
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "organizer", "level", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    raw_id_fields = ["organizer"]
    inlines = [ClusterMemberInline]
