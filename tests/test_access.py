"""Every URL of the portal against every persona.

Each row: URL name, how to build its arguments from the fixtures, the method, and the
expected status per persona. 302 for anonymous means "sent to sign in". A URL missing
from this table makes ``test_every_url_is_in_the_table`` fail.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organizations.models import Cluster, ClusterMember
from tests.factories import make_cluster

PERSONAS = [
    "anonymous",
    "province_staff",
    "district_officer",
    "grassroots_chair",
    "other_grassroots_chair",
    "leader_viewer",
]


def statuses(anon, province, district, chair, other, leader):
    return dict(zip(PERSONAS, [anon, province, district, chair, other, leader], strict=True))


ALL_OK = statuses(302, 200, 200, 200, 200, 200)
PUBLIC = statuses(200, 200, 200, 200, 200, 200)
# Managing grassroots unit G1: province staff and G1's chair; the sibling chair never sees it.
MANAGE_G1 = statuses(302, 200, 403, 200, 404, 403)
VIEW_G1 = statuses(302, 200, 200, 200, 404, 200)
USER_PAGES = statuses(302, 200, 403, 200, 200, 403)
ABOUT_G1_USER = statuses(302, 200, 403, 200, 404, 403)
ABOUT_G1_USER_POST = statuses(302, 302, 403, 302, 404, 403)


def cluster_of(tree):
    cluster = Cluster.objects.filter(organizer=tree.province).first()
    return cluster or make_cluster(tree.province, members=[tree.district, tree.other_district])


def member_of(tree):
    return ClusterMember.objects.filter(cluster=cluster_of(tree)).order_by("pk").last()


TABLE = [
    # core
    ("core:home", lambda t, p: {}, "get", ALL_OK),
    # accounts
    ("accounts:login", lambda t, p: {}, "get", statuses(200, 302, 302, 302, 302, 302)),
    ("accounts:logout", lambda t, p: {}, "post", statuses(302, 302, 302, 302, 302, 302)),
    ("accounts:profile", lambda t, p: {}, "get", ALL_OK),
    ("accounts:password_change", lambda t, p: {}, "get", ALL_OK),
    ("accounts:password_change_done", lambda t, p: {}, "get", ALL_OK),
    ("accounts:password_reset", lambda t, p: {}, "get", PUBLIC),
    ("accounts:password_reset_done", lambda t, p: {}, "get", PUBLIC),
    (
        "accounts:password_reset_confirm",
        lambda t, p: {"uidb64": "MQ", "token": "bad-token"},
        "get",
        PUBLIC,
    ),
    ("accounts:password_reset_complete", lambda t, p: {}, "get", PUBLIC),
    ("accounts:user_list", lambda t, p: {}, "get", USER_PAGES),
    ("accounts:user_create", lambda t, p: {}, "get", USER_PAGES),
    ("accounts:user_detail", lambda t, p: {"pk": p.g1_officer.pk}, "get", ABOUT_G1_USER),
    ("accounts:user_update", lambda t, p: {"pk": p.g1_officer.pk}, "get", ABOUT_G1_USER),
    ("accounts:user_set_active", lambda t, p: {"pk": p.g1_officer.pk}, "post", ABOUT_G1_USER_POST),
    (
        "accounts:user_password_link",
        lambda t, p: {"pk": p.g1_officer.pk},
        "post",
        ABOUT_G1_USER_POST,
    ),
    ("accounts:membership_create", lambda t, p: {"pk": p.g1_officer.pk}, "post", ABOUT_G1_USER),
    (
        "accounts:membership_delete",
        lambda t, p: {"pk": p.g1_officer.memberships.get().pk},
        "post",
        ABOUT_G1_USER_POST,
    ),
    # units
    ("organizations:organization_list", lambda t, p: {}, "get", ALL_OK),
    ("organizations:organization_lookup", lambda t, p: {}, "get", ALL_OK),
    ("organizations:organization_import_template", lambda t, p: {}, "get", ALL_OK),
    ("organizations:organization_detail", lambda t, p: {"pk": t.grassroots.pk}, "get", VIEW_G1),
    # upward: the province is invisible to everyone below it
    (
        "organizations:organization_detail",
        lambda t, p: {"pk": t.province.pk},
        "get",
        statuses(302, 200, 404, 404, 404, 200),
    ),
    # another province: invisible to all personas
    (
        "organizations:organization_detail",
        lambda t, p: {"pk": t.other_province.pk},
        "get",
        statuses(302, 404, 404, 404, 404, 404),
    ),
    (
        "organizations:organization_children",
        lambda t, p: {"pk": t.district.pk},
        "get",
        statuses(302, 302, 302, 404, 404, 302),
    ),
    (
        "organizations:organization_history",
        lambda t, p: {"pk": t.grassroots.pk},
        "get",
        statuses(302, 200, 403, 200, 404, 200),
    ),
    ("organizations:organization_create", lambda t, p: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    ("organizations:organization_update", lambda t, p: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    ("organizations:organization_move", lambda t, p: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    ("organizations:organization_merge", lambda t, p: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    (
        "organizations:organization_deactivate",
        lambda t, p: {"pk": t.grassroots.pk},
        "get",
        MANAGE_G1,
    ),
    (
        "organizations:organization_reactivate",
        lambda t, p: {"pk": t.grassroots.pk},
        "get",
        MANAGE_G1,
    ),
    ("organizations:organization_export", lambda t, p: {"pk": t.grassroots.pk}, "get", VIEW_G1),
    ("organizations:organization_import", lambda t, p: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    # same level: the district officer may not manage its own unit
    (
        "organizations:organization_update",
        lambda t, p: {"pk": t.district.pk},
        "get",
        statuses(302, 200, 403, 404, 404, 403),
    ),
    # clusters (organized by the province; the two districts are members)
    (
        "organizations:cluster_create",
        lambda t, p: {"pk": t.province.pk},
        "get",
        statuses(302, 200, 404, 404, 404, 403),
    ),
    ("organizations:cluster_list", lambda t, p: {}, "get", ALL_OK),
    (
        "organizations:cluster_detail",
        lambda t, p: {"pk": cluster_of(t).pk},
        "get",
        statuses(302, 200, 200, 404, 404, 200),
    ),
    (
        "organizations:cluster_update",
        lambda t, p: {"pk": cluster_of(t).pk},
        "get",
        statuses(302, 200, 403, 404, 404, 403),
    ),
    (
        "organizations:cluster_member_save",
        lambda t, p: {"pk": cluster_of(t).pk},
        "post",
        statuses(302, 200, 403, 404, 404, 403),
    ),
    (
        "organizations:cluster_member_delete",
        lambda t, p: {"pk": cluster_of(t).pk, "member_pk": member_of(t).pk},
        "post",
        statuses(302, 302, 403, 404, 404, 403),
    ),
    (
        "organizations:cluster_copy",
        lambda t, p: {"pk": cluster_of(t).pk},
        "post",
        statuses(302, 200, 403, 404, 404, 403),
    ),
]

# Framework URLs checked elsewhere (admin: test_admin_is_for_superusers_only).
NOT_IN_TABLE = {"set_language"}
NOT_IN_TABLE_NAMESPACES = {"admin"}


def _named_urls(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace in NOT_IN_TABLE_NAMESPACES:
                continue
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_in_the_table():
    in_table = {row[0] for row in TABLE}
    missing = _named_urls() - in_table - NOT_IN_TABLE
    assert not missing, f"URLs missing from the access table: {sorted(missing)}"


CASES = [
    pytest.param(name, kwargs, method, persona, expected[persona], id=f"{name}-{index}-{persona}")
    for index, (name, kwargs, method, expected) in enumerate(TABLE)
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "kwargs", "method", "persona", "expected"), CASES)
def test_access(client, tree, personas, name, kwargs, method, persona, expected):
    user = getattr(personas, persona)
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=kwargs(tree, personas))
    response = getattr(client, method)(url)
    assert response.status_code == expected, f"{persona} {method.upper()} {url}"
    if persona == "anonymous" and expected == 302 and name != "accounts:logout":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name",
    [
        "accounts:user_set_active",
        "accounts:user_password_link",
        "accounts:membership_create",
        "organizations:cluster_member_save",
        "organizations:cluster_copy",
    ],
)
def test_state_changes_refuse_get(client, tree, personas, name):
    client.force_login(personas.province_staff)
    kwargs = {"pk": personas.g1_officer.pk} if name.startswith("accounts") else {"pk": cluster_of(tree).pk}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 405


def test_admin_is_for_superusers_only(client, tree, personas, django_user_model):
    client.force_login(personas.province_staff)
    assert client.get(reverse("admin:index")).status_code == 302
    personas.province_staff.is_staff = True
    personas.province_staff.save()
    assert client.get(reverse("admin:index")).status_code == 302
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw", full_name="Root")
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
