import django_filters
from django.utils.translation import gettext_lazy as _

from core.text import fold
from organizations.models import Cluster, Level, Organization, OrganizationKind, Sector


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_q")
    level = django_filters.ChoiceFilter(
        label=_("Level"), field_name="kind__level", choices=Level.choices, empty_label=_("All")
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=OrganizationKind.objects.all(), empty_label=_("All")
    )
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices, empty_label=_("All"))
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.none(),
        method="filter_cluster",
        empty_label=_("All"),
    )
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_active",
        choices=[("1", _("Active")), ("0", _("Ended"))],
        empty_label=_("All"),
    )

    class Meta:
        model = Organization
        fields = ["q", "level", "kind", "sector", "cluster", "active"]

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clusters is not None:
            self.filters["cluster"].queryset = clusters

    def filter_q(self, queryset, name, value):
        words = fold(value).split()
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_cluster(self, queryset, name, value):
        return queryset.filter(cluster_memberships__cluster=value).distinct()

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")

    @property
    def is_filtering(self):
        return self.is_bound and any(self.data.get(name) not in (None, "") for name in self.filters)
