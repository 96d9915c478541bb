"""Factories for the awards tests. Helpers for each concept are added below the shared ones."""

from django.utils import timezone

from awards.models import (
    AwardForm,
    Council,
    CouncilMember,
    Nomination,
    NominationStatus,
    Title,
)
from organizations.models import Person
from tests.factories import make_membership, make_user


def title(code):
    return Title.objects.get(code=code)


def award_form(code):
    return AwardForm.objects.get(code=code)


def make_person(unit, full_name="Nguyễn Văn An", **fields):
    fields.setdefault("position", "Công nhân")
    fields.setdefault("joined_on", timezone.datetime(2015, 1, 1).date())
    return Person.objects.create(organization=unit, full_name=full_name, **fields)


def make_nomination(
    nominator,
    *,
    person=None,
    unit=None,
    entry="ldtt",
    year=2026,
    status="draft",
    holder=None,
    deciding_unit=None,
    actor=None,
    **fields,
):
    """A nomination written straight to the database (services are tested on their own)."""
    target = Title.objects.filter(code=entry).first()
    field = {"title": target} if target else {"award_form": AwardForm.objects.get(code=entry)}
    return Nomination.objects.create(
        nominator=nominator,
        holder=holder or nominator,
        deciding_unit=deciding_unit or holder or nominator,
        person=person,
        organization=unit if person is None else None,
        year=year,
        status=status,
        summary=fields.pop("summary", "Hoàn thành xuất sắc nhiệm vụ năm."),
        created_by=actor,
        **field,
        **fields,
    )


def make_council(unit, *, members=5, year=2026, secretary=True):
    """A council of ``members`` users of ``unit``; the first is the secretary when asked."""
    council = Council.objects.create(organization=unit, name=f"Hội đồng Thi đua – Khen thưởng {year}", year=year)
    seats = []
    for index in range(members):
        user = make_user(f"hd{council.pk}.tv{index}", full_name=f"Thành viên {index + 1}")
        make_membership(user, unit, "viewer")
        role = "secretary" if secretary and index == 0 else ("chair" if index == 1 else "member")
        seats.append(CouncilMember.objects.create(council=council, user=user, role=role))
    return council, seats


__all__ = ["NominationStatus", "award_form", "make_council", "make_nomination", "make_person", "title"]


# --- cluster covenants, scoring and acclaim

COVENANT_ITEMS = (
    ("Thực hiện các nhiệm vụ trọng tâm của năm", "criterion", "60"),
    ("Tổ chức phong trào thi đua, đăng ký giao ước", "criterion", "40"),
    ("Mô hình mới, cách làm hay", "bonus", "5"),
    ("Báo cáo chậm, thiếu", "penalty", "10"),
)


def make_covenant(cluster, *, year=2026, status="draft", items=COVENANT_ITEMS, name=None):
    """A covenant written straight to the database, with its scoring table."""
    import datetime
    from decimal import Decimal

    from awards.models import Covenant, ScoringItem

    covenant = Covenant.objects.create(
        cluster=cluster,
        year=year,
        name=name or f"Giao ước thi đua {cluster.name} năm {year}",
        status=status,
        signed_on=None if status == "draft" else datetime.date(year, 2, 20),
    )
    for order, (item_name, kind, max_points) in enumerate(items, start=1):
        ScoringItem.objects.create(
            covenant=covenant, order=order, name=item_name, kind=kind, max_points=Decimal(max_points)
        )
    return covenant


def make_card(covenant, scorer, unit, points, *, by=None):
    """A score card with ``points`` in the order of the covenant's items (ORM, total computed)."""
    from decimal import Decimal

    from awards.models import Score, Scorecard

    items = list(covenant.items.all())
    values = [Decimal(str(p)) for p in points]
    total = sum((item.sign * value for item, value in zip(items, values, strict=True)), Decimal("0"))
    card = Scorecard.objects.create(covenant=covenant, scorer=scorer, unit=unit, total=total, submitted_by=by)
    Score.objects.bulk_create(
        Score(scorecard=card, item=item, points=value) for item, value in zip(items, values, strict=True)
    )
    return card


def make_acclaim(covenant, candidates, *, seats=1, voters=()):
    """An open acclaim; each unit of ``voters`` is recorded as having voted (for no one)."""
    from awards.models import Acclaim, AcclaimTally, AcclaimVoter

    acclaim = Acclaim.objects.create(covenant=covenant, seats=seats)
    acclaim.candidates.set(candidates)
    for unit in candidates:
        AcclaimTally.objects.create(acclaim=acclaim, candidate=unit)
    for unit in voters:
        AcclaimVoter.objects.create(acclaim=acclaim, unit=unit)
    return acclaim


# --- councils, meetings, ballots and disclosure


def make_meeting(council, *, nominations=(), held_on=None, place="Hội trường tầng 2", status="planned", present=None):
    """A meeting (ORM) with one agenda item per nomination, each then "in_council";
    ``present`` (seats) is recorded when the meeting is not planned."""
    import datetime

    from awards.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(
        council=council, held_on=held_on or datetime.date(council.year, 12, 15), place=place, status=status
    )
    for nomination in nominations:
        AgendaItem.objects.create(meeting=meeting, nomination=nomination)
        Nomination.objects.filter(pk=nomination.pk).update(status="in_council")
    if status != "planned":
        meeting.present.set(present if present is not None else council.members.all())
    return meeting


