from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.forms import DateInput, VersionField
from organizations.models import (
    Cluster,
    ClusterRole,
    Organization,
    OrganizationKind,
    Role,
)
from organizations.services import check_code_free


class UnitCodeField(forms.CharField):
    """A unit picked by its code, among ``queryset``; the widget suggests codes as you type."""

    default_error_messages = {
        "unknown": _("No unit with code “%(code)s” is within your reach."),
    }

    def __init__(self, *, queryset=None, lookup_scope="visible", **kwargs):
        self.queryset = queryset
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("help_text", _("Type a code or part of a name and pick a unit from the suggestions."))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "autocomplete": "off",
                "data-unit-lookup": lookup_scope,
                "class": "unit-lookup",
            }
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = value.split(" ", 1)[0].strip().upper()
        unit = self.queryset.filter(code=code).select_related("kind", "parent").first()
        if unit is None:
            raise forms.ValidationError(self.error_messages["unknown"], params={"code": code})
        return unit


class OrganizationForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "sector",
            "members_count",
            "workers_count",
            "founded_on",
            "address",
            "phone",
            "email",
        ]
        widgets = {"founded_on": DateInput()}
        help_texts = {
            "code": _("Unique nationwide, e.g. LDLD-LCH or CDCS-0123."),
            "sector": _("For grassroots unions; leave empty for upper levels."),
        }

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent if parent is not None else self.instance.parent
        today = timezone.localdate()
        kinds = [
            k.pk
            for k in OrganizationKind.objects.all()
            if (self.parent is None or self.parent.can_have_child(k))
            and (k.is_valid_on(today) or k.pk == self.instance.kind_id)
        ]
        self.fields["kind"].queryset = OrganizationKind.objects.filter(pk__in=kinds)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        try:
            check_code_free(code, exclude_pk=self.instance.pk)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return code

    def validate_unique(self):
        # clean_code already explains a clash, naming the unit that holds the code.
        pass

    def domain_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class EffectiveDateForm(forms.Form):
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput())
    note = forms.CharField(
        label=_("Reason and basis (e.g. decision number)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()


class OrganizationMoveForm(EffectiveDateForm):
    field_order = ["new_parent", "effective_on", "note"]

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"] = UnitCodeField(label=_("New parent unit"), queryset=targets, lookup_scope="manage")
        self.order_fields(self.field_order)


class OrganizationMergeForm(EffectiveDateForm):
    move_children = forms.BooleanField(
        label=_("Move its active subunits to the unit it merges into"),
        required=False,
        initial=True,
    )
    field_order = ["into", "effective_on", "note", "move_children"]

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"] = UnitCodeField(label=_("Merge into"), queryset=targets, lookup_scope="manage")
        self.order_fields(self.field_order)


class ClusterForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Cluster
        fields = ["kind", "name", "level", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def domain_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ClusterMemberForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    role = forms.ChoiceField(label=_("Role in the cluster"), choices=ClusterRole.choices)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = UnitCodeField(label=_("Unit"), queryset=candidates, lookup_scope="visible")
        self.order_fields(["organization", "year", "role"])


class ClusterCopyForm(forms.Form):
    from_year = forms.IntegerField(label=_("Copy members of year"), min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label=_("Into year"), min_value=2000, max_value=2100)

    def clean(self):
        data = super().clean()
        if data.get("from_year") and data.get("from_year") == data.get("to_year"):
            raise forms.ValidationError(_("Choose two different years."))
        return data


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = UnitCodeField(label=_("Unit"), queryset=units, lookup_scope="users")
        self.order_fields(["organization", "role", "position"])
