"""Nominations on their way up: written by a unit, sent to the level above, checked against
the criteria, forwarded as a proposal (tờ trình) until they reach the unit whose authority
covers the title or form, which puts them before its council."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.eligibility import FAIL, check_nomination, overall
from awards.models import (
    AwardForm,
    Nomination,
    NominationEvent,
    NominationEvidence,
    NominationStatus,
    Proposal,
    Quota,
    Scope,
    Title,
)
from core.audit import delete_as, save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from organizations.access import Cap, can
from organizations.models import Organization
from reports.evidence import check_evidence
from reports.models import Registration, Status, TitleAim

Action = NominationEvent.Action
FIELDS = ("year", "title", "award_form", "person", "organization", "summary", "award_kind", "campaign")
# Nominations that count against a quota: accepted at the deciding unit and not turned down.
QUOTA_STATES = (NominationStatus.READY, NominationStatus.IN_COUNCIL, NominationStatus.PASSED, NominationStatus.DECIDED)
LIVE_STATES = [s for s in NominationStatus.values if s not in ("not_passed", "rejected")]


def deciding_unit(nominator, entry):
    """The unit whose authority covers ``entry``: the nearest one, from the nominator up,
    whose level is at or above the entry's awarding level (state-level entries stop at the top)."""
    level = max(entry.awarding_level, 1)
    chain = [nominator, *reversed(nominator.ancestors())]
    return next((unit for unit in chain if unit.kind.level <= level), chain[-1])


def _event(nomination, action, *, actor, unit, note=""):
    NominationEvent.objects.create(nomination=nomination, action=action, actor=actor, unit=unit, note=note)


def _require(actor, capability, unit, message):
    if not can(actor, capability, unit):
        raise DomainError(message % {"unit": unit})


def _check_nominee(nominator, data):
    entry = data.get("title") or data.get("award_form")
    if entry is None or (data.get("title") and data.get("award_form")):
        raise DomainError(_("Choose one title or one award form."), field="entry")
    person, unit = data.get("person"), data.get("organization")
    if (person is None) == (unit is None):
        raise DomainError(_("Choose one person or one collective."), field="person")
    wanted = Scope.INDIVIDUAL if person else Scope.COLLECTIVE
    if entry.scope != wanted:
        raise DomainError(
            _("“%(entry)s” is for %(scope)s; it cannot be proposed for %(nominee)s.")
            % {"entry": entry, "scope": entry.get_scope_display().lower(), "nominee": person or unit},
            field="entry",
        )
    subtree = Organization.objects.subtree(nominator)
    home = person.organization if person else unit
    if not subtree.filter(pk=home.pk).exists():
        raise DomainError(_("%(nominee)s is not in %(unit)s.") % {"nominee": person or unit, "unit": nominator})
    return entry


def _check_year(entry, year):
    today = timezone.localdate()
    if not 2000 <= year <= today.year + 1:
        raise DomainError(_("Give a year between 2000 and %(last)s.") % {"last": today.year + 1}, field="year")
    if not entry.is_valid_on(datetime.date(year, 12, 31)):
        raise DomainError(
            _("“%(entry)s” is not in force for %(year)s.") % {"entry": entry, "year": year}, field="entry"
        )


def _check_duplicate(data, entry, exclude=None):
    same = Nomination.objects.filter(
        year=data["year"],
        status__in=LIVE_STATES,
        person=data.get("person"),
        organization=data.get("organization"),
        **{"title" if isinstance(entry, Title) else "award_form": entry},
    )
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise DomainError(_("This nominee is already proposed for it in that year."), field="entry")


@transaction.atomic
def create_nomination(nominator, *, actor, data) -> Nomination:
    """A draft nomination of a person or collective of ``nominator``'s subtree."""
    _require(actor, Cap.NOMINATE, nominator, _("You cannot propose awards for %(unit)s."))
    entry = _check_nominee(nominator, data)
    _check_year(entry, data["year"])
    _check_duplicate(data, entry)
    nomination = Nomination(
        nominator=nominator, holder=nominator, deciding_unit=deciding_unit(nominator, entry), created_by=actor
    )
    for name in FIELDS:
        setattr(nomination, name, data.get(name))
    nomination.award_kind = data.get("award_kind") or nomination._meta.get_field("award_kind").default
    save_as(nomination, actor)
    _event(nomination, Action.CREATED, actor=actor, unit=nominator)
    return nomination


def _editable(nomination, actor):
    _require(actor, Cap.NOMINATE, nomination.nominator, _("You cannot change the nominations of %(unit)s."))
    if nomination.status != NominationStatus.DRAFT:
        raise DomainError(_("Only a nomination not yet sent can be changed."))


