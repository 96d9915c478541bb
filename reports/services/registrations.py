"""Đăng ký giao ước thi đua: a unit's pledges, the titles it aims for and its works."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import save_as
from core.exceptions import DomainError
from core.templatetags.portal import vn_number
from organizations.models import Person
from reports import scope
from reports.models import Pledge, Registration, TitleAim, Work
from reports.services import workflow
from targets.models import ALLOCATABLE_KINDS, Allocation, TargetKind


@dataclass
class RegistrationInput:
    """What the registration page (or a script) hands to ``save_registration``."""

    pledges: dict = field(default_factory=dict)  # target id -> (value or None, reason)
    collective_title: object = None
    note: str = ""
    aims: list = field(default_factory=list)  # (title, full name, position)
    works: list = field(default_factory=list)  # dicts: name, description, expected_completion


def allocations_of(campaign, unit):
    """``{target id: value}``: the shares the unit above gave to ``unit``."""
    return dict(
        Allocation.objects.filter(target__campaign=campaign, organization=unit).values_list("target_id", "value")
    )


def falls_short(target, value, allocated):
    """Whether a pledge promises less than the share given (more, for an "at most" target)."""
    if value is None or allocated is None or target.kind not in ALLOCATABLE_KINDS:
        return False
    return value < allocated if target.is_at_least else value > allocated


def pledge_problems(targets, pledges, allocations):
    """``{target id: (field, message)}`` for pledges the service refuses; field is
    "value" or "reason"."""
    problems = {}
    for target in targets:
        value, reason = pledges.get(target.pk, (None, ""))
        if value is not None and value < 0:
            problems[target.pk] = ("value", _("Cannot be negative."))
        elif value is not None and target.kind in (TargetKind.PERCENTAGE, TargetKind.COVERAGE) and value > 100:
            problems[target.pk] = ("value", _("A percentage cannot exceed 100."))
        elif falls_short(target, value, allocations.get(target.pk)) and not reason.strip():
            message = _("The pledge is below the %(allocated)s allocated: give the reason.") % {
                "allocated": vn_number(allocations[target.pk])
            }
            problems[target.pk] = ("reason", message)
    return problems


def registration_of(campaign, unit):
    return Registration.objects.filter(campaign=campaign, organization=unit).first()


@transaction.atomic
def save_registration(campaign, unit, *, actor, data, expected_version=None, request_key=""):
    """Write the whole registration of ``unit`` as a draft (or a returned one being corrected)."""
    workflow.check_campaign_open(campaign)
    workflow.require_enter(actor, unit)
    registration, created = Registration.objects.get_or_create(campaign=campaign, organization=unit)
    registration = workflow.lock(registration)
    # Said before any conflict: nothing can be saved into what is under review or approved.
    if not registration.is_editable:
        raise DomainError(_("The registration has been sent; it can no longer be changed."))
    if not created:
        workflow.check_version(registration, expected_version)
    targets = scope.targets_for(campaign, unit)
    problems = pledge_problems(targets, data.pledges, allocations_of(campaign, unit))
    if problems:
        raise DomainError(" ".join(f"{t.code}: {problems[t.pk][1]}" for t in targets if t.pk in problems))
    _write_pledges(registration, targets, data.pledges, actor)
    _write_aims(registration, unit, data.aims)
    _write_works(registration, data.works)
    registration.collective_title = data.collective_title
    registration.note = data.note
    registration.version += 1
    registration.updated_by = actor
    registration.last_request = request_key
    registration.save()
    return registration


def _write_pledges(registration, targets, pledges, actor):
    existing = {p.target_id: p for p in registration.pledges.all()}
    for target in targets:
        value, reason = pledges.get(target.pk, (None, ""))
        pledge = existing.get(target.pk)
        if value is None and not reason:
            if pledge is not None:
                pledge.delete()
            continue
        if pledge is None:
            pledge = Pledge(registration=registration, target=target)
        elif pledge.value == value and pledge.reason == reason:
            continue
        pledge.value = None if value is None else Decimal(value)
        pledge.reason = reason
        save_as(pledge, actor)


def _write_aims(registration, unit, aims):
    registration.title_aims.all().delete()
    seen = set()
    for position, (title, full_name, job) in enumerate(aims):
        key = (full_name.strip().casefold(), job.strip().casefold())
        if key in seen:
            raise DomainError(_("%(name)s is listed twice.") % {"name": full_name})
        seen.add(key)
        person = (
            Person.objects.filter(organization=unit, full_name__iexact=full_name.strip(), position__iexact=job.strip())
            .order_by("pk")
            .first()
        )
        if person is None:
            person = Person.objects.create(organization=unit, full_name=full_name.strip(), position=job.strip())
        TitleAim.objects.create(registration=registration, person=person, title=title, position=position)


def _write_works(registration, works):
    registration.works.all().delete()
    # One by one, so that each work gets its history row (a registration lists a handful).
    for position, work in enumerate(works):
        Work.objects.create(
            registration=registration,
            position=position,
            name=work["name"],
            description=work.get("description", ""),
            expected_completion=work.get("expected_completion"),
        )


def snapshot(registration):
    """The registration as readable lines, for the history and the diff after a reopening."""
    data = {}
    for pledge in registration.pledges.select_related("target"):
        data[_("%(code)s pledged") % {"code": pledge.target.code}] = vn_number(pledge.value) or "—"
        if pledge.reason:
            data[_("%(code)s reason") % {"code": pledge.target.code}] = pledge.reason
    if registration.collective_title_id:
        data[str(_("Collective title"))] = registration.collective_title.name
    for aim in registration.title_aims.select_related("person", "title"):
        data[str(aim.person)] = aim.title.name
    for work in registration.works.all():
        completion = f" ({work.expected_completion:%d/%m/%Y})" if work.expected_completion else ""
        data[_("Work: %(name)s") % {"name": work.name}] = (work.description or "—") + completion
    if registration.note:
        data[str(_("Other commitments"))] = registration.note
    return data


def _check_complete(registration):
    if (
        not registration.pledges.exists()
        and not registration.collective_title_id
        and not registration.title_aims.exists()
    ):
        raise DomainError(_("The registration is empty: pledge the targets or name a title before sending it."))


@transaction.atomic
def submit_registration(registration, *, actor, request_key=""):
    """Send the registration up; returns (registration, whether it was sent now)."""
    return workflow.submit(registration, actor=actor, snapshot=snapshot, check=_check_complete, request_key=request_key)


@transaction.atomic
def approve_registration(registration, *, actor, comment=""):
    return workflow.approve(registration, actor=actor, snapshot=snapshot, comment=comment)


@transaction.atomic
def return_registration(registration, *, actor, comment):
    return workflow.return_to_unit(registration, actor=actor, comment=comment, snapshot=snapshot)


@transaction.atomic
def reopen_registration(registration, *, actor, reason):
    return workflow.reopen(registration, actor=actor, reason=reason)
