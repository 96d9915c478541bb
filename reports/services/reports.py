"""Báo cáo sơ kết đợt, tổng kết năm: achieved values with evidence, their review and roll-up."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import save_as
from core.exceptions import DomainError
from core.templatetags.portal import vn_number
from reports import scope
from reports.evidence import check_evidence
from reports.models import Evidence, Report, ReportValue
from reports.rollup import Figure, initiative_counts, rollup
from reports.services import workflow
from targets.models import TargetKind

TEXT_FIELDS = ("highlights", "shortcomings", "proposals")


@dataclass
class Entry:
    """One target's figure as typed: which fields matter depends on the target's kind."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    achieved: bool | None = None
    note: str = ""

    def figure(self):
        return Figure(self.value, self.numerator, self.denominator, self.achieved)


@dataclass
class ReportInput:
    entries: dict = field(default_factory=dict)  # target id -> Entry
    texts: dict = field(default_factory=dict)  # highlights, shortcomings, proposals
    files: dict = field(default_factory=dict)  # target id -> [uploaded files]


def report_of(campaign, unit, round_):
    return Report.objects.filter(campaign=campaign, organization=unit, round=round_).first()


def uses_fraction(target, aggregate):
    """Percentages always, and coverage above grassroots, are a numerator and a denominator."""
    return target.kind == TargetKind.PERCENTAGE or (target.kind == TargetKind.COVERAGE and aggregate)


def uses_yes_no(target, aggregate):
    return target.kind == TargetKind.YES_NO or (target.kind == TargetKind.COVERAGE and not aggregate)


def entry_problem(target, entry, aggregate):
    """Why an entry is refused, or None."""
    numbers = [entry.value, entry.numerator, entry.denominator]
    if any(n is not None and n < 0 for n in numbers):
        return _("Cannot be negative.")
    if uses_fraction(target, aggregate):
        if (entry.numerator is None) != (entry.denominator is None):
            return _("Give both the numerator and the denominator.")
        if entry.denominator == 0 and entry.numerator is not None:
            return _("The denominator cannot be 0.")
        if entry.numerator is not None and entry.numerator > entry.denominator:
            return _("The numerator (%(n)s) is larger than the denominator (%(d)s).") % {
                "n": vn_number(entry.numerator),
                "d": vn_number(entry.denominator),
            }
    return None


def differs_from_rollup(target, entry, rolled, aggregate):
    """An aggregate unit's own figure that says something else than the sum of its units."""
    if not aggregate or rolled is None or target.is_counted_from_initiatives:
        return False
    if entry.figure() == Figure() or rolled.units == 0:
        return False
    return not rolled.same_as(entry.figure(), target.kind)


def check_entries(campaign, unit, round_, targets, entries, aggregate):
    """``{target id: (field, message)}`` for every entry the report cannot take; field is
    "value", "note" or "files"."""
    rolled = rollup(campaign, unit, round_, targets) if aggregate else {}
    problems = {}
    for target in targets:
        entry = entries.get(target.pk, Entry())
        problem = entry_problem(target, entry, aggregate)
        if problem:
            problems[target.pk] = ("value", problem)
        elif differs_from_rollup(target, entry, rolled.get(target.pk), aggregate) and not entry.note.strip():
            problems[target.pk] = ("note", _("This differs from the sum of the units below: say why in the note."))
    return problems


def check_files(files, existing_counts):
    """``({target id: ("files", message)}, {target id: [(upload, type, sha256)]})``; the type
    is read from the content, not the name."""
    problems, checked = {}, {}
    for target_id, uploads in files.items():
        if existing_counts.get(target_id, 0) + len(uploads) > settings.EVIDENCE_MAX_FILES:
            message = _("At most %(count)s files per value.") % {"count": settings.EVIDENCE_MAX_FILES}
            problems[target_id] = ("files", message)
            continue
        try:
            checked[target_id] = [(upload, *check_evidence(upload)) for upload in uploads]
        except DomainError as error:
            problems[target_id] = ("files", error.message)
    return problems, checked


class ReportProblems(DomainError):
    """Refusals tied to targets: ``problems`` maps a target id to (field, message)."""

    def __init__(self, problems):
        super().__init__(_("Some figures cannot be saved; they are marked below."))
        self.problems = problems


