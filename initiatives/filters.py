import django_filters
from django.utils.translation import gettext_lazy as _

from core.text import fold
from initiatives.models import Field, Initiative, RecognitionLevel
from organizations.models import Organization


class InitiativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title or author"), method="filter_q")
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit (and the units below)"),
        queryset=Organization.objects.none(),
        method="filter_unit",
        empty_label=_("All"),
    )
    field = django_filters.ChoiceFilter(label=_("Field"), choices=Field.choices, empty_label=_("All"))
    recognition_level = django_filters.ChoiceFilter(
        label=_("Recognised at"), choices=RecognitionLevel.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="recognized_on__year")

    class Meta:
        model = Initiative
        fields = ["q", "unit", "field", "recognition_level", "year"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.filters["unit"].queryset = units

    def filter_q(self, queryset, name, value):
        # Typed with or without accents, in any case: both sides are folded.
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_unit(self, queryset, name, value):
        return queryset.filter(organization__in=Organization.objects.subtree(value).values("pk"))
