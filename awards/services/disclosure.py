"""Public disclosure (công khai) of what a council passed, and the objections raised during it.

After its council's meeting closes, a unit publishes the list it passed for a period. The
units that proposed the nominees see the list; their users may object while it runs. Staff
of the publishing unit resolve each objection: an upheld one withdraws the nomination. An
award decision waits for the period to end and for every objection to be resolved
(``ready_for_decision``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.models import (
    Disclosure,
    ItemResult,
    MeetingStatus,
    Nomination,
    NominationEvent,
    NominationStatus,
    Objection,
)
from awards.services.councils import set_nomination_status
from core.audit import save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from organizations.access import Cap, can


def _day(day):
    return f"{day:%d/%m/%Y}"


def can_publish(user, meeting):
    return can(user, Cap.MANAGE_AWARDS, meeting.council.organization)


def can_resolve(user, disclosure):
    return can(user, Cap.MANAGE_AWARDS, disclosure.organization)


def publishable_nominations(meeting):
    """The nominations a closed meeting passed that are still passed."""
    return Nomination.objects.filter(
        agenda_items__meeting=meeting,
        agenda_items__result=ItemResult.PASSED,
        status=NominationStatus.PASSED,
    ).select_related("person", "organization", "nominator", "title", "award_form")


@transaction.atomic
def publish_disclosure(meeting, *, actor, data) -> Disclosure:
    """Publish the list ``meeting`` passed from ``starts_on`` to ``ends_on`` (objections until then)."""
    if not can_publish(actor, meeting):
        raise DomainError(_("You cannot publish the awards of “%(unit)s”.") % {"unit": meeting.council.organization})
    if meeting.status != MeetingStatus.CLOSED:
        raise DomainError(_("The list is published once the council's meeting is closed."))
    if meeting.disclosures.exists():
        raise DomainError(_("The list of this meeting has already been published."))
    starts_on, ends_on = data["starts_on"], data["ends_on"]
    if ends_on < starts_on:
        raise DomainError(_("The period cannot end before it starts."), field="ends_on")
    nominations = list(publishable_nominations(meeting))
    if not nominations:
        raise DomainError(_("The meeting passed no nomination; there is nothing to publish."))
    disclosure = save_as(
        Disclosure(
            organization=meeting.council.organization,
            meeting=meeting,
            starts_on=starts_on,
            ends_on=ends_on,
            note=data.get("note", ""),
            created_by=actor,
        ),
        actor,
    )
    disclosure.nominations.set(nominations)
    return disclosure


def _require_running(disclosure, day):
    if day < disclosure.starts_on:
        raise DomainError(
            _("The disclosure starts on %(day)s; objections are taken from then on.")
            % {"day": _day(disclosure.starts_on)}
        )
    if disclosure.has_ended(day):
        raise DomainError(
            _("The disclosure ended on %(day)s; objections are no longer taken.") % {"day": _day(disclosure.ends_on)}
        )


@transaction.atomic
def raise_objection(disclosure, nomination, *, actor, text, day=None) -> Objection:
    """An objection to a listed nomination, while the disclosure runs, by someone who sees it."""
    if not Disclosure.objects.visible_to(actor).filter(pk=disclosure.pk).exists():
        raise DomainError(_("You cannot see this disclosure."))
    _require_running(disclosure, day or timezone.localdate())
    nomination = lock_current(Nomination, nomination, None)
    if not disclosure.nominations.filter(pk=nomination.pk).exists():
        raise DomainError(_("This nomination is not on the published list."))
    if nomination.status != NominationStatus.PASSED:
        raise DomainError(_("“%(nomination)s” has already been withdrawn.") % {"nomination": nomination})
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Say what the objection is."), field="text")
    objection = save_as(Objection(disclosure=disclosure, nomination=nomination, raised_by=actor, text=text), actor)
    NominationEvent.objects.create(
        nomination=nomination,
        action=NominationEvent.Action.OBJECTION,
        unit=disclosure.organization,
        actor=actor,
        note=_("An objection was raised during the public disclosure."),
    )
    return objection


@transaction.atomic
def resolve_objection(objection, *, actor, resolution, upheld) -> Objection:
    """Answer an objection; an upheld one withdraws the nomination (status rejected)."""
    disclosure = objection.disclosure
    if not can_resolve(actor, disclosure):
        raise DomainError(_("You cannot resolve objections of “%(unit)s”.") % {"unit": disclosure.organization})
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.is_resolved:
        raise DomainError(_("This objection has already been resolved."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise DomainError(_("Say how the objection was resolved."), field="resolution")
    if upheld is None:
        raise DomainError(_("Say whether the objection is upheld."), field="upheld")
    objection.resolution, objection.upheld = resolution, bool(upheld)
    objection.resolved_by, objection.resolved_at = actor, timezone.now()
    save_as(objection, actor)
    nomination = lock_current(Nomination, objection.nomination, None)
    if upheld and nomination.status == NominationStatus.PASSED:
        set_nomination_status(nomination, NominationStatus.REJECTED, actor, _("Objection upheld"))
    verdict = _("Objection upheld") if upheld else _("Objection not upheld")
    NominationEvent.objects.create(
        nomination=nomination,
        action=NominationEvent.Action.OBJECTION,
        unit=disclosure.organization,
        actor=actor,
        note=f"{verdict}: {resolution}",
    )
    return objection


def unresolved_objections(disclosure):
    return disclosure.objections.filter(resolved_at__isnull=True)


def ready_for_decision(disclosure, day=None) -> list[str]:
    """Why an award decision cannot be issued on ``disclosure`` yet; empty when it can."""
    day = day or timezone.localdate()
    reasons = []
    if not disclosure.has_ended(day):
        reasons.append(
            _("The disclosure runs until %(day)s; objections may still come.") % {"day": _day(disclosure.ends_on)}
        )
    open_count = unresolved_objections(disclosure).count()
    if open_count:
        reasons.append(
            ngettext(
                "%(count)d objection is not resolved yet.", "%(count)d objections are not resolved yet.", open_count
            )
            % {"count": open_count}
        )
    return reasons


def decidable_nominations(disclosure):
    """The disclosed nominations still passed: those an award decision may list."""
    return disclosure.nominations.filter(status=NominationStatus.PASSED)
