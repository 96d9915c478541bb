from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NumberField, VersionField


def cell_name(unit_id, target_id):
    return f"a_{unit_id}_{target_id}"


class AllocationForm(forms.Form):
    """The allocation table: one decimal input per subunit and target."""

    sheet_version = VersionField()

    def __init__(self, *args, rows, targets, initial_values, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.targets = targets
        for unit in rows:
            for target in targets:
                name = cell_name(unit.pk, target.pk)
                self.fields[name] = NumberField(
                    label=f"{unit.display_name} – {target.code}",
                    required=False,
                    min_value=0,
                    max_digits=18,
                    decimal_places=2,
                    error_messages={
                        "invalid": _("Enter a number."),
                        "min_value": _("Cannot be negative."),
                    },
                )
                self.fields[name].widget.attrs.update(
                    {
                        "class": "form-control form-control-sm text-end alloc-cell",
                        "data-target": target.pk,
                    }
                )
                self.initial[name] = initial_values.get((unit.pk, target.pk))

    def values(self):
        return {
            (unit.pk, target.pk): self.cleaned_data.get(cell_name(unit.pk, target.pk))
            for unit in self.rows
            for target in self.targets
        }

    def grid(self):
        """Rows of (unit, [bound fields]) for the template."""
        return [(unit, [self[cell_name(unit.pk, t.pk)] for t in self.targets]) for unit in self.rows]
