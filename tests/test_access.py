"""Every URL of the portal against every persona.

Each row: URL name, how to build its arguments from the fixtures, the method, and the
expected status per persona. 302 for anonymous means "sent to sign in". A URL missing
from this table makes ``test_every_url_is_in_the_table`` fail.
"""

from functools import cached_property

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organizations.models import Cluster, ClusterMember
from tests.factories import make_campaign, make_cluster

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


class World:
    """Plans and documents built on first use, so each case pays only for what it reads."""

    def __init__(self, tree, personas):
        self.tree, self.personas = tree, personas

    @cached_property
    def draft(self):
        return make_campaign(self.tree.province, self.personas.province_staff, year=2027)

    @cached_property
    def published(self):
        from campaigns.services import publish_campaign
        from targets.services import save_allocation

        plan = make_campaign(
            self.tree.province, self.personas.province_staff, year=2026, number=3, issued_on="2026-01-15"
        )
        publish_campaign(plan, actor=self.personas.province_staff)
        target = plan.targets.get(code="CT01")
        save_allocation(
            plan,
            self.tree.province,
            actor=self.personas.province_staff,
            values={(self.tree.district.pk, target.pk): 70},
            expected_version=None,
        )
        return plan

    @cached_property
    def certificate(self):
        from django.utils import timezone

        from documents.models import SigningCertificate

        now = timezone.now()
        return SigningCertificate.objects.create(
            organization=self.tree.province,
            label="Thử",
            pkcs12=b"-",
            subject_name="LĐLĐ tỉnh An Phú",
            issuer_name="CA",
            serial_number="1",
            fingerprint="0" * 64,
            not_before=now,
            not_after=now,
        )

    @cached_property
    def signed(self):
        from django.core.files.base import ContentFile

        from documents.models import SignedDocument

        document = SignedDocument(
            subject=self.published,
            title="Kế hoạch",
            number_line="Số: 03/KH-LĐLĐ",
            issuer_text="LĐLĐ",
            size=10,
            sha256="a" * 64,
            certificate=self.certificate,
            signer_name="LĐLĐ tỉnh An Phú",
        )
        document.file.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        document.save()
        return document


def cluster_of(tree):
    cluster = Cluster.objects.filter(organizer=tree.province).first()
    return cluster or make_cluster(tree.province, members=[tree.district, tree.other_district])


def member_of(tree):
    return ClusterMember.objects.filter(cluster=cluster_of(tree)).order_by("pk").last()


