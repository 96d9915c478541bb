from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards.board import Filters
from organizations.models import Cluster, Level, OrganizationKind, Sector
from targets.models import TargetGroup


class FilterForm(forms.Form):
    """The dashboard's filters, read from the query string; a value out of range is ignored."""

    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    round = forms.TypedChoiceField(label=_("Round"), coerce=int, required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    kind = forms.ModelChoiceField(label=_("Kind of unit"), queryset=OrganizationKind.objects.none(), required=False)
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none(), required=False)
    group = forms.ModelChoiceField(label=_("Target group"), queryset=TargetGroup.objects.none(), required=False)

    def __init__(self, data, *, campaign, clusters, today):
        self.campaign = campaign
        self.rounds = list(campaign.rounds.order_by("number"))
        data = data.copy()
        numbers = {str(r.number) for r in self.rounds} | {"0"}
        if data.get("round") not in numbers:
            # Empty or not a round of the plan: the round under way, shown as chosen.
            data["round"] = str(self.default_round(today))
        super().__init__(data)
        self.fields["round"].choices = [
            (r.number, r.name or _("Round %(n)s") % {"n": r.number}) for r in self.rounds
        ] + [(0, _("Year-end report (tổng kết)"))]
        self.fields["sector"].choices = [("", _("All sectors"))] + list(Sector.choices)
        self.fields["kind"].queryset = OrganizationKind.objects.filter(level__gte=Level.GRASSROOTS).order_by(
            "sort_order", "name"
        )
        self.fields["kind"].empty_label = _("All kinds")
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].empty_label = _("No cluster")
        groups = campaign.target_groups.exclude(title="", label="")
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = _("All targets")
        if not groups.exists():
            del self.fields["group"]
        for bound in self.fields.values():
            if not isinstance(bound.widget, forms.HiddenInput):
                bound.widget.attrs["class"] = "form-select form-select-sm"

    def default_round(self, today):
        """The round under way today, else the last one begun, else the first."""
        current = self.rounds[0].number if self.rounds else 0
        for round_ in self.rounds:
            if round_.effective_start() <= today:
                current = round_.number
            if round_.is_open(today):
                break
        return current

    def filters(self):
        self.is_valid()  # a field with a bad value is left out; the others still apply
        data = self.cleaned_data
        chosen = data.get("round")
        return Filters(
            period=chosen if chosen not in (None, "") else self.default_round(timezone.localdate()),
            sector=data.get("sector") or "",
            kind=data["kind"].pk if data.get("kind") else None,
            cluster=data.get("cluster"),
            group=data["group"].pk if data.get("group") else None,
        )
