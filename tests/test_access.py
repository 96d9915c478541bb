"""Every URL of the portal against every persona.

Each row: URL name, how to build its arguments from the fixtures, the method, the
expected status per persona and, optionally, the data to send (a dict, or a function of
the fixtures like the arguments; for GET it is the query string). 302 for anonymous means
"sent to sign in". Rows may add personas beyond the six of ``statuses`` (``with_officer``
adds G1's officer). A URL missing from this table makes ``test_every_url_is_in_the_table``
fail.
"""

from functools import cached_property

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from initiatives.models import Initiative
from organizations.models import Cluster, ClusterMember
from reports.models import Evidence
from tests.accounts import access_security
from tests.audit import access_audit
from tests.awards import access_catalogue, access_clusters, access_councils, access_decisions, access_nominations
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

    # Registrations, reports and evidence of the published plan (all still drafts).

    @cached_property
    def registration(self):
        from reports.models import Registration

        return Registration.objects.create(campaign=self.published, organization=self.tree.grassroots)

    def report_of(self, unit):
        from reports.models import Report

        round_ = self.published.rounds.get(number=1)
        return Report.objects.get_or_create(campaign=self.published, organization=unit, round=round_)[0]

    @cached_property
    def report(self):
        return self.report_of(self.tree.grassroots)

    def evidence_of(self, unit, name):
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from reports.models import ReportValue

        value, _created = ReportValue.objects.get_or_create(
            report=self.report_of(unit), target=self.published.targets.get(code="CT01"), defaults={"value": 5}
        )
        evidence = Evidence(
            value=value,
            original_name=name,
            content_type="application/pdf",
            size=13,
            sha256="b" * 64,
            uploaded_at=timezone.now(),
        )
        evidence.file.save("evidence", ContentFile(b"%PDF-1.7 test"), save=False)
        evidence.save()
        return evidence

    @cached_property
    def evidence(self):
        """A file proving a figure of the grassroots unit's round-1 report."""
        return self.evidence_of(self.tree.grassroots, "bien-ban.pdf")

    @cached_property
    def sibling_evidence(self):
        """A file of the sibling unit's report: guessing its id under another unit's URL finds nothing."""
        return self.evidence_of(self.tree.other_grassroots, "giay.pdf")

    def initiative_of(self, unit):
        import datetime

        return Initiative.objects.create(
            organization=unit,
            title="Cải tiến bàn là hơi",
            authors="Nguyễn Văn A, tổ trưởng",
            field="technical",
            recognized_on=datetime.date(2026, 3, 1),
        )

    @cached_property
    def initiative(self):
        return self.initiative_of(self.tree.grassroots)

    @cached_property
    def export(self):
        """A finished background export of the province's dashboard, asked for by the province staff."""
        from django.core.files.base import ContentFile

        from dashboards.models import Export, ExportStatus
        from tests.xlsx import xlsx_bytes

        export = Export(
            requested_by=self.personas.province_staff,
            campaign=self.published,
            unit=self.tree.province,
            status=ExportStatus.DONE,
            rows_total=3,
            rows_done=3,
            file_name="chi-tiet-ldld-ap-2026.xlsx",
        )
        export.file.save("chi-tiet.xlsx", ContentFile(xlsx_bytes([["CDCS-MXH", 12]])), save=False)
        export.save()
        return export


def cluster_of(tree):
    cluster = Cluster.objects.filter(organizer=tree.province).first()
    return cluster or make_cluster(tree.province, members=[tree.district, tree.other_district])


def member_of(tree):
    return ClusterMember.objects.filter(cluster=cluster_of(tree)).order_by("pk").last()


