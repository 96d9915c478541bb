"""Forms of the registration and report pages: one field set per target, built from the plan."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Scope, Title
from core.forms import TOO_MANY_ROWS, DateInput, NumberField, VersionField
from reports.services.registrations import pledge_problems
from reports.services.reports import Entry, entry_problem, uses_fraction, uses_yes_no

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]
BOOL = {"yes": True, "no": False, "": None}


def number_field(label, **kwargs):
    field = NumberField(
        label=label,
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        error_messages={"invalid": _("Enter a number."), "min_value": _("Cannot be negative.")},
        **kwargs,
    )
    field.widget.attrs.update({"class": "form-control text-end", "autocomplete": "off"})
    return field


def note_field(label, rows=2):
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


def labelled(field, code, short):
    """Give a field the target's code in its accessible label and a short visible one."""
    field.label = f"{code} – {short}"
    field.short_label = short
    return field


def yes_no_choice(value):
    return {True: "yes", False: "no"}.get(value, "")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RegistrationForm(forms.Form):
    """Pledges per target (pre-filled with the unit's share), the collective title, other commitments."""

    version = VersionField()
    collective_title = forms.ModelChoiceField(
        label=_("Title the unit aims for"), queryset=Title.objects.none(), required=False
    )
    note = note_field(_("Other commitments"), rows=3)

    def __init__(self, *args, targets, allocations, aggregate, year_start, pledges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets, self.allocations, self.aggregate = targets, allocations, aggregate
        self.fields["collective_title"].queryset = Title.objects.valid_on(year_start).filter(scope=Scope.COLLECTIVE)
        pledges = pledges or {}
        for target in targets:
            self._add_target(target, pledges.get(target.pk))

    def _add_target(self, target, pledge):
        code, pledge_label = target.code, _("Pledge")
        if uses_yes_no(target, self.aggregate):
            field = forms.ChoiceField(choices=YES_NO, required=False)
            self.fields[f"p_{target.pk}"] = labelled(field, code, pledge_label)
            initial = yes_no_choice(None if pledge is None or pledge.value is None else pledge.value > 0)
        else:
            self.fields[f"p_{target.pk}"] = labelled(number_field(""), code, pledge_label)
            allocated = self.allocations.get(target.pk)
            initial = pledge.value if pledge is not None else allocated
        self.initial.setdefault(f"p_{target.pk}", initial)
        reason_label = _("Reason, if below the allocation")
        self.fields[f"r_{target.pk}"] = labelled(note_field("", rows=1), code, reason_label)
        self.initial.setdefault(f"r_{target.pk}", pledge.reason if pledge else "")

    def pledge_value(self, target):
        raw = self.cleaned_data.get(f"p_{target.pk}")
        if uses_yes_no(target, self.aggregate):
            flag = BOOL.get(raw)
            return None if flag is None else (1 if flag else 0)
        return raw

    def pledges(self):
        return {t.pk: (self.pledge_value(t), self.cleaned_data.get(f"r_{t.pk}", "")) for t in self.targets}

    def clean(self):
        data = super().clean()
        if any(f"p_{t.pk}" in self.errors for t in self.targets):
            return data
        for target_id, (field, message) in pledge_problems(self.targets, self.pledges(), self.allocations).items():
            self.add_error(f"r_{target_id}" if field == "reason" else f"p_{target_id}", message)
        return data

    def rows(self):
        """(target, allocated, pledge field, reason field) for the template."""
        return [(t, self.allocations.get(t.pk), self[f"p_{t.pk}"], self[f"r_{t.pk}"]) for t in self.targets]


class AimForm(forms.Form):
    title = forms.ModelChoiceField(label=_("Title"), queryset=Title.objects.filter(scope=Scope.INDIVIDUAL))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)


