"""Allocating targets (giao chỉ tiêu): a unit splits its plan among its direct subunits."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Status
from core.audit import delete_as, save_as
from core.exceptions import ConflictError, DomainError
from organizations.access import Cap, can
from targets.models import ALLOCATABLE_KINDS, Allocation, AllocationSheet


def allocatable_targets(campaign):
    return (
        campaign.targets.filter(kind__in=ALLOCATABLE_KINDS)
        .select_related("group")
        .order_by("group__position", "position")
    )


def allocation_rows(campaign, unit):
    """The units that receive shares from ``unit``: its active direct subunits taking part."""
    participants = campaign.participants_below(unit)
    if unit.pk == campaign.owner_id:
        return participants.order_by("kind__level", "name")
    return participants.filter(Q(kind__level__gt=unit.kind.level)).order_by("kind__level", "name")


def unit_plan(campaign, unit, targets):
    """What ``unit`` has to split: the plan itself for the owner, else what it was given."""
    if unit.pk == campaign.owner_id:
        return {t.pk: t.plan_value for t in targets}
    given = Allocation.objects.filter(target__in=targets, organization=unit).values_list("target_id", "value")
    plan = {t.pk: None for t in targets}
    plan.update(dict(given))
    return plan


def current_values(targets, rows):
    return {
        (a.organization_id, a.target_id): a.value
        for a in Allocation.objects.filter(target__in=targets, organization__in=rows)
    }


def sheet_of(campaign, unit):
    sheet, _created = AllocationSheet.objects.get_or_create(campaign=campaign, organization=unit)
    return sheet


def sheet_version(campaign, unit):
    """The version of ``unit``'s split, without creating its sheet: showing a page writes nothing."""
    versions = AllocationSheet.objects.filter(campaign=campaign, organization=unit).values_list("version", flat=True)
    return versions.first() or 0


def check_can_allocate(campaign, unit, actor):
    campaign = Campaign.objects.get(pk=campaign.pk)  # the status as it is now, not as the caller loaded it
    if campaign.status == Status.CLOSED:
        raise DomainError(_("The campaign is closed; its allocations can no longer change."))
    if campaign.status == Status.DRAFT and unit.pk != campaign.owner_id:
        raise DomainError(_("The plan is still a draft."))
    if not can(actor, Cap.MANAGE_CAMPAIGNS, unit):
        raise DomainError(_("You cannot allocate the targets of “%(unit)s”.") % {"unit": unit})


@transaction.atomic
def save_allocation(campaign, unit, *, actor, values, expected_version):
    """Write the whole split of ``unit`` at once: ``values`` maps (unit id, target id) to a
    value, or to None to take a share back. A stale ``expected_version`` is a conflict."""
    check_can_allocate(campaign, unit, actor)
    sheet = AllocationSheet.objects.select_for_update().filter(pk=sheet_of(campaign, unit).pk).get()
    if expected_version is not None and sheet.version != expected_version:
        who = sheet.updated_by.get_full_name() if sheet.updated_by else _("someone")
        raise ConflictError(
            _(
                "%(who)s saved this allocation while you were editing it. Your figures are shown again; "
                "check them against the current ones and save again."
            )
            % {"who": who},
            current=sheet,
        )
    targets = {t.pk: t for t in allocatable_targets(campaign)}
    rows = {u.pk: u for u in allocation_rows(campaign, unit)}
    existing = {
        (a.organization_id, a.target_id): a
        for a in Allocation.objects.filter(target__in=targets.values(), organization__in=rows.values())
    }
    changed = 0
    for (unit_id, target_id), value in values.items():
        if unit_id not in rows or target_id not in targets:
            raise DomainError(_("A value was given for a unit or target outside this allocation."))
        if value is not None and value < 0:
            raise DomainError(_("Allocated values cannot be negative."))
        allocation = existing.get((unit_id, target_id))
        if value is None:
            if allocation is not None:
                delete_as(allocation, actor)
                changed += 1
        elif allocation is None:
            save_as(
                Allocation(
                    target=targets[target_id],
                    organization=rows[unit_id],
                    allocated_by=unit,
                    value=Decimal(value),
                ),
                actor,
            )
            changed += 1
        elif allocation.value != value:
            allocation.value = Decimal(value)
            save_as(allocation, actor)
            changed += 1
    sheet.version += 1
    sheet.updated_by = actor
    sheet.updated_at = timezone.now()
    sheet.save()
    return changed
