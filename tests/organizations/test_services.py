"""Hierarchy services: placement rules, dated life events, optimistic locking, clusters."""

import datetime

import pytest

from core.exceptions import ConflictError, DomainError
from organizations import services
from organizations.models import (
    ClusterMember,
    EventType,
    Membership,
    Organization,
    OrganizationEvent,
)
from tests.factories import kind, make_cluster, make_organization

REFORM = datetime.date(2025, 7, 1)


def unit_data(code, name="Công đoàn cơ sở Công ty Mới", kind_code="cdcs", **extra):
    return {"code": code, "name": name, "kind": kind(kind_code), "sector": "ngoai_nn", **extra}


def test_create_records_founding_and_the_actor(tree, personas):
    org = services.create_organization(
        actor=personas.province_staff,
        parent=tree.district,
        data=unit_data("CDCS-NEW", members_count=25),
    )
    event = org.events.get()
    assert (event.event_type, event.related, event.actor) == (
        EventType.FOUNDED,
        tree.district,
        personas.province_staff,
    )
    assert org.history.get().history_user == personas.province_staff
    assert org.search_text == "cong doan co so cong ty moi cdcs-new"


@pytest.mark.parametrize(
    ("parent_name", "kind_code", "message"),
    [
        ("grassroots", "cdcs", "không thể trực thuộc"),
        ("district", "ldld_tinh", "không thể trực thuộc"),
        ("province", "ldld_huyen", "không còn (hoặc chưa) áp dụng"),
    ],
)
def test_create_refuses_a_unit_that_does_not_fit(tree, personas, parent_name, kind_code, message):
    with pytest.raises(DomainError) as error:
        services.create_organization(
            actor=personas.province_staff,
            parent=getattr(tree, parent_name),
            data=unit_data("X-1", kind_code=kind_code),
        )
    assert message in str(error.value)
    assert not Organization.objects.filter(code="X-1").exists()


def test_subunits_nest_inside_grassroots_unions(tree, personas):
    dept = services.create_organization(
        actor=personas.province_staff,
        parent=tree.grassroots,
        data=unit_data("CDBP-1", kind_code="cd_bo_phan"),
    )
    group = services.create_organization(
        actor=personas.province_staff,
        parent=dept,
        data=unit_data("TCD-1", kind_code="to_cong_doan"),
    )
    assert group.parent == dept


def test_duplicate_code_is_refused_with_the_owner_named(tree, personas):
    with pytest.raises(DomainError, match="CDCS-MXH"):
        services.create_organization(actor=personas.province_staff, parent=tree.district, data=unit_data("CDCS-MXH"))


def test_stale_edit_is_reported_not_overwritten(tree, personas):
    first = Organization.objects.get(pk=tree.grassroots.pk)
    second = Organization.objects.get(pk=tree.grassroots.pk)
    services.update_organization(first, actor=personas.province_staff, data={"members_count": 500}, expected_version=1)
    with pytest.raises(ConflictError) as error:
        services.update_organization(
            second, actor=personas.grassroots_chair, data={"members_count": 430}, expected_version=1
        )
    assert error.value.current.members_count == 500
    tree.grassroots.refresh_from_db()
    assert (tree.grassroots.members_count, tree.grassroots.version) == (500, 2)


def test_move_records_the_previous_parent_and_refuses_loops(tree, personas):
    with pytest.raises(DomainError, match="chính nó"):
        services.move_organization(
            tree.district,
            actor=personas.province_staff,
            new_parent=tree.grassroots,
            effective_on=REFORM,
        )
    services.move_organization(
        tree.grassroots,
        actor=personas.province_staff,
        new_parent=tree.other_district,
        effective_on=REFORM,
        note="QĐ 12/QĐ-LĐLĐ",
    )
    tree.grassroots.refresh_from_db()
    event = tree.grassroots.events.get(event_type=EventType.MOVED)
    assert tree.grassroots.parent == tree.other_district
    assert (event.previous_parent, event.related, event.note) == (
        tree.district,
        tree.other_district,
        "QĐ 12/QĐ-LĐLĐ",
    )