class WorkForm(forms.Form):
    name = forms.CharField(label=_("Work, product or task"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_completion = forms.DateField(label=_("Expected completion"), required=False, widget=DateInput())


class BaseListFormSet(forms.BaseFormSet):
    """Rows left empty are ignored; deleted rows are dropped."""

    default_error_messages = TOO_MANY_ROWS

    def kept(self):
        return [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


# A forged row count beyond these is refused, not built into thousands of forms.
AimFormSet = forms.formset_factory(
    AimForm, formset=BaseListFormSet, extra=1, can_delete=True, max_num=500, absolute_max=500
)
WorkFormSet = forms.formset_factory(
    WorkForm, formset=BaseListFormSet, extra=1, can_delete=True, max_num=100, absolute_max=100
)


class ReportForm(forms.Form):
    """One row of fields per target: a number, a numerator and denominator, or yes/no;
    a note; evidence files. Initiative counts are read from the register, not typed."""

    version = VersionField()
    highlights = note_field(_("Highlights"), rows=3)
    shortcomings = note_field(_("Shortcomings"), rows=3)
    proposals = note_field(_("Proposals"), rows=3)

    def __init__(self, *args, targets, aggregate, values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets, self.aggregate = targets, aggregate
        values = values or {}
        for target in targets:
            self._add_target(target, values.get(target.pk))

    def _add_target(self, target, current):
        code, pk = target.code, target.pk
        if target.is_counted_from_initiatives:
            pass
        elif uses_fraction(target, self.aggregate):
            self.fields[f"n_{pk}"] = labelled(number_field(""), code, _("Numerator"))
            self.fields[f"d_{pk}"] = labelled(number_field(""), code, _("Denominator"))
            self.initial.setdefault(f"n_{pk}", current.numerator if current else None)
            self.initial.setdefault(f"d_{pk}", current.denominator if current else None)
        elif uses_yes_no(target, self.aggregate):
            field = forms.ChoiceField(choices=YES_NO, required=False)
            self.fields[f"a_{pk}"] = labelled(field, code, _("Done"))
            self.initial.setdefault(f"a_{pk}", yes_no_choice(current.achieved if current else None))
        else:
            self.fields[f"v_{pk}"] = labelled(number_field(""), code, _("Achieved"))
            self.initial.setdefault(f"v_{pk}", current.value if current else None)
        self.fields[f"note_{pk}"] = labelled(note_field("", rows=1), code, _("Note"))
        self.initial.setdefault(f"note_{pk}", current.note if current else "")
        files_label = _("Evidence (PDF, image or Office file)")
        self.fields[f"f_{pk}"] = labelled(MultipleFileField(required=False), code, files_label)

    def entry(self, target):
        get = self.cleaned_data.get
        pk = target.pk
        return Entry(
            value=get(f"v_{pk}"),
            numerator=get(f"n_{pk}"),
            denominator=get(f"d_{pk}"),
            achieved=BOOL.get(get(f"a_{pk}") or ""),
            note=get(f"note_{pk}", ""),
        )

    def entries(self):
        return {t.pk: self.entry(t) for t in self.targets}

    def evidence_files(self):
        return {t.pk: self.cleaned_data.get(f"f_{t.pk}") for t in self.targets if self.cleaned_data.get(f"f_{t.pk}")}

    def texts(self):
        return {name: self.cleaned_data.get(name, "") for name in ("highlights", "shortcomings", "proposals")}

    def clean(self):
        data = super().clean()
        for target in self.targets:
            if any(k in self.errors for k in (f"v_{target.pk}", f"n_{target.pk}", f"d_{target.pk}")):
                continue
            problem = entry_problem(target, self.entry(target), self.aggregate)
            if problem:
                self.add_error(self.main_field(target), problem)
        return data

    def main_field(self, target):
        for prefix in ("v", "n", "a"):
            if f"{prefix}_{target.pk}" in self.fields:
                return f"{prefix}_{target.pk}"
        return f"note_{target.pk}"

    def add_problems(self, problems):
        """Attach the service's refusals (target id -> (field, message)) to their fields."""
        names = {"value": self.main_field, "note": lambda t: f"note_{t.pk}", "files": lambda t: f"f_{t.pk}"}
        for target in self.targets:
            if target.pk in problems:
                field, message = problems[target.pk]
                self.add_error(names[field](target), message)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReportReviewForm(ReviewForm):
    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            field = forms.CharField(required=False, max_length=2000)
            self.fields[f"c_{target.pk}"] = labelled(field, target.code, _("What to correct"))

    def value_comments(self):
        return {t.pk: self.cleaned_data.get(f"c_{t.pk}", "") for t in self.targets}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}))
