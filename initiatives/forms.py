from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, NumberField, VersionField
from initiatives.models import Initiative
from organizations.forms import UnitCodeField


class InitiativeForm(forms.ModelForm):
    version = VersionField()
    benefit = NumberField(
        label=_("Benefit (đồng per year)"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=0,
        error_messages={"invalid": _("Enter a number."), "min_value": _("Cannot be negative.")},
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "authors",
            "field",
            "recognized_on",
            "recognition_level",
            "decision_number",
            "benefit",
            "benefit_note",
        ]
        widgets = {
            "recognized_on": DateInput(),
            "authors": forms.Textarea(attrs={"rows": 3}),
            "benefit_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"] = UnitCodeField(label=_("Unit"), queryset=units, lookup_scope="visible")
            self.order_fields(["unit", *self.Meta.fields])
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def domain_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "unit")}