TABLE = [
    # core
    ("core:home", lambda t, p, w: {}, "get", ALL_OK),
    ("core:health", lambda t, p, w: {}, "get", PUBLIC),
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


def with_officer(expected, g1_officer):
    """``expected`` plus G1's officer (enters G1's figures and initiatives, reviews nothing)."""
    return {**expected, "g1_officer": g1_officer}


# Registrations and reports of G1 in the published plan. Entering belongs to the unit and to
# every unit above it with an entering role (the district officer enters on G1's behalf);
# reviewing belongs to the unit above G1, so G1's own staff cannot approve themselves.
G1_PAGE = with_officer(statuses(302, 200, 200, 200, 404, 200), 200)
G1_ENTER_POST = with_officer(statuses(302, 302, 302, 302, 404, 403), 302)
G1_FORM_POST = with_officer(statuses(302, 200, 200, 200, 404, 403), 200)
G1_REVIEW_POST = with_officer(statuses(302, 302, 403, 403, 404, 302), 403)
NOWHERE = with_officer(statuses(302, 404, 404, 404, 404, 404), 404)
# Boards: the district's is seen from the district up; G1's people never see it.
DISTRICT_BOARD = with_officer(statuses(302, 200, 200, 404, 404, 200), 404)
PROVINCE_BOARD = with_officer(statuses(302, 200, 404, 404, 404, 200), 404)
DISTRICT_BULK = with_officer(statuses(302, 200, 200, 404, 404, 403), 404)


def g1(w, **extra):
    return {"pk": w.published.pk, "unit_pk": w.tree.grassroots.pk, **extra}


def g1_round1(w, **extra):
    return g1(w, period="1", **extra)


def after(_built, kwargs):
    """``kwargs``, once the object the URL acts on has been built."""
    return kwargs


def district(w, **extra):
    return {"pk": w.published.pk, "unit_pk": w.tree.district.pk, **extra}


TABLE += [
    ("reports:registration_detail", lambda t, p, w: g1(w), "get", G1_PAGE),
    # The sibling's page is the mirror image.
    (
        "reports:registration_detail",
        lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.other_grassroots.pk},
        "get",
        with_officer(statuses(302, 200, 200, 404, 200, 200), 404),
    ),
    # A draft plan asks nothing of anyone; the owner does not register in its own plan.
    (
        "reports:registration_detail",
        lambda t, p, w: {"pk": w.draft.pk, "unit_pk": t.grassroots.pk},
        "get",
        NOWHERE,
    ),
    ("reports:registration_detail", lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.province.pk}, "get", NOWHERE),
    # An incomplete form comes back with its errors to whoever enters for G1; the leader only reviews.
    ("reports:registration_detail", lambda t, p, w: g1(w), "post", G1_FORM_POST),
    # Review steps on a draft: allowed to the unit above, refused with a message (nothing awaits review).
    ("reports:registration_approve", lambda t, p, w: after(w.registration, g1(w)), "post", G1_REVIEW_POST),
    ("reports:registration_return", lambda t, p, w: after(w.registration, g1(w)), "post", G1_REVIEW_POST),
    ("reports:registration_reopen", lambda t, p, w: after(w.registration, g1(w)), "post", G1_REVIEW_POST),
    ("reports:registration_board", lambda t, p, w: district(w), "get", DISTRICT_BOARD),
    (
        "reports:registration_board",
        lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.province.pk},
        "get",
        PROVINCE_BOARD,
    ),
    # A unit with nothing below has an (empty) board of its own.
    ("reports:registration_board", lambda t, p, w: g1(w), "get", G1_PAGE),
    ("reports:registration_board", lambda t, p, w: {"pk": w.draft.pk, "unit_pk": t.province.pk}, "get", NOWHERE),
    # Reminding the units below needs the right to review there.
    (
        "reports:remind",
        lambda t, p, w: district(w),
        "post",
        with_officer(statuses(302, 302, 403, 404, 404, 302), 404),
        {"item": "registration"},
    ),
    (
        "reports:remind",
        lambda t, p, w: district(w),
        "post",
        with_officer(statuses(302, 404, 403, 404, 404, 404), 404),
        {"item": "report-9"},
    ),
    (
        "reports:report_board_index",
        lambda t, p, w: district(w),
        "get",
        with_officer(statuses(302, 302, 302, 404, 404, 302), 404),
    ),
    ("reports:report_detail", lambda t, p, w: g1_round1(w), "get", G1_PAGE),
    ("reports:report_detail", lambda t, p, w: g1(w, period="year"), "get", G1_PAGE),
    # A round the plan does not have.
    ("reports:report_detail", lambda t, p, w: g1(w, period="9"), "get", NOWHERE),
    # Every figure is optional while a report is a draft: an empty one is saved as such.
    ("reports:report_detail", lambda t, p, w: g1_round1(w), "post", G1_ENTER_POST),
    ("reports:report_approve", lambda t, p, w: after(w.report, g1_round1(w)), "post", G1_REVIEW_POST),
    ("reports:report_return", lambda t, p, w: after(w.report, g1_round1(w)), "post", G1_REVIEW_POST),
    ("reports:report_reopen", lambda t, p, w: after(w.report, g1_round1(w)), "post", G1_REVIEW_POST),
    ("reports:evidence_download", lambda t, p, w: g1_round1(w, evidence_pk=w.evidence.pk), "get", G1_PAGE),
    # Guessing: the sibling's file under G1's URL, or G1's file under another period, is not there.
    (
        "reports:evidence_download",
        lambda t, p, w: g1_round1(w, evidence_pk=w.sibling_evidence.pk),
        "get",
        NOWHERE,
    ),
    ("reports:evidence_download", lambda t, p, w: g1(w, period="year", evidence_pk=w.evidence.pk), "get", NOWHERE),
    (
        "reports:evidence_download",
        lambda t, p, w: {
            "pk": w.published.pk,
            "unit_pk": t.other_grassroots.pk,
            "period": "1",
            "evidence_pk": w.sibling_evidence.pk,
        },
        "get",
        with_officer(statuses(302, 200, 200, 404, 200, 200), 404),
    ),
    # Removing a file is entering: the leader, who only reviews, is refused.
    ("reports:evidence_delete", lambda t, p, w: g1_round1(w, evidence_pk=w.evidence.pk), "post", G1_ENTER_POST),
    # The sibling's file under G1's URL is not there for those who may remove G1's files; the
    # leader, who may not remove any, is refused before the file is looked for.
    (
        "reports:evidence_delete",
        lambda t, p, w: g1_round1(w, evidence_pk=w.sibling_evidence.pk),
        "post",
        with_officer(statuses(302, 404, 404, 404, 404, 403), 404),
    ),
    ("reports:report_board", lambda t, p, w: district(w, period="1"), "get", DISTRICT_BOARD),
    (
        "reports:report_board",
        lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.province.pk, "period": "year"},
        "get",
        PROVINCE_BOARD,
    ),
    ("reports:report_board", lambda t, p, w: district(w, period="9"), "get", NOWHERE),
    # Excel bulk entry enters figures for the whole subtree: not for the leader, who only reviews.
    ("reports:report_bulk_export", lambda t, p, w: district(w, period="1"), "get", DISTRICT_BULK),
    (
        "reports:report_bulk_export",
        lambda t, p, w: {"pk": w.published.pk, "unit_pk": t.province.pk, "period": "year"},
        "get",
        with_officer(statuses(302, 200, 404, 404, 404, 403), 404),
    ),
    ("reports:report_bulk_import", lambda t, p, w: district(w, period="1"), "get", DISTRICT_BULK),
    # Initiatives: listed for everyone signed in; entered by those who enter figures.
    ("initiatives:initiative_list", lambda t, p, w: {}, "get", with_officer(ALL_OK, 200)),
    (
        "initiatives:initiative_create",
        lambda t, p, w: {},
        "get",
        with_officer(statuses(302, 200, 200, 200, 200, 403), 200),
    ),
    ("initiatives:initiative_update", lambda t, p, w: {"pk": w.initiative.pk}, "get", G1_PAGE),
    # An empty form comes back with its errors to those who may change it.
    ("initiatives:initiative_update", lambda t, p, w: {"pk": w.initiative.pk}, "post", G1_FORM_POST),
    (
        "initiatives:initiative_update",
        lambda t, p, w: {"pk": w.initiative_of(t.foreign_grassroots).pk},
        "get",
        NOWHERE,
    ),
    ("initiatives:initiative_delete", lambda t, p, w: {"pk": w.initiative.pk}, "post", G1_ENTER_POST),
]


