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
