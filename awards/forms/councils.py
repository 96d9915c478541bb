"""Forms of councils, meetings, ballots, and of the public disclosure and its objections."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import CouncilRole
from core.forms import DateInput
from organizations.forms import UnitCodeField

YES_NO = [("yes", _("Agree")), ("no", _("Disagree"))]


class CouncilForm(forms.Form):
    unit = UnitCodeField(label=_("Unit"), lookup_scope="manage")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for “Hội đồng Thi đua – Khen thưởng năm …”."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year


class CouncilMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Member"),
        queryset=None,
        help_text=_("Users with a role in the council's unit or a unit above it."),
    )
    role = forms.ChoiceField(label=_("Role in the council"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER)
    position = forms.CharField(
        label=_("Position"), max_length=200, required=False, help_text=_("e.g. Phó Chủ tịch Công đoàn cơ sở.")
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=300)


class AgendaForm(forms.Form):
    nominations = forms.ModelMultipleChoiceField(
        label=_("Nominations ready for the council"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates


class MeetingOpenForm(forms.Form):
    # Not required: with nobody ticked the service answers with the quorum numbers.
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members
        self.fields["present"].label_from_instance = lambda member: str(member)


class BallotForm(forms.Form):
    """One agree/disagree choice per nominee still to be decided."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            nomination = item.nomination
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=f"{nomination.nominee} – {nomination.entry}",
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Mark agree or disagree.")},
            )

    def votes(self):
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] == "yes" for item in self.items}


class DisclosureForm(forms.Form):
    starts_on = forms.DateField(label=_("Published from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Objections until"), widget=DateInput())
    note = forms.CharField(label=_("Notice"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + datetime.timedelta(days=10)


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Objection"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is wrong with this nomination, and how you know it."),
    )


class ResolveObjectionForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 4}))
    upheld = forms.TypedChoiceField(
        label=_("Is the objection upheld?"),
        choices=[("yes", _("Yes: withdraw the nomination")), ("no", _("No: the nomination stands"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