def unit_param(name, **extra):
    """Query data naming one of the tree's units (``?unit=``), built with the fixtures."""
    return lambda t, p, w: {"unit": getattr(t, name).pk, **extra}


# Dashboards of a published plan. Without ?unit= the page opens on the highest unit the user sees
# (the province, the district, the union); a unit named in the address must be within the user's
# reach and the plan owner's subtree. An export's status and file belong to whoever asked for it.
DASHBOARD_OWN = with_officer(PUBLISHED_VIEW, 200)
OWN_EXPORT = with_officer(statuses(302, 200, 404, 404, 404, 404), 404)

TABLE += [
    ("dashboards:index", lambda t, p, w: {}, "get", with_officer(ALL_OK, 200)),
    ("dashboards:campaign", lambda t, p, w: {"pk": w.published.pk}, "get", DASHBOARD_OWN),
    ("dashboards:campaign", lambda t, p, w: {"pk": w.published.pk}, "get", DISTRICT_BOARD, unit_param("district")),
    ("dashboards:campaign", lambda t, p, w: {"pk": w.published.pk}, "get", PROVINCE_BOARD, unit_param("province")),
    # G1's own page: its people, and everyone above it.
    ("dashboards:campaign", lambda t, p, w: {"pk": w.published.pk}, "get", G1_PAGE, unit_param("grassroots")),
    # Another province's union is outside the plan: nobody finds it, whatever their reach.
    (
        "dashboards:campaign",
        lambda t, p, w: {"pk": w.published.pk},
        "get",
        NOWHERE,
        unit_param("foreign_grassroots"),
    ),
    ("dashboards:campaign", lambda t, p, w: {"pk": w.published.pk}, "get", NOWHERE, unit_param("tld")),
    # A draft has no dashboard, not even for the province that writes it.
    ("dashboards:campaign", lambda t, p, w: {"pk": w.draft.pk}, "get", NOWHERE),
    ("dashboards:print", lambda t, p, w: {"pk": w.published.pk}, "get", DASHBOARD_OWN),
    ("dashboards:print", lambda t, p, w: {"pk": w.published.pk}, "get", DISTRICT_BOARD, unit_param("district")),
    ("dashboards:print", lambda t, p, w: {"pk": w.published.pk}, "get", PROVINCE_BOARD, unit_param("province")),
    ("dashboards:print", lambda t, p, w: {"pk": w.draft.pk}, "get", NOWHERE),
    ("dashboards:export", lambda t, p, w: {"pk": w.published.pk}, "get", DASHBOARD_OWN, {"scope": "view"}),
    ("dashboards:export", lambda t, p, w: {"pk": w.published.pk}, "get", DASHBOARD_OWN, {"scope": "units"}),
    (
        "dashboards:export",
        lambda t, p, w: {"pk": w.published.pk},
        "get",
        DISTRICT_BOARD,
        unit_param("district", scope="units"),
    ),
    (
        "dashboards:export",
        lambda t, p, w: {"pk": w.published.pk},
        "get",
        PROVINCE_BOARD,
        unit_param("province", scope="view"),
    ),
    (
        "dashboards:export",
        lambda t, p, w: {"pk": w.published.pk},
        "get",
        NOWHERE,
        unit_param("foreign_grassroots", scope="units"),
    ),
    ("dashboards:export", lambda t, p, w: {"pk": w.draft.pk}, "get", NOWHERE, {"scope": "view"}),
    ("dashboards:export_status", lambda t, p, w: {"pk": w.export.pk}, "get", OWN_EXPORT),
    ("dashboards:export_status", lambda t, p, w: {"pk": w.export.pk}, "get", OWN_EXPORT, {"format": "json"}),
    ("dashboards:export_download", lambda t, p, w: {"pk": w.export.pk}, "get", OWN_EXPORT),
]

