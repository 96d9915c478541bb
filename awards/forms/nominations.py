"""Forms of nominations: the nomination itself, its filters, and the reviewers' small forms."""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import AwardForm, AwardKind, Nomination, NominationStatus, Title
from awards.services.nominations import entry_from_code
from campaigns.models import Campaign
from campaigns.models import Status as PlanStatus
from core.forms import VersionField
from organizations.models import Organization, Person

INDIVIDUAL, COLLECTIVE = "individual", "collective"


def entry_code(entry):
    """The select value of a title (``t-<id>``) or an award form (``f-<id>``)."""
    if entry is None:
        return ""
    return f"{'t' if isinstance(entry, Title) else 'f'}-{entry.pk}"


def entry_choices(day=None, *, keep=None):
    """Titles and forms in force on ``day``, in two groups; ``keep`` stays listed even when expired."""
    day = day or timezone.localdate()
    groups = []
    for label, model in (
        (_("Emulation titles (danh hiệu thi đua)"), Title),
        (_("Award forms (hình thức khen thưởng)"), AwardForm),
    ):
        entries = model.objects.valid_on(day)
        if isinstance(keep, model):
            entries = model.objects.filter(Q(pk__in=entries.values("pk")) | Q(pk=keep.pk))
        groups.append((label, [(entry_code(e), f"{e.name} ({e.get_scope_display().lower()})") for e in entries]))
    return groups


class EntryChoiceField(forms.ChoiceField):
    """One title or award form from a grouped select; cleans to the object."""

    def clean(self, value):
        value = super().clean(value)
        entry = entry_from_code(value)
        if value and entry is None:
            raise forms.ValidationError(_("Choose a title or an award form from the list."), code="invalid")
        return entry


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} – {person.organization.display_name}"


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, campaign):
        return f"{campaign.year}: {campaign}"


def plans_for(unit):
    """Published (or closed) plans of the unit and the units above it: the campaigns it took part in."""
    owners = [unit.pk, *(u.pk for u in unit.ancestors())]
    return Campaign.objects.filter(owner__in=owners, status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED]).order_by(
        "-year", "pk"
    )


class NominationForm(forms.Form):
    """A nomination of a person or a collective of ``unit``'s subtree; the rules live in the service."""

    version = VersionField()
    kind = forms.ChoiceField(
        label=_("Nominee"),
        choices=[(INDIVIDUAL, _("An individual")), (COLLECTIVE, _("A collective"))],
        widget=forms.RadioSelect,
        initial=INDIVIDUAL,
    )
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    organization = forms.ModelChoiceField(label=_("Collective"), queryset=Organization.objects.none(), required=False)
    entry = EntryChoiceField(label=_("Title or award form"))
    year = forms.IntegerField(label=_("Year of the achievement"), min_value=2000, max_value=2100)
    award_kind = forms.ChoiceField(label=_("Kind of award"), choices=AwardKind.choices, initial=AwardKind.MERIT)
    campaign = CampaignChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        help_text=_("The campaign the achievement belongs to, if any."),
    )
    summary = forms.CharField(
        label=_("Achievement summary (báo cáo thành tích)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
    )

    def __init__(self, *args, unit, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {**self.initial_from(instance), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.unit, self.instance = unit, instance
        subtree = Organization.objects.subtree(unit).values("pk")
        self.fields["person"].queryset = (
            Person.objects.filter(organization__in=subtree, is_active=True)
            .select_related("organization")
            .order_by("organization__name", "full_name")
        )
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=subtree, is_active=True).order_by(
            "kind__level", "name"
        )
        self.fields["campaign"].queryset = plans_for(unit)
        current = instance.entry if instance else None
        self.fields["entry"].choices = [("", BLANK_CHOICE_LABEL), *entry_choices(keep=current)]
        self.fields["year"].initial = timezone.localdate().year
        for name in ("person", "organization"):
            self.fields[name].widget.attrs["data-nominee"] = name

    @staticmethod
    def initial_from(nomination):
        return {
            "version": nomination.version,
            "kind": COLLECTIVE if nomination.is_collective else INDIVIDUAL,
            "person": nomination.person_id,
            "organization": nomination.organization_id,
            "entry": entry_code(nomination.entry),
            "year": nomination.year,
            "award_kind": nomination.award_kind,
            "campaign": nomination.campaign_id,
            "summary": nomination.summary,
        }

    def clean(self):
        data = super().clean()
        chosen = "person" if data.get("kind") == INDIVIDUAL else "organization"
        if data.get("kind") and not data.get(chosen) and chosen not in self.errors:
            message = _("Choose the person.") if chosen == "person" else _("Choose the collective.")
            self.add_error(chosen, message)
        campaign, year = data.get("campaign"), data.get("year")
        if campaign and year and campaign.year != year:
            message = _("This campaign is of %(year)s; choose one of the year of the achievement.")
            self.add_error("campaign", message % {"year": campaign.year})
        return data

    def domain_data(self):
        """What the service takes: the nominee the radio names, and the entry as title or form."""
        data = self.cleaned_data
        entry = data["entry"]
        individual = data["kind"] == INDIVIDUAL
        return {
            "year": data["year"],
            "title": entry if isinstance(entry, Title) else None,
            "award_form": entry if isinstance(entry, AwardForm) else None,
            "person": data["person"] if individual else None,
            "organization": None if individual else data["organization"],
            "summary": data["summary"].strip(),
            "award_kind": data["award_kind"],
            "campaign": data.get("campaign"),
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File (PDF, image or Office document)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.odt"}),
    )


class OverrideForm(forms.Form):
    """Forwarding or accepting: a reason is needed only when a criterion fails (the service decides)."""

    override_reason = forms.CharField(
        label=_("Reason for going ahead although a criterion fails"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    note = forms.CharField(
        label=_("Note for the proposal"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why it is sent back"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class BulkForwardForm(forms.Form):
    nominations = forms.ModelMultipleChoiceField(queryset=Nomination.objects.none(), label=_("Nominations"))
    note = forms.CharField(
        label=_("Note for the proposal"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = queryset
        errors = self.fields["nominations"].error_messages
        errors["required"] = _("Tick the nominations to forward.")
        errors["invalid_choice"] = _("A ticked nomination cannot be forwarded by you.")


class NominationFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NominationStatus.choices, empty_label=_("All"))
    entry = django_filters.ChoiceFilter(label=_("Title or award form"), method="filter_entry", empty_label=_("All"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit (and the units below)"),
        queryset=Organization.objects.none(),
        method="filter_unit",
        empty_label=_("All"),
    )

    class Meta:
        model = Nomination
        fields = ["year", "status", "entry", "unit"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.filters["unit"].queryset = units
        # Every entry, expired ones too: old nominations must still be found.
        self.filters["entry"].extra["choices"] = entry_choices_all()

    def filter_entry(self, queryset, name, value):
        entry = entry_from_code(value)
        if entry is None:
            return queryset.none()
        return queryset.filter(**{"title" if isinstance(entry, Title) else "award_form": entry})

    def filter_unit(self, queryset, name, value):
        return queryset.filter(nominator__in=Organization.objects.subtree(value).values("pk"))


def entry_choices_all():
    return [
        (_("Emulation titles (danh hiệu thi đua)"), [(entry_code(t), t.name) for t in Title.objects.all()]),
        (_("Award forms (hình thức khen thưởng)"), [(entry_code(f), f.name) for f in AwardForm.objects.all()]),
    ]
