"""The audit trail: every model covered, each change stamped with its unit, read within reach."""

import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from audit.forms import kind_choices
from audit.registry import NOT_AUDITED, UNIT_PATHS, audited_models, history_model
from awards.models import Title
from campaigns.models import Clause
from core.audit import delete_as, save_as
from organizations.models import Organization, Person
from tests.factories import make_campaign, make_membership, make_user
from tests.fuzz.checks import is_vietnamese

LOCAL_APPS = {
    "accounts",
    "organizations",
    "campaigns",
    "targets",
    "reports",
    "dashboards",
    "documents",
    "initiatives",
    "awards",
    "core",
    "audit",
}


def local_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in LOCAL_APPS and not model.__name__.startswith("Historical")
    ]


def test_every_model_keeps_a_history_or_says_why_not():
    audited = {model._meta.label for model in audited_models()}
    for model in local_models():
        label = model._meta.label
        assert (label in UNIT_PATHS) == (label in audited), f"{label}: history and unit path go together"
        assert (label in audited) != (label in NOT_AUDITED), f"{label}: audited, or excused with a reason"
    assert set(UNIT_PATHS) | set(NOT_AUDITED) == {model._meta.label for model in local_models()}


def test_each_kind_of_record_has_its_own_vietnamese_name():
    """The journal's kind filter lists them: an English or a repeated name cannot be told apart."""
    with translation.override("vi"):
        names = [name for _label, name in kind_choices()[1:]]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
    assert all(is_vietnamese(name) for name in names), [n for n in names if not is_vietnamese(n)]
    assert {"Tệp minh chứng báo cáo", "Tệp minh chứng hồ sơ khen thưởng", "Điểm chấm"} <= set(names)


@pytest.mark.parametrize("label", [label for label, path in UNIT_PATHS.items() if isinstance(path, str)])
def test_each_unit_path_ends_at_a_unit(label):
    meta = apps.get_model(label)._meta
    *links, last = UNIT_PATHS[label].split(".")
    for link in links:
        meta = meta.get_field(link).related_model._meta
    if last == "pk":
        assert meta.model is Organization
    elif isinstance(getattr(meta.model, last, None), property):
        assert last == "home_unit_id"
    else:
        assert meta.get_field(last.removesuffix("_id")).related_model is Organization


def test_an_imported_plan_records_every_row_with_its_owner(tree, personas):
    plan = make_campaign(tree.province, personas.province_staff)
    for model in ("Section", "Clause", "Round", "Recipient", "Target"):
        history = history_model(apps.get_model("campaigns" if model != "Target" else "targets", model))
        rows = list(history.objects.order_by().values_list("history_unit", "history_user", "history_type").distinct())
        assert rows == [(tree.province.pk, personas.province_staff.pk, "+")], model
    assert plan.history.get().history_unit == tree.province.pk


def make_person(unit, name, actor):
    return save_as(Person(organization=unit, full_name=name), actor)


