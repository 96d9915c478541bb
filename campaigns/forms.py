import re
from decimal import Decimal

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    Campaign,
    Clause,
    Commemoration,
    Deadline,
    LegalBasis,
    Recipient,
    Round,
    Section,
    Task,
    Theme,
)
from campaigns.rules import check_campaign_rules
from core.forms import TABLE_ROW_LIMITS, TOO_MANY_ROWS, DateInput, VersionField
from documents.models import DocumentType, Issuer
from organizations.models import OrganizationKind, Sector
from targets.models import INITIATIVES_NEED_COUNT, NUMERIC_KINDS, Source, Target, TargetGroup, TargetKind

RICH_HELP = _("Blank line = new paragraph; **bold**, *italic*.")


def rich_textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows, "class": "rich-text"})


class CampaignForm(forms.ModelForm):
    """The header of a plan: issuer, type, number, date, subject, year, scope and signer."""

    version = VersionField()
    scope_sectors = forms.MultipleChoiceField(
        label=_("Taking part: sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: every sector."),
    )

    class Meta:
        model = Campaign
        fields = [
            "issuer",
            "doc_type",
            "type_heading",
            "number",
            "issued_on",
            "place",
            "subject",
            "year",
            "kind",
            "parent",
            "allow_outside_year",
            "scope_kinds",
            "scope_sectors",
            "signer_collective_authority",
            "signer_collective",
            "signer_authority",
            "signer_head_title",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            "issued_on": DateInput(),
            "subject": forms.Textarea(attrs={"rows": 2}),
            "scope_kinds": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "number": _("Leave empty until the clerk numbers the document; it is required to publish."),
            "type_heading": _("As printed, e.g. KẾ HOẠCH or PHÁT ĐỘNG PHONG TRÀO THI ĐUA. Empty: the type's name."),
            "place": _("Empty: the issuer's place name."),
        }

    def __init__(self, *args, owner, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = Issuer.objects.usable_by(owner)
        self.fields["doc_type"].queryset = DocumentType.objects.exclude(code__in=["quyet-dinh", "bien-ban", "to-trinh"])
        self.fields["parent"].queryset = parents
        self.fields["scope_kinds"].queryset = OrganizationKind.objects.filter(level__gte=3)
        self.fields["type_heading"].required = False
        self.fields["place"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def domain_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "scope_kinds")}
        data["scope_sectors"] = list(self.cleaned_data.get("scope_sectors") or [])
        return data


class OrderedFormSet(BaseModelFormSet):
    """Formsets of ordered rows: the ORDER field is the position, shown as 'Thứ tự'."""

    default_error_messages = TOO_MANY_ROWS

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = _("Order")
            form.fields["ORDER"].widget.attrs.update({"class": "order-input", "min": 1})
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Delete")


def ordered_formset(model, form=forms.ModelForm, formset=OrderedFormSet, **kwargs):
    return modelformset_factory(
        model, form=form, formset=formset, can_order=True, can_delete=True, extra=0, **TABLE_ROW_LIMITS, **kwargs
    )


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["kind", "label", "title"]


SectionFormSet = ordered_formset(Section, form=SectionForm)


class SectionTextForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["label", "title", "intro", "closing"]
        widgets = {"intro": rich_textarea(4), "closing": rich_textarea(3)}
        help_texts = {"intro": RICH_HELP, "closing": RICH_HELP}


class ClauseForm(forms.ModelForm):
    class Meta:
        model = Clause
        fields = ["depth", "label", "title", "body", "responsible_level"]
        widgets = {
            "body": rich_textarea(5),
            "depth": forms.Select(choices=[(0, "0"), (1, "1"), (2, "2"), (3, "3")]),
        }


ClauseFormSet = ordered_formset(Clause, form=ClauseForm)


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "number",
            "name",
            "heading",
            "theme",
            "start",
            "end",
            "report_due",
            "is_peak",
            "description",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "report_due": DateInput(),
            "theme": forms.Textarea(attrs={"rows": 2}),
            "description": rich_textarea(5),
        }


class RoundFormSet(OrderedFormSet):
    """Checks the rounds together: dates in order, no overlaps, inside the year."""

    campaign = None

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        numbers = [f.cleaned_data["number"] for f in kept]
        if len(numbers) != len(set(numbers)):
            raise forms.ValidationError(_("Two rounds have the same number."))
        rounds = [{k: f.cleaned_data.get(k) for k in ("number", "start", "end", "report_due")} for f in kept]
        campaign = self.campaign
        for index, message in check_campaign_rules(
            year=campaign.year,
            issued_on=campaign.issued_on,
            allow_outside_year=campaign.allow_outside_year,
            rounds=rounds,
        ):
            if index:
                kept[index - 1].add_error(None, message)
            else:
                raise forms.ValidationError(message)
        if any(f.errors for f in kept):
            raise forms.ValidationError(_("Please correct the rounds marked below."))


RoundsFormSet = modelformset_factory(
    Round, form=RoundForm, formset=RoundFormSet, can_delete=True, can_order=False, extra=0, **TABLE_ROW_LIMITS
)


