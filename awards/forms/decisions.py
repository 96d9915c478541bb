from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from awards.models import Decision, Disclosure
from awards.services.decisions import DECISION_FIELDS, candidate_nominations
from core.forms import DateInput, VersionField
from documents.models import Issuer


class NominationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nominee} – {obj.entry} ({obj.nominator})"


class DisclosureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Published %(start)s, objections until %(end)s") % {
            "start": date_format(obj.starts_on, "SHORT_DATE_FORMAT"),
            "end": date_format(obj.ends_on, "SHORT_DATE_FORMAT"),
        }


class DecisionForm(forms.ModelForm):
    """A decision's text and its list; the service checks the list and the number."""

    version = VersionField()

    class Meta:
        model = Decision
        fields = list(DECISION_FIELDS)
        widgets = {
            "issued_on": DateInput(),
            "bases": forms.Textarea(attrs={"rows": 4}),
            "achievement": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "bases": _("One per line, as printed (“Căn cứ …”, “Xét đề nghị …”)."),
            "number": _("Numbers run from 1 each calendar year and are unique within the unit."),
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        decision = self.instance if self.instance.pk else None
        self.fields["issuer"].queryset = Issuer.objects.usable_by(unit)
        self.fields["issuer"].empty_label = None
        self.fields["disclosure"] = DisclosureChoiceField(
            label=_("Public disclosure of the list"),
            queryset=Disclosure.objects.filter(organization=unit),
            help_text=_("The list comes from a disclosure whose objection period is over."),
        )
        self.fields["number"].min_value = 1
        self.fields["number"].widget.attrs["min"] = 1
        self.fields["nominations"] = NominationChoiceField(
            label=_("Awardees"),
            queryset=candidate_nominations(unit, decision),
            widget=forms.CheckboxSelectMultiple,
            # Empty is refused by the service, which says why.
            required=False,
        )
        if decision is not None:
            self.fields["version"].initial = decision.version
            self.fields["nominations"].initial = [entry.nomination_id for entry in decision.entries.all()]
        self.order_fields(["issuer", "disclosure", "nominations", *DECISION_FIELDS])

    def domain_data(self):
        return {key: value for key, value in self.cleaned_data.items() if key != "version"}


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Luật Thi đua, khen thưởng 2022, Điều 93: e.g. the achievement was declared untruthfully."),
    )
