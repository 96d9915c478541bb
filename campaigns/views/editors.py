"""Editing the parts of a plan: each part is an ordered list edited as a formset."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from campaigns import forms, services
from campaigns.models import GENERATED_SECTIONS, Section
from campaigns.views.base import EditableCampaignMixin
from core.exceptions import ConflictError, DomainError
from core.templatetags.portal import vn_number
from organizations.access import Cap
from targets.models import Target

WIDE = {"text", "body", "description", "intro", "closing", "theme", "subject"}


class PartEditView(EditableCampaignMixin, TemplateView):
    """One part of the plan: an optional form for its parent plus an ordered formset."""

    capability = Cap.MANAGE_CAMPAIGNS
    template_name = "campaigns/part_form.html"
    formset_class = None
    main_form_class = None
    part_name = ""
    help_text = ""
    order_by = None
    widths = {}
    link_name = ""
    link_label = ""

    def get_link(self):
        return {"campaign": self.campaign}

    def get_main_instance(self):
        return None

    def build(self, data=None, *, fresh=False):
        """The part's forms; ``fresh`` reads the main row again, as validating a bound
        form writes the user's input into the instance it was given."""
        formset = self.formset_class(data, queryset=self.get_queryset(), prefix="items")
        formset.campaign = self.campaign
        for form in [*formset.forms, formset.empty_form]:
            self.customize(form)
        main = None
        if self.main_form_class:
            instance = self.get_main_instance()
            if fresh and instance is not None:
                instance = type(instance).objects.get(pk=instance.pk)
            main = self.main_form_class(data, instance=instance, prefix="main")
        return main, formset

    def customize(self, form):
        """Hook to narrow a row's choices (rounds of this plan, say)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "formset" not in kwargs:
            context["main_form"], context["formset"] = self.build()
        context.update(
            part_name=self.part_name,
            help_text=self.help_text,
            widths={name: self.widths.get(name, 12 if name in WIDE else 3) for name in self._field_names()},
            success_url=self.request.path,
            link_name=self.link_name,
            link_label=self.link_label,
        )
        return context

    def _field_names(self):
        return list(self.formset_class.form.base_fields)

    def post(self, request, *args, **kwargs):
        main, formset = self.build(request.POST)
        expected = request.POST.get("campaign_version")
        valid = formset.is_valid() & (main is None or main.is_valid())
        if valid:
            try:
                services.save_part(
                    self.campaign,
                    actor=request.user,
                    formset=formset,
                    expected_version=int(expected) if expected and expected.isdigit() else None,
                    part=str(self.part_name),
                    link=self.get_link(),
                    order_by=self.order_by,
                    main_form=main,
                )
            except ConflictError as error:
                messages.error(request, error.message)
                # The user's input stays in the form; what the other person saved is shown below it.
                theirs_main, theirs = self.build(fresh=True)
                return self.render_to_response(
                    self.get_context_data(
                        main_form=main, formset=formset, conflict=True, theirs=theirs, theirs_main=theirs_main
                    )
                )
            except DomainError as error:
                messages.error(request, error.message)
                return self.render_to_response(self.get_context_data(main_form=main, formset=formset))
            messages.success(request, _("Saved: %(part)s.") % {"part": self.part_name})
            return redirect(self.after_save_url())
        return self.render_to_response(self.get_context_data(main_form=main, formset=formset))

    def after_save_url(self):
        return self.request.path


class SectionListView(PartEditView):
    formset_class = forms.SectionFormSet
    part_name = gettext_lazy("Sections of the plan")
    help_text = gettext_lazy(
        "The plan's parts in order, numbered and titled as you write them. "
        "Open a part to write its items. Targets, rounds and tasks are printed from their own pages."
    )
    widths = {"kind": 4, "label": 2, "title": 6}
    link_name = "campaigns:section_update"
    link_label = gettext_lazy("Write the items of this section")

    def get_queryset(self):
        return self.campaign.sections.all()


class SectionUpdateView(PartEditView):
    formset_class = forms.ClauseFormSet
    main_form_class = forms.SectionTextForm
    widths = {"depth": 2, "label": 2, "title": 5, "responsible_level": 3}

    def dispatch(self, request, *args, **kwargs):
        self.section = None
        return super().dispatch(request, *args, **kwargs)

    def get_section(self):
        if self.section is None:
            self.section = get_object_or_404(Section, campaign=self.campaign, pk=self.kwargs["section_pk"])
        return self.section

    @property
    def part_name(self):
        section = self.get_section()
        return str(section) if (section.label or section.title) else section.get_kind_display()

    @property
    def help_text(self):
        if self.get_section().kind in GENERATED_SECTIONS:
            return _(
                "This part also prints the plan's %(what)s from their own page, after the text before the items."
            ) % {"what": self.get_section().get_kind_display().lower()}
        return _("Items in order. Level 1 items nest under the item above (2.1. under 2.).")

    def get_queryset(self):
        return self.get_section().clauses.all()

    def get_link(self):
        return {"section": self.get_section()}

    def get_main_instance(self):
        return self.get_section()


class RoundListView(PartEditView):
    formset_class = forms.RoundsFormSet
    part_name = gettext_lazy("Rounds")
    help_text = gettext_lazy(
        "Each round's dates must fall in the campaign year and must not overlap. "
        "The printed heading is written as in the plan; the text follows it."
    )
    order_by = "number"
    widths = {
        "number": 2,
        "name": 3,
        "heading": 7,
        "start": 3,
        "end": 3,
        "report_due": 3,
        "is_peak": 3,
    }
    link_name = "campaigns:commemoration_list"
    link_label = gettext_lazy("Commemorations of this round")

    def get_queryset(self):
        return self.campaign.rounds.all()


class CommemorationView(PartEditView):
    formset_class = forms.CommemorationFormSet
    widths = {"name": 12, "base_date": 3, "anniversary_date": 3, "years": 2, "note": 4}

    def round(self):
        return get_object_or_404(self.campaign.rounds, pk=self.kwargs["round_pk"])

    @property
    def part_name(self):
        return _("Commemorations of %(round)s") % {"round": self.round().name}

    def get_queryset(self):
        return self.round().commemorations.all()

    def get_link(self):
        return {"round": self.round()}


class TargetGroupListView(PartEditView):
    formset_class = forms.TargetGroupFormSet
    part_name = gettext_lazy("Target groups")
    help_text = gettext_lazy("Groups as the plan writes them, e.g. “1. Chỉ tiêu thuộc trách nhiệm trực tiếp …”.")
    widths = {"label": 2, "title": 7, "layout": 3}
    link_name = "campaigns:target_group_update"
    link_label = gettext_lazy("Targets of this group")

    def get_queryset(self):
        return self.campaign.target_groups.all()


class TargetGroupUpdateView(PartEditView):
    formset_class = forms.TargetsFormSet
    help_text = gettext_lazy(
        "Write each target as the plan does, number included. A target that continues the line "
        "above starts with its joiner (“; ”, “ và ”). Only count and money targets are allocated."
    )
    widths = {
        "code": 2,
        "label": 2,
        "joiner": 2,
        "kind": 3,
        "comparator": 3,
        "plan_value": 2,
        "unit_label": 3,
        "period": 3,
        "sectors": 6,
        "unit_kinds": 6,
    }

    def group(self):
        return get_object_or_404(self.campaign.target_groups, pk=self.kwargs["group_pk"])

    @property
    def part_name(self):
        return str(self.group())

    def get_queryset(self):
        return self.group().targets.prefetch_related("unit_kinds")

    def get_link(self):
        return {"campaign": self.campaign, "group": self.group()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["warnings"] = [
            _("%(code)s: the number %(value)s is not written in its text; check that the text and the value agree.")
            % {"code": t.code, "value": vn_number(t.plan_value)}
            for t in Target.objects.filter(group=self.group())
            if t.plan_value is not None and not forms.number_written(t.plan_value, t.text)
        ]
        return context


class TaskListView(PartEditView):
    formset_class = forms.TaskFormSet
    part_name = gettext_lazy("Tasks")
    help_text = gettext_lazy("Each task with who leads it (chủ trì), who advises or carries it out, and when.")
    widths = {
        "depth": 2,
        "label": 2,
        "lead": 8,
        "responsible_label": 4,
        "responsible": 8,
        "timing": 8,
        "due_date": 4,
    }

    def get_queryset(self):
        return self.campaign.tasks.all()


class DeadlineListView(PartEditView):
    formset_class = forms.DeadlineFormSet
    part_name = gettext_lazy("Deadlines")
    help_text = gettext_lazy("Dates written into the plan, kept as data for to-do lists and reminders.")
    widths = {"kind": 3, "description": 5, "due_date": 2, "round": 2}

    def get_queryset(self):
        return self.campaign.deadlines.all()

    def customize(self, form):
        form.fields["round"].queryset = self.campaign.rounds.all()


class RecipientListView(PartEditView):
    formset_class = forms.RecipientFormSet
    part_name = gettext_lazy("Recipients (nơi nhận)")
    help_text = gettext_lazy(
        "One line per recipient, written as printed, e.g. “UBND tỉnh;” and last “Lưu: VT, Ban CTCS.”. "
        "Consecutive lines with the same group note share a brace, e.g. (B/c)."
    )
    widths = {"text": 8, "group_note": 4}

    def get_queryset(self):
        return self.campaign.recipients.all()


class BasesView(PartEditView):
    formset_class = forms.LegalBasisFormSet
    part_name = gettext_lazy("Legal bases")
    help_text = gettext_lazy(
        "“Căn cứ …” lines printed in italics before the opening, one per line. "
        "Leave empty when the opening cites its bases in its own words."
    )

    def get_queryset(self):
        return self.campaign.legal_bases.all()


class ThemeListView(PartEditView):
    formset_class = forms.ThemeFormSet
    part_name = gettext_lazy("Themes")
    help_text = gettext_lazy("The campaign's themes and slogans; the plan's text quotes them in its own words.")
    widths = {"kind": 3, "text": 9}

    def get_queryset(self):
        return self.campaign.themes.all()
