from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.registry import audited_models
from core.forms import DateInput


def kind_choices():
    kinds = sorted(
        ((model._meta.label_lower, str(model._meta.verbose_name_plural).capitalize()) for model in audited_models()),
        key=lambda choice: choice[1],
    )
    return [("", _("All kinds of records")), *kinds]


class JournalFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    date_from = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