@transaction.atomic
def save_report(campaign, unit, round_, *, actor, data, expected_version=None, request_key=""):
    """Write a unit's report as a draft (or a returned one being corrected), files included.
    Nothing is written when any value or file is refused."""
    workflow.check_campaign_open(campaign)
    workflow.require_enter(actor, unit)
    report, created = Report.objects.get_or_create(campaign=campaign, organization=unit, round=round_)
    report = workflow.lock(report)
    # Said before any conflict: nothing can be saved into what is under review or approved.
    if not report.is_editable:
        raise DomainError(_("The report has been sent or approved; it can no longer be changed."))
    if not created:
        workflow.check_version(report, expected_version)
    aggregate = scope.is_aggregate(campaign, unit)
    report.is_aggregate = aggregate
    targets = scope.targets_for(campaign, unit, aggregate=aggregate)
    # The files each value already has, counted in the same query (a report has a value per target).
    existing = {v.target_id: v for v in report.values.annotate(evidence_count=Count("evidence"))}
    counts = {target_id: v.evidence_count for target_id, v in existing.items()}
    problems = check_entries(campaign, unit, round_, targets, data.entries, aggregate)
    file_problems, files = check_files(data.files, counts)
    problems.update(file_problems)
    if problems:
        raise ReportProblems(problems)
    on_behalf = scope.is_on_behalf(actor, unit)
    counted = initiative_counts(campaign, unit, round_, targets)
    for target in targets:
        entry = data.entries.get(target.pk, Entry())
        if target.pk in counted:
            entry = Entry(value=counted[target.pk].value, note=entry.note)
        value = _write_value(report, target, entry, existing.get(target.pk), actor, on_behalf)
        for upload, kind, digest in files.get(target.pk, []):
            if value is None:
                value = _write_value(report, target, entry, None, actor, on_behalf, force=True)
            _store_evidence(value, upload, kind, digest, actor)
    for name in TEXT_FIELDS:
        setattr(report, name, data.texts.get(name, ""))
    report.version += 1
    report.updated_by = actor
    report.last_request = request_key
    report.save()
    return report


def _write_value(report, target, entry, current, actor, on_behalf, force=False):
    fields = {
        "value": entry.value,
        "numerator": entry.numerator,
        "denominator": entry.denominator,
        "achieved": entry.achieved,
        "note": entry.note.strip(),
    }
    if current is None:
        if all(v in (None, "") for v in fields.values()) and not force:
            return None
        current = ReportValue(report=report, target=target)
    elif all(same_value(getattr(current, k), v) for k, v in fields.items()):
        return current
    for name, value in fields.items():
        setattr(current, name, value)
    current.entered_by = actor
    current.on_behalf = on_behalf
    save_as(current, actor)
    return current


def same_value(old, new):
    if old is None or new is None:
        return old is new
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return Decimal(old) == Decimal(new)
    return old == new


def _store_evidence(value, upload, kind, digest, actor):
    evidence = Evidence(
        value=value,
        original_name=upload.name[:255],
        content_type=kind,
        size=upload.size,
        sha256=digest,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    evidence.file.save("evidence", upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def delete_evidence(evidence, *, actor):
    report = workflow.lock(evidence.value.report)
    workflow.require_enter(actor, report.organization)
    if not report.is_editable:
        raise DomainError(_("The report has been sent or approved; its files can no longer change."))
    name = evidence.file.name
    evidence.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: evidence.file.storage.delete(name))


def figure_text(target, value):
    if value is None:
        return "—"
    if value.value is not None:
        return vn_number(value.value)
    if value.numerator is not None:
        return f"{vn_number(value.numerator)}/{vn_number(value.denominator)}"
    if value.achieved is not None:
        return str(_("Yes") if value.achieved else _("No"))
    return "—"


def snapshot(report):
    """The report as readable lines, for its history and the diff after a reopening."""
    data = {}
    for value in report.values.select_related("target").prefetch_related("evidence"):
        code = value.target.code
        data[code] = figure_text(value.target, value)
        if value.note:
            data[_("%(code)s note") % {"code": code}] = value.note
        files = ", ".join(e.original_name for e in value.evidence.all())
        if files:
            data[_("%(code)s evidence") % {"code": code}] = files
    for name in TEXT_FIELDS:
        text = getattr(report, name)
        if text:
            data[str(Report._meta.get_field(name).verbose_name).capitalize()] = text
    return data


def _check_complete(report):
    if not report.values.exists() and not any(getattr(report, name) for name in TEXT_FIELDS):
        raise DomainError(_("The report is empty: enter the figures before sending it."))


@transaction.atomic
def submit_report(report, *, actor, request_key=""):
    """Send the report up; returns (report, whether it was sent now). Late is allowed, and marked."""
    return workflow.submit(report, actor=actor, snapshot=snapshot, check=_check_complete, request_key=request_key)


@transaction.atomic
def approve_report(report, *, actor, comment=""):
    approved = workflow.approve(report, actor=actor, snapshot=snapshot, comment=comment)
    approved.values.exclude(review_comment="").update(review_comment="")
    return approved


@transaction.atomic
def return_report(report, *, actor, comment, value_comments=None):
    """Return with a general comment and/or comments on single values (target id -> text)."""
    value_comments = {k: v.strip() for k, v in (value_comments or {}).items() if v and v.strip()}
    returned = workflow.return_to_unit(
        report, actor=actor, comment=comment, snapshot=snapshot, has_value_comments=bool(value_comments)
    )
    for value in returned.values.all():
        value.review_comment = value_comments.get(value.target_id, "")
        value.save(update_fields=["review_comment"])
    return returned


@transaction.atomic
def reopen_report(report, *, actor, reason):
    return workflow.reopen(report, actor=actor, reason=reason)