# Rows kept beside the apps' own tests.
EXTRA_TABLES = (
    access_catalogue,
    access_nominations,
    access_councils,
    access_decisions,
    access_clusters,
    access_security,
    access_audit,
)
for _module in EXTRA_TABLES:
    TABLE += _module.TABLE

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
    pytest.param(name, kwargs, method, data, persona, status, id=f"{name}-{index}-{persona}")
    for index, (name, kwargs, method, expected, *extra) in enumerate(TABLE)
    for data in [extra[0] if extra else {}]
    for persona, status in expected.items()
]


@pytest.mark.parametrize(("name", "kwargs", "method", "data", "persona", "expected"), CASES)
def test_access(client, tree, personas, name, kwargs, method, data, persona, expected):
    user = getattr(personas, persona)
    if user is not None:
        client.force_login(user)
    world = World(tree, personas)
    url = reverse(name, kwargs=kwargs(tree, personas, world))
    if callable(data):  # data naming objects of the fixtures
        data = data(tree, personas, world)
    response = getattr(client, method)(url, data)
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
    "reports:registration_approve": lambda w: after(w.registration, g1(w)),
    "reports:registration_return": lambda w: after(w.registration, g1(w)),
    "reports:registration_reopen": lambda w: after(w.registration, g1(w)),
    "reports:remind": district,
    "reports:report_approve": lambda w: after(w.report, g1_round1(w)),
    "reports:report_return": lambda w: after(w.report, g1_round1(w)),
    "reports:report_reopen": lambda w: after(w.report, g1_round1(w)),
    "reports:evidence_delete": lambda w: g1_round1(w, evidence_pk=w.evidence.pk),
    "initiatives:initiative_delete": lambda w: {"pk": w.initiative.pk},
}
for _module in EXTRA_TABLES:
    POST_ONLY.update(_module.POST_ONLY)


