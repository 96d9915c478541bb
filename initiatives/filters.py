import django_filters
from django.db.models import Q
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
        # Titles and authors are Vietnamese text: match both as typed and without accents.
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(authors__icontains=word) | Q(title__icontains=fold(word))
            )
        return queryset

    def filter_unit(self, queryset, name, value):
        return queryset.filter(organization__in=Organization.objects.subtree(value).values("pk"))