class CommemorationForm(forms.ModelForm):
    class Meta:
        model = Commemoration
        fields = ["name", "base_date", "anniversary_date", "years", "note"]
        widgets = {"base_date": DateInput(), "anniversary_date": DateInput()}

    def clean(self):
        data = super().clean()
        base, anniversary, years = (
            data.get("base_date"),
            data.get("anniversary_date"),
            data.get("years"),
        )
        if base and anniversary:
            if anniversary < base:
                self.add_error("anniversary_date", _("The anniversary comes before the original date."))
            elif years and years != anniversary.year - base.year:
                self.add_error(
                    "years",
                    _("From %(base)s to %(ann)s is %(n)s years, not %(years)s.")
                    % {
                        "base": base.year,
                        "ann": anniversary.year,
                        "n": anniversary.year - base.year,
                        "years": years,
                    },
                )
        return data


CommemorationFormSet = ordered_formset(Commemoration, form=CommemorationForm)


class TargetGroupForm(forms.ModelForm):
    class Meta:
        model = TargetGroup
        fields = ["label", "title", "layout", "intro"]
        widgets = {"intro": rich_textarea(2)}


TargetGroupFormSet = ordered_formset(TargetGroup, form=TargetGroupForm)


class TargetForm(forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("Applies to sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Target
        fields = [
            "code",
            "label",
            "joiner",
            "text",
            "kind",
            "comparator",
            "plan_value",
            "unit_label",
            "period",
            "source",
            "sectors",
            "unit_kinds",
        ]
        widgets = {"text": rich_textarea(3), "unit_kinds": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_kinds"].queryset = OrganizationKind.objects.filter(level__gte=3)
        self.fields["joiner"].strip = False

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), data.get("plan_value")
        if kind in NUMERIC_KINDS and value is None:
            self.add_error("plan_value", _("A target of this kind needs a plan value."))
        if kind in ("percentage", "coverage") and value is not None and value > 100:
            self.add_error("plan_value", _("A percentage cannot exceed 100."))
        if data.get("source") == Source.INITIATIVES and kind != TargetKind.COUNT:
            self.add_error("source", INITIATIVES_NEED_COUNT)
        return data


class TargetFormSet(OrderedFormSet):
    campaign = None

    def clean(self):
        super().clean()
        codes = [
            f.cleaned_data.get("code")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("code")
        ]
        others = set(
            Target.objects.filter(campaign=self.campaign)
            .exclude(pk__in=[f.instance.pk for f in self.forms if f.instance.pk])
            .values_list("code", flat=True)
        )
        seen = set()
        for code in codes:
            if code in seen or code in others:
                raise forms.ValidationError(_("The code %(code)s is used by two targets.") % {"code": code})
            seen.add(code)


TargetsFormSet = modelformset_factory(
    Target, form=TargetForm, formset=TargetFormSet, can_order=True, can_delete=True, extra=0, **TABLE_ROW_LIMITS
)


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "depth",
            "label",
            "text",
            "lead",
            "responsible_label",
            "responsible",
            "timing",
            "due_date",
        ]
        widgets = {
            "text": rich_textarea(4),
            "due_date": DateInput(),
            "depth": forms.Select(choices=[(0, "0"), (1, "1"), (2, "2")]),
        }


TaskFormSet = ordered_formset(Task, form=TaskForm)


class DeadlineForm(forms.ModelForm):
    class Meta:
        model = Deadline
        fields = ["kind", "description", "due_date", "round"]
        widgets = {"due_date": DateInput()}


DeadlineFormSet = ordered_formset(Deadline, form=DeadlineForm)


class RecipientForm(forms.ModelForm):
    class Meta:
        model = Recipient
        fields = ["text", "group_note"]
        widgets = {"text": forms.Textarea(attrs={"rows": 1})}


RecipientFormSet = ordered_formset(Recipient, form=RecipientForm)


class LegalBasisForm(forms.ModelForm):
    class Meta:
        model = LegalBasis
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


LegalBasisFormSet = ordered_formset(LegalBasis, form=LegalBasisForm)


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 1})}


ThemeFormSet = ordered_formset(Theme, form=ThemeForm)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class CloneForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new plan"), min_value=2000, max_value=2100)
    replace_year_in_text = forms.BooleanField(
        label=_("Replace the old year by the new one in the texts"), required=False, initial=True
    )


class JsonUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Campaign file (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


class SignForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Certificate passphrase"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Used for this signature only; the portal does not keep it."),
    )

    def __init__(self, *args, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"] = forms.ModelChoiceField(
            label=_("Certificate"),
            queryset=certificates,
            empty_label=None,
            # A certificate withdrawn or expired while the page was open.
            error_messages={"invalid_choice": _("This certificate is no longer valid; choose another one.")},
        )
        self.order_fields(["certificate", "passphrase"])


_NUMBER = re.compile(r"\d[\d.,]*")


def number_written(value, text):
    """Whether ``text`` writes ``value`` (as 134, 05, 8.000, 1.070 or 85%)."""
    if value is None:
        return True
    value = Decimal(value)
    for token in _NUMBER.findall(text):
        digits = token.rstrip(".,").replace(".", "").replace(",", ".")
        try:
            if Decimal(digits) == value:
                return True
        except ArithmeticError:
            continue
    return False
