"""Award decisions (quyết định khen thưởng): the list a council passed and the public
disclosure cleared becomes a decision; issuing it records the honours; it is signed as
a PDF; it may be revoked (Luật Thi đua, khen thưởng 2022 Điều 93).

Every write takes the acting user, runs in one transaction and raises DomainError with
the reason when a rule refuses it, so nothing is written half-way.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awards.models import (
    BaseSalary,
    Decision,
    DecisionEntry,
    DecisionStatus,
    Disclosure,
    Honour,
    HonourSource,
    Nomination,
    NominationEvent,
    NominationStatus,
    reward_amount,
)
from awards.printing import decision_filename, decision_html
from awards.services.disclosure import decidable_nominations, ready_for_decision
from core.audit import save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from documents.models import Issuer
from documents.services import check_signing_certificate, sign_and_keep
from organizations.access import Cap, can

LAW_BASIS = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"
UNION_BASIS = (
    "Căn cứ Quy chế Khen thưởng của tổ chức Công đoàn ban hành kèm theo Quyết định số 999/QĐ-TLĐ "
    "ngày 29 tháng 5 năm 2024 của Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam"
)
# What a decision says beside its list; the list itself comes as ``nominations``.
DECISION_FIELDS = (
    "issuer",
    "disclosure",
    "number",
    "issued_on",
    "subject",
    "award_kind",
    "bases",
    "achievement",
    "signer_authority",
    "signer_title",
    "signer_name",
)


# Readiness of a disclosure (the rules live with the disclosure) ------------------------------


def disclosure_reasons(disclosure, day=None):
    """Why the list of ``disclosure`` cannot be decided on ``day`` yet (empty when it can)."""
    return list(ready_for_decision(disclosure, day=day))


def decidable_pks(disclosure):
    return set(decidable_nominations(disclosure).values_list("pk", flat=True))


# Defaults for the form -----------------------------------------------------------------------


def candidate_nominations(unit, decision=None):
    """Nominations the unit may put on a decision: passed, held by it, disclosed by it and
    not already on another decision (a draft keeps its own)."""
    candidates = Nomination.objects.filter(
        holder=unit, status=NominationStatus.PASSED, disclosures__organization=unit
    ).exclude(decision_entry__decision__in=_other_decisions(decision))
    return candidates.select_related("person", "organization", "title", "award_form", "nominator").distinct()


def _other_decisions(decision):
    others = Decision.objects.all()
    return others.exclude(pk=decision.pk) if decision is not None else others


def next_number(unit, year):
    last = Decision.objects.filter(organization=unit, year=year).order_by("-number").first()
    return last.number + 1 if last else 1


def decision_defaults(unit, *, day=None, disclosure=None):
    """Initial values of a new decision of ``unit``: the usual bases, subject and signer."""
    day = day or timezone.localdate()
    # Early in the year the decisions reward the year just ended.
    year = _achievement_year(disclosure) or (day.year - 1 if day.month < 7 else day.year)
    name = unit.short_name or unit.name
    initial = {
        "number": next_number(unit, day.year),
        "issued_on": day,
        "subject": f"Về việc khen thưởng thành tích xuất sắc năm {year}",
        "bases": "\n".join([LAW_BASIS, UNION_BASIS, f"Xét đề nghị của Hội đồng Thi đua – Khen thưởng {name}"]),
        "achievement": f"Đã có thành tích xuất sắc trong phong trào thi đua năm {year}.",
        "signer_authority": "TM. BAN THƯỜNG VỤ" if unit.kind.level <= 3 else "TM. BAN CHẤP HÀNH",
        "signer_title": "CHỦ TỊCH",
    }
    issuer = Issuer.objects.usable_by(unit).first()
    if issuer is not None:
        initial["issuer"] = issuer.pk
    if disclosure is not None:
        initial["disclosure"] = disclosure.pk
        offered = set(candidate_nominations(unit).values_list("pk", flat=True))
        initial["nominations"] = sorted(decidable_pks(disclosure) & offered)
    return initial


def _achievement_year(disclosure):
    if disclosure is None:
        return None
    first = disclosure.nominations.order_by("-year").first()
    return first.year if first else None


# Drafting ------------------------------------------------------------------------------------


def _check_manage(actor, unit):
    if not can(actor, Cap.MANAGE_AWARDS, unit):
        raise DomainError(_("You cannot manage the award decisions of “%(unit)s”.") % {"unit": unit})


def _check_number(unit, number, year, decision=None):
    if not number or number < 1:
        raise DomainError(_("The number must be a positive whole number."), field="number")
    taken = Decision.objects.filter(organization=unit, year=year, number=number)
    if decision is not None:
        taken = taken.exclude(pk=decision.pk)
    if taken.exists():
        raise DomainError(
            _("Number %(number)s of %(year)s is already used by another decision of this unit.")
            % {"number": number, "year": year},
            field="number",
        )


def _check_list(unit, disclosure, nominations, *, day, award_kind, decision=None):
    """Refuse a list that may not be decided: empty, not disclosed, disclosure not over,
    or a nominee that is not a passed nomination held by the unit."""
    if not nominations:
        raise DomainError(
            _("Choose at least one nominee: a decision with an empty list cannot be made."), field="nominations"
        )
    if disclosure is None or disclosure.organization_id != unit.pk:
        raise DomainError(_("Choose a public disclosure of this unit."), field="disclosure")
    reasons = disclosure_reasons(disclosure, day=day)
    if reasons:
        raise DomainError(
            _("The disclosed list cannot be decided yet: %(reasons)s") % {"reasons": " ".join(reasons)},
            field="disclosure",
        )
    decidable = decidable_pks(disclosure)
    refused = [
        n for n in nominations if n.pk not in decidable or n.status != NominationStatus.PASSED or n.holder_id != unit.pk
    ]
    if refused:
        raise DomainError(
            _("Not a passed nomination of this disclosure, so it cannot be decided: %(names)s.")
            % {"names": "; ".join(str(n.nominee) for n in refused)},
            field="nominations",
        )
    other_kind = [n for n in nominations if n.award_kind != award_kind]
    if other_kind:
        raise DomainError(
            _("These nominations are for another kind of award than the decision: %(names)s.")
            % {"names": "; ".join(str(n.nominee) for n in other_kind)},
            field="nominations",
        )
    listed = (
        DecisionEntry.objects.filter(nomination__in=nominations)
        .exclude(decision=decision)
        .select_related("decision__issuer", "person", "organization")
    )
    if listed:
        raise DomainError(
            _("Already on another decision: %(names)s.")
            % {"names": "; ".join(f"{entry.nominee} ({entry.decision.number_line})" for entry in listed)},
            field="nominations",
        )


def _base_salary(day):
    salary = BaseSalary.objects.on(day)
    if salary is None:
        raise DomainError(
            _("No base salary is recorded for %(date)s; ask an administrator to add it.")
            % {"date": date_format(day, "SHORT_DATE_FORMAT")},
            field="issued_on",
        )
    return salary.amount


def describe(nomination):
    """The 'position, unit' column of the printed list."""
    if nomination.person_id:
        person = nomination.person
        return ", ".join(part for part in [person.position, person.organization.name] if part)
    parent = nomination.organization.parent
    return parent.name if parent else ""


def _entry_order(nomination):
    # The printed list runs titles before award forms, each in catalogue order, people before units.
    entry = nomination.entry
    return (
        nomination.award_form_id is not None,
        entry.sort_order,
        entry.name,
        nomination.is_collective,
        str(nomination.nominee),
    )


def _write_entries(decision, nominations):
    decision.entries.all().delete()
    for order, nomination in enumerate(sorted(nominations, key=_entry_order), start=1):
        DecisionEntry.objects.create(
            decision=decision,
            nomination=nomination,
            person=nomination.person,
            organization=nomination.organization,
            title=nomination.title,
            award_form=nomination.award_form,
            description=describe(nomination)[:400],
            amount=reward_amount(nomination.entry.coefficient, decision.base_salary),
            order=order,
        )


def _fresh(nominations):
    """The chosen nominations as the database has them now, locked until the decision is saved."""
    ids = [nomination.pk for nomination in nominations]
    return list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("person__organization", "organization__parent", "title", "award_form")
        .order_by("pk")
    )


def _save_draft(decision, data, nominations, *, actor):
    unit = decision.organization
    nominations = _fresh(nominations)
    issuer = data["issuer"]
    if issuer is None or not Issuer.objects.usable_by(unit).filter(pk=issuer.pk).exists():
        raise DomainError(_("Choose an issuer this unit uses."), field="issuer")
    for field in DECISION_FIELDS:
        setattr(decision, field, data[field])
    decision.year = decision.issued_on.year
    _check_number(unit, decision.number, decision.year, decision if decision.pk else None)
    _check_list(
        unit,
        decision.disclosure,
        nominations,
        day=decision.issued_on,
        award_kind=decision.award_kind,
        decision=decision if decision.pk else None,
    )
    decision.base_salary = _base_salary(decision.issued_on)
    try:
        # A savepoint: a number taken by someone a moment ago becomes a clear message, not a 500.
        with transaction.atomic():
            save_as(decision, actor)
    except IntegrityError:
        raise DomainError(
            _("Number %(number)s of %(year)s is already used by another decision of this unit.")
            % {"number": decision.number, "year": decision.year},
            field="number",
        ) from None
    _write_entries(decision, nominations)
    return decision


@transaction.atomic
def create_decision(unit, *, actor, data) -> Decision:
    """Draft a decision of ``unit`` for the chosen ``data["nominations"]``.

    Each nomination becomes an entry with the reward counted on the base salary in
    force on the decision date (coefficient × salary, rounded up to 10.000 đ).
    """
    _check_manage(actor, unit)
    decision = Decision(organization=unit, created_by=actor)
    return _save_draft(decision, data, list(data.get("nominations") or []), actor=actor)


@transaction.atomic
def update_decision(decision, *, actor, data, expected_version=None) -> Decision:
    """Change a draft decision (its list included); refused once issued."""
    _check_manage(actor, decision.organization)
    decision = lock_current(Decision, decision, expected_version)
    if decision.status != DecisionStatus.DRAFT:
        raise DomainError(_("Only a draft decision can be changed."))
    decision.version += 1
    return _save_draft(decision, data, list(data.get("nominations") or []), actor=actor)


# Issuing, signing, revoking ------------------------------------------------------------------


@transaction.atomic
def issue_decision(decision, *, actor, expected_version=None) -> Decision:
    """Issue a draft: its nominations become decided and each awardee gets an Honour.

    The list is checked again, since objections may have come in after it was drafted.
    """
    _check_manage(actor, decision.organization)
    decision = lock_current(Decision, decision, expected_version)
    if decision.status != DecisionStatus.DRAFT:
        raise DomainError(_("Only a draft decision can be issued."))
    entries = list(decision.entries.all())
    # Locked: two decisions issued at once must not both award the same nomination.
    locked = Nomination.objects.select_for_update().filter(pk__in=[e.nomination_id for e in entries]).order_by("pk")
    nominations = {nomination.pk: nomination for nomination in locked}
    for entry in entries:
        entry.nomination = nominations.get(entry.nomination_id)
    # Over both on the decision's date and today: a decision dated ahead cannot cut objections short.
    day = min(timezone.localdate(), decision.issued_on)
    _check_list(
        decision.organization,
        decision.disclosure,
        list(nominations.values()),
        day=day,
        award_kind=decision.award_kind,
        decision=decision,
    )
    decision.status = DecisionStatus.ISSUED
    decision.version += 1
    save_as(decision, actor, reason=_("Issued"))
    for entry in entries:
        _record_award(decision, entry, actor=actor)
    return decision


def _record_award(decision, entry, *, actor):
    nomination = entry.nomination
    if nomination is not None:
        nomination.status = NominationStatus.DECIDED
        nomination.version += 1
        save_as(nomination, actor, reason=_("Awarded by %(number)s") % {"number": decision.number_line})
        NominationEvent.objects.create(
            nomination=nomination,
            action=NominationEvent.Action.DECIDED,
            unit=decision.organization,
            actor=actor,
            note=f"{decision.number_line} ngày {decision.issued_on:%d/%m/%Y}",
        )
    honour = Honour(
        person=entry.person,
        organization=entry.organization,
        year=nomination.year if nomination else decision.year,
        title=entry.title,
        award_form=entry.award_form,
        award_kind=decision.award_kind,
        decision_number=decision.number_line,
        decided_on=decision.issued_on,
        issuer_name=str(decision.issuer),
        decision=decision,
        source=HonourSource.DECISION,
        created_by=actor,
    )
    save_as(honour, actor)


@transaction.atomic
def sign_decision(decision, *, actor, certificate, passphrase):
    """Sign the issued decision (with its list) and keep the PDF as a SignedDocument."""
    unit = decision.organization
    if not can(actor, Cap.SIGN_DOCUMENTS, unit):
        raise DomainError(_("You cannot sign the documents of “%(unit)s”.") % {"unit": unit})
    if decision.status != DecisionStatus.ISSUED:
        raise DomainError(_("Only an issued decision can be signed."))
    check_signing_certificate(certificate, unit)
    issuer = decision.issuer
    return sign_and_keep(
        decision,
        actor=actor,
        certificate=certificate,
        passphrase=passphrase,
        html=decision_html(decision),
        filename=decision_filename(decision, signed=True),
        record={
            "title": f"QUYẾT ĐỊNH {decision.subject}",
            "number_line": decision.number_line,
            "issued_on": decision.issued_on,
            "issuer_text": str(issuer),
            "version_number": 1,
        },
        unit_name=issuer.name.replace("\n", " "),
        location=issuer.place,
        reason=_("Issuing %(number)s") % {"number": decision.number_line},
    )


@transaction.atomic
def revoke_decision(decision, *, actor, reason, expected_version=None) -> Decision:
    """Revoke an issued decision (Luật 2022 Điều 93): its honours are marked revoked with the
    reason and each nomination's timeline says so."""
    _check_manage(actor, decision.organization)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for revoking the decision."), field="reason")
    decision = lock_current(Decision, decision, expected_version)
    if decision.status != DecisionStatus.ISSUED:
        raise DomainError(_("Only an issued decision can be revoked."))
    decision.status = DecisionStatus.REVOKED
    decision.revoke_reason = reason
    decision.revoked_at = timezone.now()
    decision.revoked_by = actor
    decision.version += 1
    save_as(decision, actor, reason=_("Revoked: %(reason)s") % {"reason": reason})
    today = timezone.localdate()
    for honour in decision.honours.all():
        honour.revoked_on = today
        honour.revoke_reason = reason[:500]
        save_as(honour, actor, reason=_("Revoked with %(number)s") % {"number": decision.number_line})
    for entry in decision.entries.filter(nomination__isnull=False).select_related("nomination"):
        NominationEvent.objects.create(
            nomination=entry.nomination,
            action=NominationEvent.Action.REVOKED,
            unit=decision.organization,
            actor=actor,
            note=reason,
        )
    return decision


def disclosures_of(unit):
    """The unit's disclosures with why each cannot be decided yet (newest first)."""
    return [
        (disclosure, disclosure_reasons(disclosure))
        for disclosure in Disclosure.objects.filter(organization=unit).select_related("meeting")
    ]
