"""Forms of the catalogue: entries, criteria (parameters typed as JSON), quotas, base salaries."""

import json
from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import AwardForm, BaseSalary, Criterion, Title
from awards.services.catalogue import ENTRY_FIELDS
from core.forms import DateInput, NumberField, VersionField


def entry_choices(scopes=None):
    """Titles and award forms for a select, in two groups; values are ``title:<code>`` / ``form:<code>``."""
    groups = []
    for label, model, prefix in ((_("Emulation titles"), Title, "title"), (_("Award forms"), AwardForm, "form")):
        entries = model.objects.all() if scopes is None else model.objects.filter(scope__in=scopes)
        groups.append((label, [(f"{prefix}:{e.code}", e.name) for e in entries]))
    return groups


def _blank_and_entries(scopes):
    return [("", "---------"), *entry_choices(scopes)]


class EntryField(forms.ChoiceField):
    """A title or an award form, picked from one list but never mixed up: cleans to the object."""

    def __init__(self, *, scopes=None, **kwargs):
        kwargs.setdefault("label", _("Title or award form"))
        # A callable: the catalogue is read when the form is shown, not when this module loads.
        super().__init__(choices=partial(_blank_and_entries, scopes), **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Title):
            return f"title:{value.code}"
        if isinstance(value, AwardForm):
            return f"form:{value.code}"
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        prefix, _sep, code = value.partition(":")
        model = {"title": Title, "form": AwardForm}[prefix]
        entry = model.objects.filter(code=code).first()
        if entry is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], params={"value": value})
        return entry


class EntryFormBase(forms.ModelForm):
    version = VersionField()
    coefficient = NumberField(
        label=_("reward coefficient (× base salary)"), min_value=0, max_digits=5, decimal_places=2
    )

    class Meta:
        fields = list(ENTRY_FIELDS)
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def domain_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TitleForm(EntryFormBase):
    class Meta(EntryFormBase.Meta):
        model = Title


class AwardFormForm(EntryFormBase):
    class Meta(EntryFormBase.Meta):
        model = AwardForm


ENTRY_FORMS = {"title": TitleForm, "form": AwardFormForm}


class CriterionForm(forms.ModelForm):
    version = VersionField()
    params = forms.CharField(
        label=_("Parameters (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "font-monospace"}),
        help_text=_('The numbers of the rule, e.g. {"kind": "duty", "at_least": 2}. See the list of rules.'),
    )

    class Meta:
        model = Criterion
        fields = ["rule", "params", "description", "legal_basis", "valid_from", "valid_until", "sort_order"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["params"] = json.dumps(self.instance.params, ensure_ascii=False)

    def clean_params(self):
        text = self.cleaned_data["params"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _(
                    "The parameters are not valid JSON (line %(line)s, column %(column)s): write them like "
                    '{"years": 3}, with double quotes around names and text.'
                ),
                params={"line": error.lineno, "column": error.colno},
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('The parameters must be a JSON object in braces, like {"years": 3}.'))
        return value

    def domain_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class CriterionEndForm(forms.Form):
    valid_until = forms.DateField(label=_("Last day it applies"), widget=DateInput())


class CatalogueFilterForm(forms.Form):
    on = forms.DateField(label=_("Valid on"), required=False, widget=DateInput())


class QuotaForm(forms.Form):
    entry = EntryField()
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    cap = forms.IntegerField(label=_("At most"), min_value=0, max_value=1_000_000)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "entry": instance.title or instance.award_form,
                    "year": instance.year,
                    "cap": instance.cap,
                    "legal_basis": instance.legal_basis,
                },
            )
        super().__init__(*args, **kwargs)


class QuotaFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class BaseSalaryForm(forms.ModelForm):
    amount = NumberField(label=_("Amount (đồng a month)"), min_value=1, max_digits=12, decimal_places=0)

    class Meta:
        model = BaseSalary
        fields = ["amount", "valid_from", "legal_basis"]
        widgets = {"valid_from": DateInput()}
        error_messages = {"valid_from": {"unique": _("A base salary already starts on that date.")}}
