"""Forms for people and their history: ratings, discipline, absences, honours, the import."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.forms.catalogue import EntryField
from awards.models import AbsenceReason, AwardKind, DisciplineLevel, RatingKind, RatingLevel, Scope
from core.forms import DateInput
from organizations.models import Person


def last_year():
    return timezone.localdate().year - 1


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Year"))
        kwargs.setdefault("initial", last_year)
        super().__init__(**kwargs)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "gender", "birth_year", "position", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}
        help_texts = {"left_on": _("Leave empty while the person is still in the unit.")}


class RatingForm(forms.Form):
    year = YearField()
    kind = forms.ChoiceField(label=_("Kind"), choices=RatingKind.choices)
    level = forms.TypedChoiceField(label=_("Level"), choices=RatingLevel.choices, coerce=int)

    def __init__(self, *args, collective=False, **kwargs):
        super().__init__(*args, **kwargs)
        if collective:  # units are mostly graded by the union's own scale
            self.fields["kind"].initial = RatingKind.UNION_GRADE


class DisciplineForm(forms.Form):
    year = YearField()
    level = forms.TypedChoiceField(label=_("Level"), choices=DisciplineLevel.choices, coerce=int)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Decision and reason"), max_length=300, required=False)


class AbsenceForm(forms.Form):
    year = YearField()
    days = forms.IntegerField(label=_("Working days away"), min_value=1, max_value=366)
    reason = forms.ChoiceField(label=_("Reason"), choices=AbsenceReason.choices)


class HonourForm(forms.Form):
    entry = EntryField()
    year = YearField(label=_("Year of the achievement"))
    award_kind = forms.ChoiceField(label=_("Kind of award"), choices=AwardKind.choices, initial=AwardKind.MERIT)
    decision_number = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
    issuer_name = forms.CharField(label=_("Issued by"), max_length=300, required=False)

    def __init__(self, *args, collective=False, **kwargs):
        super().__init__(*args, **kwargs)
        scopes = [Scope.COLLECTIVE] if collective else [Scope.INDIVIDUAL, Scope.HOUSEHOLD]
        self.fields["entry"] = EntryField(scopes=scopes)
        self.order_fields(["entry"])


RECORD_FORMS = {"rating": RatingForm, "discipline": DisciplineForm, "absence": AbsenceForm, "honour": HonourForm}
