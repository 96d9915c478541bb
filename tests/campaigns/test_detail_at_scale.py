"""The plan page and the home page stay cheap when a plan reaches thousands of units.

On the national dataset (bench/run_load.py) the plan page took 9–40 s: it exported every allocation to
render the text and checked access once per allocated unit; the list of units a leader reviews joined a
whole province's subtree. These tests pin the fixes with query counts on a small tree.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.interchange import export_campaign
from reports.scope import reviewing_units
from targets.models import Allocation
from tests.factories import make_membership, make_organization, make_user


def allocate_to_new_units(plan, district, count):
    target = plan.targets.get(code="CT01")
    for _ in range(count):
        unit = make_organization(parent=district, sector="ngoai_nn")
        Allocation.objects.create(target=target, organization=unit, allocated_by=district, value=1)


def plan_page_queries(client, plan):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("campaigns:campaign_detail", args=[plan.pk]))
    assert response.status_code == 200
    return len(queries), response


def test_plan_page_queries_do_not_grow_with_the_allocated_units(client, tree, personas, published_plan):
    client.force_login(personas.leader_viewer)
    allocate_to_new_units(published_plan, tree.district, 50)
    before, _response = plan_page_queries(client, published_plan)
    allocate_to_new_units(published_plan, tree.district, 30)
    after, response = plan_page_queries(client, published_plan)
    assert after == before
    # The page offers at most 50 units to open the split of, the province first.
    units = response.context["allocation_units"]
    assert len(units) == 50
    assert units[0] == tree.province


def test_the_printed_text_can_leave_the_allocations_out(tree, published_plan):
    full = export_campaign(published_plan)
    text_only = export_campaign(published_plan, allocations=False)
    shares = [a for group in full["target_groups"] for t in group["targets"] for a in t["allocations"]]
    assert len(shares) == 3
    assert all(t["allocations"] == [] for group in text_only["target_groups"] for t in group["targets"])
    for data in (full, text_only):
        for group in data["target_groups"]:
            for target in group["targets"]:
                target.pop("allocations")
    assert full == text_only


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("province", ["province"]), ("district", ["district"]), ("grassroots", [])],
)
def test_a_reviewer_reviews_the_units_below_own_units_that_take_part(tree, published_plan, unit, expected):
    reviewer = make_user()
    make_membership(reviewer, getattr(tree, unit), "approver")
    assert reviewing_units(reviewer, published_plan) == [getattr(tree, name) for name in expected]


def test_below_the_owner_the_plan_page_offers_only_the_users_own_units(client, tree, personas, published_plan):
    # Shares went to both districts; the district officer sees their own district's split only.
    client.force_login(personas.district_officer)
    _count, response = plan_page_queries(client, published_plan)
    assert response.context["allocation_units"] == [tree.district]
    client.force_login(personas.province_staff)
    _count, response = plan_page_queries(client, published_plan)
    assert response.context["allocation_units"] == [tree.province, tree.district, tree.other_district]


def test_units_below_a_unit_outside_the_plan_take_no_part(tree, published_plan):
    assert list(published_plan.participants_below(tree.other_province)) == []
    assert set(published_plan.participants_below(tree.district)) == {tree.grassroots, tree.other_grassroots}
