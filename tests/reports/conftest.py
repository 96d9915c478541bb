"""Fixtures for registrations and reports: a published plan split down to the grassroots."""

from types import SimpleNamespace

import pytest

from targets.services import save_allocation
from tests.factories import make_membership, make_user


@pytest.fixture
def district_people(tree):
    """The district's leader (reviews what its units send) and its staff (allocates)."""
    leader = make_user("phuong.lanhdao", full_name="Đinh Thị Duyệt")
    make_membership(leader, tree.district, "approver")
    staff = make_user("phuong.quantri", full_name="Đỗ Văn Quận")
    make_membership(staff, tree.district, "staff")
    return SimpleNamespace(leader=leader, staff=staff)


@pytest.fixture
def plan(tree, personas, published_plan, district_people):
    """The published plan with the district's share of CT01 split: 40 to May Xuân Hòa, 30 to Giày Bình Minh."""
    ct01 = published_plan.targets.get(code="CT01")
    save_allocation(
        published_plan,
        tree.district,
        actor=district_people.staff,
        values={(tree.grassroots.pk, ct01.pk): 40, (tree.other_grassroots.pk, ct01.pk): 30},
        expected_version=None,
    )
    return published_plan


@pytest.fixture
def targets(plan):
    return {t.code: t for t in plan.targets.all()}


@pytest.fixture
def round_one(plan):
    return plan.rounds.get(number=1)
