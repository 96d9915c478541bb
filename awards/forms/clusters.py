"""Forms of the cluster covenants, their scoring and the acclaim (suy tôn)."""

from decimal import Decimal

from django import forms
from django.forms import modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import Covenant, ScoringItem
from awards.services.clusters import item_field
from campaigns.forms import OrderedFormSet
from core.forms import TABLE_ROW_LIMITS, DateInput, NumberField, VersionField
from core.numbers import plain
from core.templatetags.portal import vn_number

YEAR_BOUNDS = {"min_value": 2000, "max_value": 2100}


class CovenantCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), **YEAR_BOUNDS)
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to name it “Giao ước thi đua”, the cluster's name and the year."),
    )
    copy_from = forms.ModelChoiceField(
        label=_("Copy the scoring table of"),
        queryset=Covenant.objects.none(),
        required=False,
        empty_label=_("(start with an empty table)"),
    )

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = cluster.covenants.order_by("-year")
        self.fields["copy_from"].label_from_instance = lambda c: f"{c.year} – {c.name}"


class CovenantForm(forms.ModelForm):
    version = VersionField()
    year = forms.IntegerField(label=_("Year"), **YEAR_BOUNDS)

    class Meta:
        model = Covenant
        fields = ["year", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class ScoringItemForm(forms.ModelForm):
    max_points = NumberField(
        label=_("Maximum points"),
        min_value=Decimal("0.1"),
        max_value=Decimal("99999.9"),
        max_digits=6,
        decimal_places=1,
        error_messages={"invalid": _("Enter a number."), "min_value": _("Must be more than 0.")},
    )

    class Meta:
        model = ScoringItem
        fields = ["name", "kind", "max_points"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"kind": _("Penalty points are subtracted from the total.")}


ScoringItemFormSet = modelformset_factory(
    ScoringItem,
    form=ScoringItemForm,
    formset=OrderedFormSet,
    can_order=True,
    can_delete=True,
    extra=0,
    **TABLE_ROW_LIMITS,
)


def table_rows(formset):
    """The rows of a valid formset as the service takes them, in the order chosen
    (``ordered_forms`` leaves out deleted rows and untouched new ones)."""
    return [
        {
            "id": f.instance.pk,
            "name": f.cleaned_data["name"],
            "kind": f.cleaned_data["kind"],
            "max_points": f.cleaned_data["max_points"],
        }
        for f in formset.ordered_forms
    ]


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ScorecardForm(forms.Form):
    """One field per scoring item; penalties are typed as positive points."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            maximum = vn_number(item.max_points)
            self.fields[item_field(item)] = NumberField(
                label=item.name,
                min_value=Decimal("0"),
                max_value=item.max_points,
                max_digits=6,
                decimal_places=1,
                error_messages={
                    "required": _("Give points for this criterion."),
                    "invalid": _("Enter a number."),
                    "min_value": _("Between 0 and %(max)s points.") % {"max": maximum},
                    "max_value": _("Between 0 and %(max)s points.") % {"max": maximum},
                    "max_decimal_places": _("At most one decimal."),
                    "max_digits": _("Between 0 and %(max)s points.") % {"max": maximum},
                },
            )

    @classmethod
    def initial_from(cls, card):
        if card is None:
            return {}
        return {f"item_{score.item_id}": plain(score.points) for score in card.scores.all()}

    def rows(self):
        """(item, bound field) pairs for the table."""
        return [(item, self[item_field(item)]) for item in self.items]

    def points(self):
        return {item.pk: self.cleaned_data[item_field(item)] for item in self.items}


class AcclaimOpenForm(forms.Form):
    seats = forms.IntegerField(
        label=_("Units to acclaim"),
        min_value=1,
        initial=1,
        help_text=_("How many leading units the cluster acclaims (usually one)."),
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The best-ranked units are proposed; add or remove as the cluster agreed."),
    )

    def __init__(self, *args, units, scores, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["candidates"]
        field.queryset = units

        def label(unit):
            score = scores.get(unit.pk)
            if score is None:
                return str(unit)
            return _("%(unit)s (%(score)s points)") % {"unit": unit, "score": vn_number(score)}

        field.label_from_instance = label

    def clean(self):
        data = super().clean()
        seats, candidates = data.get("seats"), data.get("candidates")
        if seats and candidates is not None and len(candidates) < seats:
            self.add_error("candidates", _("There must be at least as many candidates as units to acclaim."))
        return data


class BallotForm(forms.Form):
    choices = forms.ModelMultipleChoiceField(
        label=_("Your choice"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, acclaim, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = acclaim.seats
        self.fields["choices"].queryset = candidates
        self.fields["choices"].help_text = _(
            "Tick at most %(seats)s. A ballot with no tick is a blank ballot; it still counts as cast."
        ) % {"seats": acclaim.seats}

    def clean_choices(self):
        choices = self.cleaned_data["choices"]
        if len(choices) > self.seats:
            raise forms.ValidationError(_("Choose at most %(seats)s.") % {"seats": self.seats})
        return choices
