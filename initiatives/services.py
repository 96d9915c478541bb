"""Writes to the initiative register: each names its author and keeps its history."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import delete_as, save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from initiatives.models import Initiative
from organizations.access import Cap, can

FIELDS = (
    "title",
    "authors",
    "field",
    "recognized_on",
    "benefit",
    "benefit_note",
    "recognition_level",
    "decision_number",
)


def _require_enter(actor, unit):
    if not can(actor, Cap.ENTER_REPORTS, unit):
        raise DomainError(_("You cannot enter the initiatives of “%(unit)s”.") % {"unit": unit})


@transaction.atomic
def create_initiative(unit, *, actor, data):
    _require_enter(actor, unit)
    initiative = Initiative(organization=unit, created_by=actor, **{k: data[k] for k in FIELDS if k in data})
    return save_as(initiative, actor)


@transaction.atomic
def update_initiative(initiative, *, actor, data, expected_version):
    current = lock_current(Initiative, initiative, expected_version)
    _require_enter(actor, current.organization)
    for name in FIELDS:
        if name in data:
            setattr(current, name, data[name])
    current.version += 1
    return save_as(current, actor)


@transaction.atomic
def delete_initiative(initiative, *, actor):
    _require_enter(actor, initiative.organization)
    delete_as(initiative, actor)
