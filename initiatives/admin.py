from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from initiatives.models import Initiative


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "field", "recognized_on", "recognition_level"]
    list_filter = ["field", "recognition_level"]
    search_fields = ["title", "authors", "organization__code"]
    raw_id_fields = ["organization"]
