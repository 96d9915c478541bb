"""Form pieces shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.numbers import parse_number, plain

# Tables edited in one form (formsets). The plans in use have a few dozen rows in a table
# at most (the seeds: 18); the cap bounds what one post can make the server build, check and
# show again, which for a forged row count was up to Django's 2.000 forms, a second or more.
TABLE_ROWS_MAX = 200
TABLE_ROW_LIMITS = {"max_num": TABLE_ROWS_MAX, "absolute_max": TABLE_ROWS_MAX, "validate_max": True}
TOO_MANY_ROWS = {
    "too_many_forms": ngettext_lazy(
        "A table holds at most %(num)d row; remove some before saving.",
        "A table holds at most %(num)d rows; remove some before saving.",
        "num",
    )
}


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionField(forms.IntegerField):
    """Hidden version number of the record the form was opened on (optimistic lock)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class NumberField(forms.DecimalField):
    """A decimal typed the Vietnamese way (8.000, 98,5) and shown back without grouping."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return plain(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_number(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


def add_domain_error(form, error):
    """Attach a DomainError to the field it names, or to the whole form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
