"""Subtree, ancestor and visibility queries, and the access check built on them."""

import datetime

from organizations import services
from organizations.access import Cap, can, reach
from organizations.models import Organization


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_subtree_holds_the_unit_and_everything_below_it_only(tree):
    assert codes(Organization.objects.subtree(tree.district)) == {"CDP-XH", "CDCS-MXH", "CDCS-GBM"}
    assert codes(Organization.objects.subtree(tree.district, include_self=False)) == {
        "CDCS-MXH",
        "CDCS-GBM",
    }
    assert codes(Organization.objects.subtree([tree.district.pk, tree.other_district.pk])) == {
        "CDP-XH",
        "CDCS-MXH",
        "CDCS-GBM",
        "CDP-DS",
        "CDCS-THDS",
    }


def test_subtree_query_is_one_sql_statement(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(Organization.objects.subtree(tree.province))


def test_ancestors_come_root_first_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        chain = tree.grassroots.ancestors()
    assert [o.code for o in chain] == ["TLD", "LDLD-AP", "CDP-XH"]
    assert tree.tld.ancestors() == []


def test_visible_to_follows_memberships_down_not_up_or_sideways(tree, personas):
    assert codes(Organization.objects.visible_to(personas.grassroots_chair)) == {"CDCS-MXH"}
    assert codes(Organization.objects.visible_to(personas.district_officer)) == {
        "CDP-XH",
        "CDCS-MXH",
        "CDCS-GBM",
    }
    province_view = codes(Organization.objects.visible_to(personas.province_staff))
    assert "LDLD-AP" in province_view and "CDCS-THDS" in province_view
    assert "LDLD-BS" not in province_view and "TLD" not in province_view


def test_merged_unit_stays_visible_to_the_successors_users(tree, personas, django_user_model):
    root = django_user_model.objects.create_superuser("root", "r@example.com", "x", full_name="Root")
    services.merge_organization(
        tree.other_province, actor=root, into=tree.province, effective_on=datetime.date(2025, 7, 1)
    )
    visible = codes(Organization.objects.visible_to(personas.province_staff))
    # The merged province itself and its grassroots union (moved under the successor).
    assert {"LDLD-BS", "CDCS-BS"} <= visible
    assert can(personas.province_staff, Cap.VIEW, tree.other_province)
    assert not can(personas.grassroots_chair, Cap.VIEW, tree.other_province)


def test_roles_reach_down_the_tree_only(tree, personas):
    staff, officer = personas.province_staff, personas.district_officer
    assert can(staff, Cap.MANAGE_UNITS, tree.grassroots)
    assert not can(staff, Cap.MANAGE_UNITS, tree.tld)
    assert can(officer, Cap.VIEW, tree.grassroots)
    assert not can(officer, Cap.MANAGE_UNITS, tree.grassroots)
    assert not can(officer, Cap.VIEW, tree.province)
    assert not can(personas.leader_viewer, Cap.MANAGE_USERS, tree.district)
    assert can(personas.leader_viewer, Cap.VIEW_AUDIT, tree.district)


def test_disabled_accounts_and_superusers(tree, personas, django_user_model):
    officer = personas.district_officer
    officer.is_active = False
    officer.save()
    officer = django_user_model.objects.get(pk=officer.pk)
    assert not can(officer, Cap.VIEW, tree.district)
    assert not Organization.objects.visible_to(officer).exists()
    root = django_user_model.objects.create_superuser("root", "r@example.com", "x", full_name="Root")
    assert can(root, Cap.MANAGE_UNITS, tree.other_province)


def test_reach_is_the_subtree_of_the_units_with_the_capability(tree, personas):
    assert codes(reach(personas.grassroots_chair, Cap.MANAGE_UNITS)) == {"CDCS-MXH"}
    assert codes(reach(personas.district_officer, Cap.MANAGE_UNITS)) == set()


def test_seen_among_agrees_with_visible_to_for_every_persona(tree, personas):
    everyone = Organization.objects.values("pk")
    for name in ("province_staff", "district_officer", "grassroots_chair", "other_grassroots_chair"):
        user = getattr(personas, name)
        assert codes(Organization.objects.seen_among(user, everyone)) == codes(Organization.objects.visible_to(user)), (
            name
        )


def test_seen_among_follows_a_merge_to_the_successors_users(tree, personas, django_user_model):
    root = django_user_model.objects.create_superuser("root", "r@example.com", "x", full_name="Root")
    services.merge_organization(
        tree.other_province, actor=root, into=tree.province, effective_on=datetime.date(2025, 7, 1)
    )
    candidates = Organization.objects.filter(code__in=["LDLD-BS", "CDCS-BS", "TLD"]).values("pk")
    assert codes(Organization.objects.seen_among(personas.province_staff, candidates)) == {"LDLD-BS", "CDCS-BS"}


def test_primed_roles_answer_like_one_check_per_unit(tree, personas, django_assert_num_queries):
    from organizations.access import prime_roles

    units = list(Organization.objects.order_by("pk"))
    expected = {u.code: can(personas.district_officer, Cap.VIEW, u) for u in units}
    officer = type(personas.district_officer).objects.get(pk=personas.district_officer.pk)
    with django_assert_num_queries(1):
        prime_roles(officer, units)
        assert {u.code: can(officer, Cap.VIEW, u) for u in units} == expected
    assert {code for code, seen in expected.items() if seen} == {"CDP-XH", "CDCS-MXH", "CDCS-GBM"}


def test_a_units_ancestors_are_read_once_and_forgotten_when_it_moves(tree, django_assert_num_queries):
    unit = Organization.objects.get(pk=tree.far_grassroots.pk)
    with django_assert_num_queries(1):
        assert unit.ancestor_ids() == {tree.tld.pk, tree.province.pk, tree.other_district.pk}
        assert unit.ancestor_ids() == {tree.tld.pk, tree.province.pk, tree.other_district.pk}
    unit.parent = tree.other_province
    unit.save()
    assert unit.ancestor_ids() == {tree.tld.pk, tree.other_province.pk}