@transaction.atomic
def update_nomination(nomination, *, actor, data, expected_version) -> Nomination:
    nomination = lock_current(Nomination, nomination, expected_version)
    _editable(nomination, actor)
    entry = _check_nominee(nomination.nominator, data)
    _check_year(entry, data["year"])
    _check_duplicate(data, entry, exclude=nomination)
    for name in FIELDS:
        setattr(nomination, name, data.get(name))
    nomination.deciding_unit = deciding_unit(nomination.nominator, entry)
    nomination.version += 1
    return save_as(nomination, actor)


@transaction.atomic
def delete_nomination(nomination, *, actor):
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _editable(nomination, actor)
    for evidence in nomination.evidence.all():
        transaction.on_commit(lambda f=evidence.file: f.delete(save=False))
    delete_as(nomination, actor)


@transaction.atomic
def add_evidence(nomination, *, actor, uploaded) -> NominationEvidence:
    """Attach a file to the dossier; its type is read from the content."""
    _editable(nomination, actor)
    if nomination.evidence.count() >= settings.EVIDENCE_MAX_FILES:
        message = _("At most %(count)s files per nomination.") % {"count": settings.EVIDENCE_MAX_FILES}
        raise DomainError(message, field="file")
    content_type, digest = check_evidence(uploaded)
    evidence = NominationEvidence(
        nomination=nomination,
        original_name=uploaded.name[:255],
        content_type=content_type,
        size=uploaded.size,
        sha256=digest,
        uploaded_by=actor,
    )
    evidence.file.save("evidence", uploaded, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def delete_evidence(evidence, *, actor):
    _editable(evidence.nomination, actor)
    evidence.delete()
    transaction.on_commit(lambda: evidence.file.delete(save=False))


def _snapshot(nomination):
    nomination.checks = [check.as_dict() for check in check_nomination(nomination)]
    nomination.checked_at = timezone.now()
    return nomination.checks


@transaction.atomic
def submit_nomination(nomination, *, actor) -> Nomination:
    """Send a draft up: to the parent for review, or straight to the nominator's own council
    when the nominator decides it."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _editable(nomination, actor)
    _snapshot(nomination)
    if nomination.deciding_unit_id == nomination.nominator_id:
        nomination.status = NominationStatus.READY
    else:
        nomination.status = NominationStatus.PENDING
        nomination.holder = nomination.nominator.parent
    nomination.return_note = ""
    nomination.version += 1
    save_as(nomination, actor, reason=_("Sent up"))
    _event(nomination, Action.SUBMITTED, actor=actor, unit=nomination.nominator)
    return nomination


def _reviewable(nomination, actor, states=(NominationStatus.PENDING,)):
    _require(actor, Cap.REVIEW_AWARDS, nomination.holder, _("You cannot review the nominations held by %(unit)s."))
    if nomination.status not in states:
        raise DomainError(
            _("“%(nominee)s” is %(status)s; it cannot be handled now.")
            % {"nominee": nomination.nominee, "status": nomination.get_status_display().lower()}
        )


@transaction.atomic
def record_check(nomination, *, actor) -> Nomination:
    """Keep the result of the eligibility check as it stands now, for the dossier."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _reviewable(nomination, actor, (NominationStatus.PENDING, NominationStatus.READY))
    checks = _snapshot(nomination)
    nomination.save(update_fields=["checks", "checked_at"])
    _event(nomination, Action.CHECKED, actor=actor, unit=nomination.holder, note=_overall_text(checks))
    return nomination


def _overall_text(checks):
    return {"pass": _("Meets every criterion"), "fail": _("Fails a criterion"), "unknown": _("Some criteria unknown")}[
        overall(checks)
    ]


def _require_override(nomination, checks, reason):
    if overall(checks) == FAIL and not (reason or "").strip():
        raise DomainError(
            _("“%(nominee)s” fails a criterion; give the reason for sending it on anyway.")
            % {"nominee": nomination.nominee},
            field="override_reason",
        )


@transaction.atomic
def forward_nominations(nominations, *, actor, overrides=None, note="") -> Proposal:
    """Forward nominations beyond the holder's authority to the level above, as one proposal."""
    overrides = overrides or {}
    locked = list(Nomination.objects.select_for_update().filter(pk__in=[n.pk for n in nominations]).order_by("pk"))
    if not locked:
        raise DomainError(_("Choose the nominations to forward."))
    if len({n.holder_id for n in locked}) > 1:
        raise DomainError(_("Forward the nominations of one unit at a time."))
    if len({n.year for n in locked}) > 1:
        raise DomainError(_("Forward the nominations of one year at a time."))
    holder = locked[0].holder
    if holder.parent is None:
        raise DomainError(_("There is no level above %(unit)s.") % {"unit": holder})
    proposal = Proposal.objects.create(
        from_unit=holder, to_unit=holder.parent, year=locked[0].year, note=note, created_by=actor
    )
    for nomination in locked:
        _forward_one(nomination, actor=actor, reason=overrides.get(nomination.pk, ""), proposal=proposal)
    return proposal


def _forward_one(nomination, *, actor, reason, proposal):
    _reviewable(nomination, actor)
    if nomination.holder_id == nomination.deciding_unit_id:
        raise DomainError(
            _("“%(nominee)s” is within the authority of %(unit)s; put it before the council instead.")
            % {"nominee": nomination.nominee, "unit": nomination.holder}
        )
    checks = _snapshot(nomination)
    _require_override(nomination, checks, reason)
    if reason:
        nomination.override_reason = reason.strip()
    nomination.holder = proposal.to_unit
    nomination.version += 1
    save_as(nomination, actor, reason=_("Forwarded"))
    proposal.nominations.add(nomination)
    _event(nomination, Action.FORWARDED, actor=actor, unit=proposal.from_unit, note=reason or _overall_text(checks))


def quota_use(unit, entry, year):
    """``(used, cap)``: nominations accepted at ``unit`` for ``entry`` in ``year`` and its quota (None: no cap)."""
    field = "title" if isinstance(entry, Title) else "award_form"
    quota = Quota.objects.filter(organization=unit, year=year, **{field: entry}).first()
    used = Nomination.objects.filter(deciding_unit=unit, year=year, status__in=QUOTA_STATES, **{field: entry}).count()
    return used, quota.cap if quota else None


@transaction.atomic
def accept_nomination(nomination, *, actor, override_reason="") -> Nomination:
    """At the deciding unit: the nomination goes before its council (within the quota)."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _reviewable(nomination, actor)
    if nomination.holder_id != nomination.deciding_unit_id:
        raise DomainError(
            _("“%(entry)s” is decided by %(unit)s; forward it there.")
            % {"entry": nomination.entry, "unit": nomination.deciding_unit}
        )
    checks = _snapshot(nomination)
    _require_override(nomination, checks, override_reason)
    used, cap = quota_use(nomination.holder, nomination.entry, nomination.year)
    if cap is not None and used >= cap:
        raise DomainError(
            _("The quota of “%(entry)s” for %(year)s is used up (%(used)s of %(cap)s).")
            % {"entry": nomination.entry, "year": nomination.year, "used": used, "cap": cap}
        )
    if override_reason:
        nomination.override_reason = override_reason.strip()
    nomination.status = NominationStatus.READY
    nomination.version += 1
    save_as(nomination, actor, reason=_("Accepted for the council"))
    _event(nomination, Action.ACCEPTED, actor=actor, unit=nomination.holder, note=override_reason)
    return nomination


@transaction.atomic
def return_nomination(nomination, *, actor, note) -> Nomination:
    """Send a nomination back to the unit that wrote it, saying why."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _reviewable(nomination, actor, (NominationStatus.PENDING, NominationStatus.READY))
    if not (note or "").strip():
        raise DomainError(_("Say why it is sent back."), field="note")
    unit = nomination.holder
    nomination.status = NominationStatus.DRAFT
    nomination.holder = nomination.nominator
    nomination.return_note = note.strip()
    nomination.version += 1
    save_as(nomination, actor, reason=_("Sent back"))
    _event(nomination, Action.RETURNED, actor=actor, unit=unit, note=note.strip())
    return nomination


def candidates(unit, year):
    """People and collectives of ``unit``'s subtree who registered for a title in ``year``'s
    campaigns and are not nominated for it yet: ``[(nominee, title)]``."""
    sent = [Status.SUBMITTED, Status.APPROVED]
    subtree = Organization.objects.subtree(unit).values("pk")
    nominated = set(
        Nomination.objects.filter(year=year, status__in=LIVE_STATES, nominator__in=subtree).values_list(
            "person_id", "organization_id", "title_id"
        )
    )
    found = []
    aims = TitleAim.objects.filter(
        registration__organization__in=subtree, registration__campaign__year=year, registration__status__in=sent
    ).select_related("person", "title")
    for aim in aims:
        if (aim.person_id, None, aim.title_id) not in nominated:
            found.append((aim.person, aim.title))
    registrations = Registration.objects.filter(
        organization__in=subtree, campaign__year=year, status__in=sent, collective_title__isnull=False
    ).select_related("organization", "collective_title")
    for registration in registrations:
        if (None, registration.organization_id, registration.collective_title_id) not in nominated:
            found.append((registration.organization, registration.collective_title))
    return found


def entry_from_code(value):
    """``t-<id>`` or ``f-<id>`` from an entry select, as the title or award form."""
    kind, _sep, pk = (value or "").partition("-")
    model = {"t": Title, "f": AwardForm}.get(kind)
    if model is None or not pk.isdigit():
        return None
    return model.objects.filter(pk=pk).first()