TABLE = [
    # core
    ("core:home", lambda t, p, w: {}, "get", ALL_OK),
    # accounts
    ("accounts:login", lambda t, p, w: {}, "get", statuses(200, 302, 302, 302, 302, 302)),
    ("accounts:logout", lambda t, p, w: {}, "post", statuses(302, 302, 302, 302, 302, 302)),
    ("accounts:profile", lambda t, p, w: {}, "get", ALL_OK),
    ("accounts:password_change", lambda t, p, w: {}, "get", ALL_OK),
    ("accounts:password_change_done", lambda t, p, w: {}, "get", ALL_OK),
    ("accounts:password_reset", lambda t, p, w: {}, "get", PUBLIC),
    ("accounts:password_reset_done", lambda t, p, w: {}, "get", PUBLIC),
    (
        "accounts:password_reset_confirm",
        lambda t, p, w: {"uidb64": "MQ", "token": "bad-token"},
        "get",
        PUBLIC,
    ),
    ("accounts:password_reset_complete", lambda t, p, w: {}, "get", PUBLIC),
    ("accounts:user_list", lambda t, p, w: {}, "get", USER_PAGES),
    ("accounts:user_create", lambda t, p, w: {}, "get", USER_PAGES),
    ("accounts:user_detail", lambda t, p, w: {"pk": p.g1_officer.pk}, "get", ABOUT_G1_USER),
    ("accounts:user_update", lambda t, p, w: {"pk": p.g1_officer.pk}, "get", ABOUT_G1_USER),
    ("accounts:user_set_active", lambda t, p, w: {"pk": p.g1_officer.pk}, "post", ABOUT_G1_USER_POST),
    (
        "accounts:user_password_link",
        lambda t, p, w: {"pk": p.g1_officer.pk},
        "post",
        ABOUT_G1_USER_POST,
    ),
    ("accounts:membership_create", lambda t, p, w: {"pk": p.g1_officer.pk}, "post", ABOUT_G1_USER),
    (
        "accounts:membership_delete",
        lambda t, p, w: {"pk": p.g1_officer.memberships.get().pk},
        "post",
        ABOUT_G1_USER_POST,
    ),
    # units
    ("organizations:organization_list", lambda t, p, w: {}, "get", ALL_OK),
    ("organizations:organization_lookup", lambda t, p, w: {}, "get", ALL_OK),
    ("organizations:organization_import_template", lambda t, p, w: {}, "get", ALL_OK),
    ("organizations:organization_detail", lambda t, p, w: {"pk": t.grassroots.pk}, "get", VIEW_G1),
    # upward: the province is invisible to everyone below it
    (
        "organizations:organization_detail",
        lambda t, p, w: {"pk": t.province.pk},
        "get",
        statuses(302, 200, 404, 404, 404, 200),
    ),
    # another province: invisible to all personas
    (
        "organizations:organization_detail",
        lambda t, p, w: {"pk": t.other_province.pk},
        "get",
        statuses(302, 404, 404, 404, 404, 404),
    ),
    (
        "organizations:organization_children",
        lambda t, p, w: {"pk": t.district.pk},
        "get",
        statuses(302, 302, 302, 404, 404, 302),
    ),
    (
        "organizations:organization_history",
        lambda t, p, w: {"pk": t.grassroots.pk},
        "get",
        statuses(302, 200, 403, 200, 404, 200),
    ),
    ("organizations:organization_create", lambda t, p, w: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    ("organizations:organization_update", lambda t, p, w: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    ("organizations:organization_move", lambda t, p, w: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    ("organizations:organization_merge", lambda t, p, w: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    (
        "organizations:organization_deactivate",
        lambda t, p, w: {"pk": t.grassroots.pk},
        "get",
        MANAGE_G1,
    ),
    (
        "organizations:organization_reactivate",
        lambda t, p, w: {"pk": t.grassroots.pk},
        "get",
        MANAGE_G1,
    ),
    ("organizations:organization_export", lambda t, p, w: {"pk": t.grassroots.pk}, "get", VIEW_G1),
    ("organizations:organization_import", lambda t, p, w: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    # same level: the district officer may not manage its own unit
    (
        "organizations:organization_update",
        lambda t, p, w: {"pk": t.district.pk},
        "get",
        statuses(302, 200, 403, 404, 404, 403),
    ),
    # clusters (organized by the province; the two districts are members)
    (
        "organizations:cluster_create",
        lambda t, p, w: {"pk": t.province.pk},
        "get",
        statuses(302, 200, 404, 404, 404, 403),
    ),
    ("organizations:cluster_list", lambda t, p, w: {}, "get", ALL_OK),
    (
        "organizations:cluster_detail",
        lambda t, p, w: {"pk": cluster_of(t).pk},
        "get",
        statuses(302, 200, 200, 404, 404, 200),
    ),
    (
        "organizations:cluster_update",
        lambda t, p, w: {"pk": cluster_of(t).pk},
        "get",
        statuses(302, 200, 403, 404, 404, 403),
    ),
    (
        "organizations:cluster_member_save",
        lambda t, p, w: {"pk": cluster_of(t).pk},
        "post",
        statuses(302, 200, 403, 404, 404, 403),
    ),
    (
        "organizations:cluster_member_delete",
        lambda t, p, w: {"pk": cluster_of(t).pk, "member_pk": member_of(t).pk},
        "post",
        statuses(302, 302, 403, 404, 404, 403),
    ),
    (
        "organizations:cluster_copy",
        lambda t, p, w: {"pk": cluster_of(t).pk},
        "post",
        statuses(302, 200, 403, 404, 404, 403),
    ),
]

PROVINCE_ONLY_MANAGE = statuses(302, 200, 404, 404, 404, 403)
PROVINCE_ONLY_VIEW = statuses(302, 200, 404, 404, 404, 200)
PUBLISHED_VIEW = statuses(302, 200, 200, 200, 200, 200)
PUBLISHED_MANAGE = statuses(302, 200, 403, 403, 403, 403)
PUBLISHED_MANAGE_POST = statuses(302, 302, 403, 403, 403, 403)
DISTRICT_SHARE = statuses(302, 200, 200, 404, 404, 200)

TABLE += [
    ("campaigns:campaign_list", lambda t, p, w: {}, "get", ALL_OK),
    ("campaigns:campaign_create", lambda t, p, w: {}, "get", USER_PAGES),
    ("campaigns:campaign_import", lambda t, p, w: {}, "get", USER_PAGES),
    # A draft is seen by the owner's users only; a published plan by every unit below.
    ("campaigns:campaign_detail", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_VIEW),
    ("campaigns:campaign_detail", lambda t, p, w: {"pk": w.published.pk}, "get", PUBLISHED_VIEW),
    ("campaigns:campaign_update", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("campaigns:legal_basis_list", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("campaigns:theme_list", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("campaigns:section_list", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    (
        "campaigns:section_update",
        lambda t, p, w: {"pk": w.draft.pk, "section_pk": w.draft.sections.first().pk},
        "get",
        PROVINCE_ONLY_MANAGE,
    ),
    ("campaigns:round_list", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    (
        "campaigns:commemoration_list",
        lambda t, p, w: {"pk": w.draft.pk, "round_pk": w.draft.rounds.first().pk},
        "get",
        PROVINCE_ONLY_MANAGE,
    ),
    ("campaigns:target_group_list", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    (
        "campaigns:target_group_update",
        lambda t, p, w: {"pk": w.draft.pk, "group_pk": w.draft.target_groups.first().pk},
        "get",
        PROVINCE_ONLY_MANAGE,
    ),
    ("campaigns:task_list", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("campaigns:deadline_list", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("campaigns:recipient_list", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("campaigns:campaign_delete", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("campaigns:campaign_publish", lambda t, p, w: {"pk": w.draft.pk}, "post", statuses(302, 302, 404, 404, 404, 403)),
    ("campaigns:campaign_amend", lambda t, p, w: {"pk": w.published.pk}, "get", PUBLISHED_MANAGE),
    ("campaigns:campaign_amendment_publish", lambda t, p, w: {"pk": w.published.pk}, "post", PUBLISHED_MANAGE_POST),
    ("campaigns:campaign_close", lambda t, p, w: {"pk": w.published.pk}, "post", PUBLISHED_MANAGE_POST),
    ("campaigns:campaign_clone", lambda t, p, w: {"pk": w.published.pk}, "get", PUBLISHED_MANAGE),
    ("campaigns:campaign_pdf", lambda t, p, w: {"pk": w.published.pk}, "get", PUBLISHED_VIEW),
    ("campaigns:campaign_pdf", lambda t, p, w: {"pk": w.draft.pk}, "get", PROVINCE_ONLY_VIEW),
    ("campaigns:campaign_version", lambda t, p, w: {"pk": w.published.pk, "number": 1}, "get", PUBLISHED_VIEW),
    ("campaigns:campaign_export", lambda t, p, w: {"pk": w.published.pk}, "get", PUBLISHED_VIEW),
    ("campaigns:campaign_sign", lambda t, p, w: {"pk": w.published.pk}, "get", statuses(302, 200, 403, 403, 403, 200)),
    (
        "campaigns:signed_document",
        lambda t, p, w: {"pk": w.published.pk, "document_pk": w.signed.pk},
        "get",
        PUBLISHED_VIEW,
    ),
    # The province's split is the province's; the district's share is seen by the district too.
    ("targets:allocation", lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.province.pk}, "get", PROVINCE_ONLY_VIEW),
    ("targets:allocation", lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.district.pk}, "get", DISTRICT_SHARE),
    (
        "targets:allocation_export",
        lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.district.pk},
        "get",
        DISTRICT_SHARE,
    ),
    (
        "targets:allocation_import",
        lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.district.pk},
        "post",
        statuses(302, 200, 403, 404, 404, 403),
    ),
    ("documents:verify", lambda t, p, w: {}, "get", PUBLIC),
    ("documents:issuer_list", lambda t, p, w: {"pk": t.province.pk}, "get", PROVINCE_ONLY_VIEW),
    ("documents:issuer_list", lambda t, p, w: {"pk": t.grassroots.pk}, "get", VIEW_G1),
    ("documents:issuer_create", lambda t, p, w: {"pk": t.province.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("documents:issuer_update", lambda t, p, w: {"pk": w.published.issuer.pk}, "get", PROVINCE_ONLY_MANAGE),
    ("documents:certificate_upload", lambda t, p, w: {"pk": t.province.pk}, "get", PROVINCE_ONLY_MANAGE),
    (
        "documents:certificate_withdraw",
        lambda t, p, w: {"pk": w.certificate.pk},
        "post",
        statuses(302, 302, 404, 404, 404, 403),
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
    url = reverse(name, kwargs=kwargs(tree, personas, World(tree, personas)))
    response = getattr(client, method)(url)
    assert response.status_code == expected, f"{persona} {method.upper()} {url}"
    if persona == "anonymous" and expected == 302 and name != "accounts:logout":
        assert response["Location"].startswith(reverse("accounts:login"))


POST_ONLY = {
    "accounts:user_set_active": lambda w: {"pk": w.personas.g1_officer.pk},
    "accounts:user_password_link": lambda w: {"pk": w.personas.g1_officer.pk},
    "accounts:membership_create": lambda w: {"pk": w.personas.g1_officer.pk},
    "organizations:cluster_member_save": lambda w: {"pk": cluster_of(w.tree).pk},
    "organizations:cluster_copy": lambda w: {"pk": cluster_of(w.tree).pk},
    "campaigns:campaign_publish": lambda w: {"pk": w.draft.pk},
    "campaigns:campaign_amendment_publish": lambda w: {"pk": w.published.pk},
    "campaigns:campaign_close": lambda w: {"pk": w.published.pk},
    "targets:allocation_import": lambda w: {"pk": w.published.pk, "unit_pk": w.tree.province.pk},
    "documents:certificate_withdraw": lambda w: {"pk": w.certificate.pk},
}


@pytest.mark.parametrize("name", POST_ONLY)
def test_state_changes_refuse_get(client, tree, personas, name):
    client.force_login(personas.province_staff)
    url = reverse(name, kwargs=POST_ONLY[name](World(tree, personas)))
    assert client.get(url).status_code == 405


def test_admin_is_for_superusers_only(client, tree, personas, django_user_model):
    client.force_login(personas.province_staff)
    assert client.get(reverse("admin:index")).status_code == 302
    personas.province_staff.is_staff = True
    personas.province_staff.save()
    assert client.get(reverse("admin:index")).status_code == 302
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw", full_name="Root")
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