def page_text(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_journal_shows_what_happened_within_the_readers_reach(client, tree, personas):
    make_person(tree.grassroots, "Nguyễn Văn Một", personas.grassroots_chair)
    make_person(tree.other_grassroots, "Trần Thị Hai", personas.other_grassroots_chair)
    make_person(tree.foreign_grassroots, "Lò Văn Ba", None)
    make_campaign(tree.province, personas.province_staff)

    client.force_login(personas.grassroots_chair)
    html = page_text(client, reverse("audit:journal"))
    assert "Nguyễn Văn Một" in html
    assert "Trần Thị Hai" not in html and "Lò Văn Ba" not in html and "Kế hoạch" not in html

    client.force_login(personas.province_staff)
    html = page_text(client, reverse("audit:journal"))
    assert "Nguyễn Văn Một" in html and "Trần Thị Hai" in html and "Kế hoạch" in html
    assert "Lò Văn Ba" not in html
    html = page_text(client, reverse("audit:journal"), kind="organizations.person", user="may.chutich")
    assert "Nguyễn Văn Một" in html and "Trần Thị Hai" not in html


def test_catalogue_changes_are_read_at_the_top_only(client, tree, personas):
    title = Title.objects.get(code="ldtt")
    save_as(title, personas.province_staff)  # the migration loaded it without a history row
    title.name = "Lao động tiên tiến (sửa)"
    save_as(title, personas.province_staff)
    top = make_user("tld.quantri")
    make_membership(top, tree.tld, "staff")

    client.force_login(personas.province_staff)
    assert "Lao động tiên tiến (sửa)" not in page_text(client, reverse("audit:journal"))
    url = reverse("audit:object_journal", kwargs={"label": "awards.title", "pk": title.pk})
    assert client.get(url).status_code == 403

    client.force_login(top)
    html = page_text(client, url)
    assert "Lao động tiên tiến (sửa)" in html and "Lao động tiên tiến</del>" in html


def test_a_plans_page_shows_its_clauses_changes_even_after_they_are_deleted(client, tree, personas):
    plan = make_campaign(tree.province, personas.province_staff)
    clause = Clause.objects.filter(section__campaign=plan).first()
    section = clause.section
    clause.body = "Nội dung đã sửa lần thứ hai"
    save_as(clause, personas.province_staff, reason="Sửa câu chữ")
    section_pk = section.pk
    delete_as(section, personas.province_staff)

    client.force_login(personas.leader_viewer)
    html = page_text(client, reverse("audit:object_journal", kwargs={"label": "campaigns.campaign", "pk": plan.pk}))
    assert "Nội dung đã sửa lần thứ hai</ins>" in html and "Sửa câu chữ" in html
    assert "Xóa" in html
    deleted = reverse("audit:object_journal", kwargs={"label": "campaigns.section", "pk": section_pk})
    html = page_text(client, deleted)
    assert "đã xóa" in html and "Nội dung đã sửa lần thứ hai" in html
    gone = reverse("audit:object_journal", kwargs={"label": "campaigns.section", "pk": section_pk + 999})
    assert client.get(gone).status_code == 404


def test_a_user_reads_their_own_changes_and_auditors_read_their_units_users(client, tree, personas):
    make_person(tree.grassroots, "Nguyễn Văn Một", personas.g1_officer)
    own = reverse("audit:user_journal", kwargs={"pk": personas.g1_officer.pk})
    client.force_login(personas.g1_officer)
    assert "Nguyễn Văn Một" in page_text(client, own)
    client.force_login(personas.grassroots_chair)
    assert "Nguyễn Văn Một" in page_text(client, own)
    client.force_login(personas.other_grassroots_chair)
    assert client.get(own).status_code == 404


def test_bad_filters_are_explained_not_failed(client, personas):
    client.force_login(personas.province_staff)
    response = client.get(reverse("audit:journal"), {"date_from": "2026-12-01", "date_to": "2026-01-01"})
    page = response.content.decode()
    assert "Ngày kết thúc trước ngày bắt đầu." in page
    labels = [" ".join(label.split()) for label in re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)]
    assert labels == ["Loại hồ sơ", "Tên đăng nhập", "Từ ngày", "Đến ngày"]
    response = client.get(reverse("audit:journal"), {"date_from": "31/02/2026", "kind": "nope", "page": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date_from", "kind"}
    assert response.context["entries"] == []


def test_older_changes_are_a_page_away(client, tree, personas):
    person = make_person(tree.grassroots, "Người thứ 0", personas.grassroots_chair)
    for number in range(1, 60):
        person.full_name = f"Người thứ {number}"
        save_as(person, personas.grassroots_chair)
    url = reverse("audit:object_journal", kwargs={"label": "organizations.person", "pk": person.pk})
    client.force_login(personas.grassroots_chair)
    first = client.get(url)
    assert len(first.context["entries"]) == 50 and first.context["has_next"]
    assert first.context["entries"][0]["changes"][0][1:] == ("Người thứ 58", "Người thứ 59")
    second = client.get(url, {"page": 2})
    assert len(second.context["entries"]) == 10 and not second.context["has_next"]
    assert second.context["entries"][-1]["type"] == "Tạo mới"


def test_the_menu_offers_the_journal_and_users_only_to_those_who_hold_the_rights(client, personas):
    journal_link = f'href="{reverse("audit:journal")}">Nhật ký thay đổi</a>'
    users_link = f'href="{reverse("accounts:user_list")}">Người dùng</a>'
    client.force_login(personas.province_staff)
    html = page_text(client, reverse("core:home"))
    assert journal_link in html and users_link in html
    client.force_login(personas.leader_viewer)
    html = page_text(client, reverse("core:home"))
    assert journal_link in html and users_link not in html
    client.force_login(personas.district_officer)
    html = page_text(client, reverse("core:home"))
    assert journal_link not in html and users_link not in html