def test_move_refuses_future_dates_and_targets_outside_the_actors_reach(tree, personas):
    with pytest.raises(DomainError, match="sau ngày hôm nay"):
        services.move_organization(
            tree.grassroots,
            actor=personas.province_staff,
            new_parent=tree.other_district,
            effective_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    with pytest.raises(DomainError, match="không quản lý"):
        services.move_organization(
            tree.grassroots,
            actor=personas.grassroots_chair,
            new_parent=tree.other_district,
            effective_on=REFORM,
        )


def test_merge_moves_active_children_and_links_both_units(tree, personas):
    services.deactivate_organization(tree.other_grassroots, actor=personas.province_staff, effective_on=REFORM)
    services.merge_organization(
        tree.district, actor=personas.province_staff, into=tree.other_district, effective_on=REFORM
    )
    tree.district.refresh_from_db()
    tree.grassroots.refresh_from_db()
    tree.other_grassroots.refresh_from_db()
    assert (tree.district.is_active, tree.district.successor, tree.district.ended_on) == (
        False,
        tree.other_district,
        REFORM,
    )
    assert tree.grassroots.parent == tree.other_district  # active: moved
    assert tree.other_grassroots.parent == tree.district  # ended: stays with its history
    assert OrganizationEvent.objects.filter(
        organization=tree.other_district, event_type=EventType.ABSORBED, related=tree.district
    ).exists()
    assert str(tree.district) == "Công đoàn phường Xuân Hòa (đến 01/7/2025)"


def test_merge_needs_the_same_level(tree, personas):
    with pytest.raises(DomainError, match="cùng cấp"):
        services.merge_organization(
            tree.grassroots,
            actor=personas.province_staff,
            into=tree.other_district,
            effective_on=REFORM,
        )


def test_ending_a_unit_with_active_subunits_is_refused(tree, personas):
    with pytest.raises(DomainError, match="còn 2 đơn vị trực thuộc"):
        services.deactivate_organization(tree.district, actor=personas.province_staff, effective_on=REFORM)
    assert Organization.objects.get(pk=tree.district.pk).is_active


def test_reactivation_drops_the_merge_link(tree, personas):
    services.merge_organization(
        tree.grassroots,
        actor=personas.province_staff,
        into=tree.other_grassroots,
        effective_on=REFORM,
    )
    services.reactivate_organization(
        tree.grassroots, actor=personas.province_staff, effective_on=datetime.date(2025, 8, 1)
    )
    tree.grassroots.refresh_from_db()
    assert (tree.grassroots.is_active, tree.grassroots.successor, tree.grassroots.ended_on) == (
        True,
        None,
        None,
    )


def test_roles_are_granted_only_inside_the_actors_reach(tree, personas):
    user = personas.district_officer
    with pytest.raises(DomainError):
        services.assign_role(
            actor=personas.grassroots_chair,
            user=user,
            organization=tree.other_grassroots,
            role="viewer",
        )
    membership = services.assign_role(
        actor=personas.grassroots_chair, user=user, organization=tree.grassroots, role="viewer"
    )
    assert membership.history.get().history_user == personas.grassroots_chair
    with pytest.raises(DomainError, match="chính mình"):
        services.revoke_role(personas.grassroots_chair.memberships.get(), actor=personas.grassroots_chair)
    services.revoke_role(membership, actor=personas.grassroots_chair)
    assert not Membership.objects.filter(pk=membership.pk).exists()


class TestClusters:
    def test_members_must_be_of_the_clusters_level_and_below_its_organizer(self, tree, personas):
        cluster = make_cluster(tree.province, level=3)
        with pytest.raises(DomainError, match="Chỉ đơn vị cấp"):
            services.save_cluster_member(
                cluster, actor=personas.province_staff, organization=tree.grassroots, year=2026
            )
        outsider = make_organization(kind_code="cd_xa_phuong", parent=tree.other_province)
        with pytest.raises(DomainError, match="không thuộc đơn vị tổ chức"):
            services.save_cluster_member(cluster, actor=personas.province_staff, organization=outsider, year=2026)

    def test_one_leader_a_year_and_one_cluster_of_a_kind_per_unit(self, tree, personas):
        cluster = make_cluster(tree.province, members=[tree.district])  # district leads 2026
        with pytest.raises(DomainError, match="đang giữ vai trò này"):
            services.save_cluster_member(
                cluster,
                actor=personas.province_staff,
                organization=tree.other_district,
                year=2026,
                role="leader",
            )
        services.save_cluster_member(
            cluster,
            actor=personas.province_staff,
            organization=tree.other_district,
            year=2026,
            role="deputy",
        )
        other = make_cluster(tree.province, name="Cụm thi đua số 2")
        with pytest.raises(DomainError, match="đã thuộc"):
            services.save_cluster_member(other, actor=personas.province_staff, organization=tree.district, year=2026)
        services.save_cluster_member(other, actor=personas.province_staff, organization=tree.district, year=2027)

    def test_copying_a_year_brings_members_without_their_roles(self, tree, personas):
        cluster = make_cluster(tree.province, members=[tree.district, tree.other_district], year=2025)
        assert services.copy_cluster_members(cluster, actor=personas.province_staff, from_year=2025, to_year=2026) == 2
        assert set(ClusterMember.objects.filter(cluster=cluster, year=2026).values_list("role", flat=True)) == {
            "member"
        }
        assert services.copy_cluster_members(cluster, actor=personas.province_staff, from_year=2025, to_year=2026) == 0
