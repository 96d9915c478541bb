"""Plan lifecycle: numbering, publishing, amendments with versions, cloning, closing."""

import datetime

import pytest

from campaigns import services
from campaigns.models import Campaign, Status
from core.exceptions import DomainError
from documents.models import DocumentType
from tests.factories import make_campaign


def header(plan, **changes):
    data = {f: getattr(plan, f) for f in services.HEADER_FIELDS + services.SIGNER_FIELDS}
    data.update(changes)
    return data


def test_the_next_free_number_is_suggested_per_issuer_year_and_type(tree, personas, published_plan):
    kh = DocumentType.objects.get(abbreviation="KH")
    pdtd = DocumentType.objects.get(abbreviation="PĐTĐ")
    assert services.suggest_number(published_plan.issuer, kh, 2026) == 4
    assert services.suggest_number(published_plan.issuer, kh, 2027) == 1
    assert services.suggest_number(published_plan.issuer, pdtd, 2026) == 1


def test_a_number_clash_is_refused_with_the_free_number(tree, personas, published_plan, draft_plan):
    with pytest.raises(DomainError) as error:
        services.update_campaign(
            draft_plan,
            actor=personas.province_staff,
            data=header(draft_plan, number=3, issued_on=datetime.date(2026, 2, 1)),
            expected_version=draft_plan.version,
        )
    assert error.value.field == "number"
    assert "Số 03/KH-LĐLĐ năm 2026 đã được dùng cho" in str(error.value) and "là 4" in str(error.value)
    assert Campaign.objects.get(pk=draft_plan.pk).number is None


def test_publishing_needs_a_number_a_date_and_a_signer(tree, personas, draft_plan):
    assert services.publication_problems(draft_plan) == ["Kế hoạch chưa có số.", "Kế hoạch chưa có ngày ban hành."]
    with pytest.raises(DomainError, match="chưa có số"):
        services.publish_campaign(draft_plan, actor=personas.province_staff)
    plan = services.update_campaign(
        draft_plan,
        actor=personas.province_staff,
        data=header(draft_plan, number=1, issued_on=datetime.date(2027, 1, 10)),
        expected_version=draft_plan.version,
    )
    services.publish_campaign(plan, actor=personas.province_staff)
    plan.refresh_from_db()
    assert plan.status == Status.PUBLISHED and plan.versions.get().number == 1
    assert plan.history.first().history_change_reason == "Đã ban hành"


def test_a_published_plan_is_locked_until_an_amendment_is_opened(tree, personas, published_plan):
    with pytest.raises(DomainError, match="đã ban hành và bị khóa"):
        services.update_campaign(
            published_plan,
            actor=personas.province_staff,
            data=header(published_plan, subject="Khác"),
            expected_version=published_plan.version,
        )
    with pytest.raises(DomainError, match="lý do"):
        services.open_amendment(published_plan, actor=personas.province_staff, reason="  ")
    plan = services.open_amendment(
        published_plan, actor=personas.province_staff, reason="Điều chỉnh chỉ tiêu theo Nghị quyết BCH"
    )
    services.update_campaign(
        plan,
        actor=personas.province_staff,
        data=header(plan, subject="Phát động phong trào thi đua năm 2026 (sửa đổi)"),
        expected_version=plan.version,
    )
    version = services.publish_amendment(plan, actor=personas.province_staff)
    plan.refresh_from_db()
    assert (version.number, version.reason, version.created_by) == (
        2,
        "Điều chỉnh chỉ tiêu theo Nghị quyết BCH",
        personas.province_staff,
    )
    first, second = plan.versions.order_by("number")
    assert first.data["document"]["subject"] == "Phát động phong trào thi đua năm 2026"
    assert second.data["document"]["subject"] == "Phát động phong trào thi đua năm 2026 (sửa đổi)"
    assert plan.amendment_reason == ""


def test_closing_and_deleting(tree, personas, published_plan, draft_plan):
    with pytest.raises(DomainError, match="văn bản chính thức"):
        services.delete_campaign(published_plan, actor=personas.province_staff)
    services.close_campaign(published_plan, actor=personas.province_staff)
    assert Campaign.objects.get(pk=published_plan.pk).status == Status.CLOSED
    with pytest.raises(DomainError):
        services.open_amendment(published_plan, actor=personas.province_staff, reason="x")
    services.delete_campaign(draft_plan, actor=personas.province_staff)
    assert not Campaign.objects.filter(pk=draft_plan.pk).exists()


def test_cloning_into_a_new_year_moves_dates_and_texts(tree, personas, published_plan):
    clone = services.clone_campaign(published_plan, actor=personas.province_staff, year=2027)
    assert (clone.status, clone.year, clone.number, clone.issued_on) == (Status.DRAFT, 2027, None, None)
    assert clone.subject == "Phát động phong trào thi đua năm 2027"
    rounds = list(clone.rounds.values_list("start", "end", "report_due"))
    assert rounds[0] == (datetime.date(2027, 1, 1), datetime.date(2027, 6, 30), datetime.date(2027, 7, 5))
    assert clone.deadlines.get().due_date == datetime.date(2027, 3, 15)
    assert clone.targets.count() == 4 and not clone.targets.filter(allocations__isnull=False).exists()
    assert clone.rounds.first().heading == "**Đợt 1** (từ 01/01/2027 đến 30/6/2027):"


def test_only_the_owners_staff_create_plans(tree, personas):
    with pytest.raises(DomainError):
        services.clone_campaign(
            make_campaign(tree.province, personas.province_staff), actor=personas.district_officer, year=2027
        )


def test_participants_follow_the_scope(tree, personas, draft_plan):
    assert set(draft_plan.participants().values_list("code", flat=True)) == {
        "CDP-XH",
        "CDP-DS",
        "CDCS-MXH",
        "CDCS-GBM",
        "CDCS-THDS",
    }
    draft_plan.scope_sectors = ["fdi"]
    draft_plan.save()
    assert set(draft_plan.participants().values_list("code", flat=True)) == {"CDP-XH", "CDP-DS", "CDCS-GBM"}


def test_visibility_of_drafts_and_published_plans(tree, personas, draft_plan, published_plan):
    def seen(user):
        return set(Campaign.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(personas.province_staff) == {draft_plan.pk, published_plan.pk}
    assert seen(personas.grassroots_chair) == {published_plan.pk}
    other = make_campaign(tree.other_province, None, year=2026, number=1, issued_on="2026-01-02", status="published")
    assert other.pk not in seen(personas.province_staff)