@pytest.mark.parametrize("name", POST_ONLY)
def test_state_changes_refuse_get(client, tree, personas, name):
    client.force_login(personas.province_staff)
    url = reverse(name, kwargs=POST_ONLY[name](World(tree, personas)))
    assert client.get(url).status_code == 405


def test_state_changes_refused_by_get_leave_the_data_alone(client, tree, personas):
    world = World(tree, personas)
    client.force_login(personas.province_staff)
    client.get(reverse("reports:evidence_delete", kwargs=g1_round1(world, evidence_pk=world.evidence.pk)))
    client.get(reverse("initiatives:initiative_delete", kwargs={"pk": world.initiative.pk}))
    client.get(reverse("reports:remind", kwargs=district(world)), {"item": "registration"})
    assert Evidence.objects.filter(pk=world.evidence.pk).exists()
    assert Initiative.objects.filter(pk=world.initiative.pk).exists()
    assert not mail.outbox


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("reports:registration_approve", "Chỉ duyệt được nội dung đang chờ duyệt."),
        ("reports:registration_return", "Chỉ trả lại được nội dung đang chờ duyệt."),
        ("reports:registration_reopen", "Hãy nêu lý do mở lại."),
    ],
)
def test_reviewing_a_draft_registration_only_says_why_not(client, tree, personas, name, message):
    world = World(tree, personas)
    client.force_login(personas.leader_viewer)
    response = client.post(reverse(name, kwargs=after(world.registration, g1(world))), follow=True)
    assert response.redirect_chain == [(reverse("reports:registration_detail", kwargs=g1(world)), 302)]
    assert messages_of(response) == [message]
    world.registration.refresh_from_db()
    assert (world.registration.status, world.registration.events.count()) == ("draft", 0)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("reports:report_approve", "Chỉ duyệt được nội dung đang chờ duyệt."),
        ("reports:report_return", "Chỉ trả lại được nội dung đang chờ duyệt."),
        ("reports:report_reopen", "Hãy nêu lý do mở lại."),
    ],
)
def test_reviewing_a_draft_report_only_says_why_not(client, tree, personas, name, message):
    world = World(tree, personas)
    client.force_login(personas.province_staff)
    response = client.post(reverse(name, kwargs=after(world.report, g1_round1(world))), follow=True)
    assert response.redirect_chain == [(reverse("reports:report_detail", kwargs=g1_round1(world)), 302)]
    assert messages_of(response) == [message]
    world.report.refresh_from_db()
    assert (world.report.status, world.report.events.count()) == ("draft", 0)


