from django.contrib import admin

from awards.models import Title


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "awarding_level", "is_union_title", "valid_from", "valid_until"]
    list_filter = ["scope", "is_union_title"]