def make_disclosure(meeting, *, starts_on, ends_on, actor=None):
    """A disclosure (ORM) of a meeting, closed by this call: every agenda item passed in round 1."""
    from awards.models import Disclosure

    total = meeting.council.members.count()
    meeting.status, meeting.ballot_round = "closed", 1
    meeting.save()
    nominations = []
    for item in meeting.items.select_related("nomination__title", "nomination__award_form"):
        needed = item.nomination.entry.votes_needed(total)
        item.result, item.yes_round1, item.no_round1 = "passed", total, 0
        item.members_total, item.votes_needed = total, needed
        item.save()
        Nomination.objects.filter(pk=item.nomination_id).update(status="passed")
        nominations.append(item.nomination_id)
    disclosure = Disclosure.objects.create(
        organization=meeting.council.organization,
        meeting=meeting,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    disclosure.nominations.set(nominations)
    return disclosure


# --- decisions and certificates


def make_disclosed_list(unit, nominations, *, year=2026, starts_on=None, ends_on=None, actor=None):
    """``unit``'s council passed ``nominations`` (held by it) and published the list; by default
    the objection period ended on 10/11 of ``year``."""
    import datetime

    council = (
        Council.objects.filter(organization=unit, year=year).first() or make_council(unit, members=3, year=year)[0]
    )
    meeting = make_meeting(council, nominations=nominations, held_on=datetime.date(year, 10, 25), status="closed")
    return make_disclosure(
        meeting,
        starts_on=starts_on or datetime.date(year, 11, 1),
        ends_on=ends_on or datetime.date(year, 11, 10),
        actor=actor,
    )


def make_unit_issuer(unit, actor):
    from documents.models import Issuer
    from documents.services import default_issuer_values, save_issuer

    return Issuer.objects.usable_by(unit).first() or save_issuer(
        actor=actor, unit=unit, data=default_issuer_values(unit)
    )


def decision_data(unit, disclosure, nominations, actor, **fields):
    """What the decision form sends, for the services."""
    import datetime

    from awards.services.decisions import decision_defaults

    data = decision_defaults(unit, day=datetime.date(2026, 11, 16))
    data.update(
        issuer=make_unit_issuer(unit, actor),
        disclosure=disclosure,
        award_kind="cong-trang",
        signer_name="Trần Văn Ký",
        nominations=list(nominations),
    )
    data.update(fields)
    return data


def make_decision(unit, nominees, *, actor, status="draft", **fields):
    """A decision of ``unit`` on people or units (held by it, passed, disclosed), through the services.

    ``nominees`` are (nominator, person or unit, entry code) triples.
    """
    from awards.services.decisions import create_decision, issue_decision, revoke_decision
    from organizations.models import Person

    nominations = [
        make_nomination(
            nominator,
            person=nominee if isinstance(nominee, Person) else None,
            unit=None if isinstance(nominee, Person) else nominee,
            entry=entry,
            holder=unit,
            deciding_unit=unit,
            status="ready",
        )
        for nominator, nominee, entry in nominees
    ]
    disclosure = make_disclosed_list(unit, nominations, actor=actor)
    decision = create_decision(unit, actor=actor, data=decision_data(unit, disclosure, nominations, actor, **fields))
    if status in ("issued", "revoked"):
        decision = issue_decision(decision, actor=actor)
    if status == "revoked":
        decision = revoke_decision(decision, actor=actor, reason="Khai man thành tích")
    return decision


# --- nominations and proposals (views helper) ------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_evidence(nomination, name="bao-cao-thanh-tich.pdf", content=PDF_BYTES):
    """An evidence file (ORM) of a nomination's dossier."""
    import hashlib

    from django.core.files.base import ContentFile

    from awards.models import NominationEvidence

    evidence = NominationEvidence(
        nomination=nomination,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    evidence.file.save("evidence", ContentFile(content), save=False)
    evidence.save()
    return evidence


def make_proposal(from_unit, nominations=(), *, to_unit=None, year=2026, **fields):
    """A proposal (tờ trình, ORM) from a unit to its parent carrying ``nominations``."""
    from awards.models import Proposal

    proposal = Proposal.objects.create(from_unit=from_unit, to_unit=to_unit or from_unit.parent, year=year, **fields)
    proposal.nominations.set(nominations)
    return proposal


# --- catalogue, people and history


def make_top_staff(tree, username="tld.quantri"):
    """A staff user of the Tổng Liên đoàn: the only one who may change the catalogue."""
    user = make_user(username, full_name="Đỗ Văn Trung Ương")
    make_membership(user, tree.tld, "staff")
    return user


def history_sheet(rows, header=None):
    """An uploaded history import sheet: the template's header, then ``rows``."""
    from tests.xlsx import upload

    header = header or [
        "Mã đơn vị",
        "Họ và tên",
        "Năm",
        "Loại",
        "Mã",
        "Số ngày",
        "Lý do",
        "Số quyết định",
        "Ngày quyết định",
        "Cơ quan ban hành",
    ]
    return upload([header, *rows], name="lich-su.xlsx")