def test_evidence_is_sent_as_a_private_attachment_under_its_own_name(client, tree, personas):
    world = World(tree, personas)
    client.force_login(personas.district_officer)
    response = client.get(reverse("reports:evidence_download", kwargs=g1_round1(world, evidence_pk=world.evidence.pk)))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bien-ban.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_guessed_evidence_id_neither_shows_nor_removes_the_siblings_file(client, tree, personas):
    world = World(tree, personas)
    client.force_login(personas.grassroots_chair)
    kwargs = g1_round1(world, evidence_pk=world.sibling_evidence.pk)
    assert client.get(reverse("reports:evidence_download", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("reports:evidence_delete", kwargs=kwargs)).status_code == 404
    assert Evidence.objects.filter(pk=world.sibling_evidence.pk).exists()


def test_removing_evidence_is_for_those_who_enter(client, tree, personas):
    """The leader reviews and does not enter: refused (403), the file stays (the view
    once answered 302 with an error message instead)."""
    world = World(tree, personas)
    url = reverse("reports:evidence_delete", kwargs=g1_round1(world, evidence_pk=world.evidence.pk))
    client.force_login(personas.leader_viewer)
    assert client.post(url).status_code == 403
    assert Evidence.objects.filter(pk=world.evidence.pk).exists()
    client.force_login(personas.district_officer)
    response = client.post(url, follow=True)
    assert messages_of(response) == ["Đã xóa tệp bien-ban.pdf."]
    assert not Evidence.objects.filter(pk=world.evidence.pk).exists()


def test_reminders_go_to_the_units_below_that_owe_the_item(client, tree, personas):
    world = World(tree, personas)
    client.force_login(personas.leader_viewer)
    url = reverse("reports:remind", kwargs=district(world))
    response = client.post(url, {"item": "registration"}, follow=True)
    assert response.redirect_chain == [(reverse("reports:registration_board", kwargs=district(world)), 302)]
    names = ", ".join(sorted([tree.grassroots.display_name, tree.other_grassroots.display_name]))
    [message] = messages_of(response)
    assert message.startswith("Đã gửi thư nhắc tới 2 đơn vị: ")
    assert ", ".join(sorted(message.split(": ", 1)[1].rstrip(".").split(", "))) == names
    assert sorted(to for m in mail.outbox for to in m.to) == sorted(
        [personas.grassroots_chair.email, personas.g1_officer.email, personas.other_grassroots_chair.email]
    )
    # Once a day per unit and item.
    response = client.post(url, {"item": "registration"}, follow=True)
    assert messages_of(response) == ["Không gửi thư nhắc nào: các đơn vị đã gửi, hoặc đã được nhắc hôm nay."]
    assert len(mail.outbox) == 2


def test_admin_is_for_superusers_only(client, tree, personas, django_user_model):
    client.force_login(personas.province_staff)
    assert client.get(reverse("admin:index")).status_code == 302
    personas.province_staff.is_staff = True
    personas.province_staff.save()
    assert client.get(reverse("admin:index")).status_code == 302
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw", full_name="Root")
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
