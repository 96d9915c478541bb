"""People of a unit and the history of people and units: entry by hand, pages, Excel import.

G1 = CĐCS May Xuân Hòa (grassroots_chair, g1_officer), its sibling CĐCS Giày Bình Minh, both
under the district (district_officer); the foreign unit belongs to another province.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Absence, Discipline, Honour, HonourSource, Rating
from awards.services import history as services
from awards.spreadsheets import COLUMNS, HistoryImport
from core.exceptions import DomainError
from core.xlsx import open_workbook
from initiatives.models import Initiative
from organizations.models import Person
from tests.awards.factories import history_sheet, make_person, title
from tests.xlsx import read_rows, upload

THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _english(settings):
    # The Vietnamese catalogue of these strings is written later; English is the source text.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def people(tree):
    return {
        "an": make_person(tree.grassroots, "Nguyễn Văn An", position="Tổ trưởng", gender="nam", birth_year=1985),
        "binh": make_person(tree.grassroots, "Trần Thị Bình", gender="nu", birth_year=1990),
        "cuong1": make_person(tree.grassroots, "Lê Văn Cường"),
        "cuong2": make_person(tree.grassroots, "Lê Văn Cường", position="Thủ kho"),
        "dung": make_person(tree.other_grassroots, "Hoàng Văn Dũng"),
        "em": make_person(tree.foreign_grassroots, "Phạm Văn Em"),
    }


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def counts():
    return (Honour.objects.count(), Rating.objects.count(), Discipline.objects.count(), Absence.objects.count())


# People ----------------------------------------------------------------------


def person_data(**overrides):
    data = {
        "full_name": "  Đỗ Thị   Lan ",
        "gender": "nu",
        "birth_year": "1992",
        "position": "Công nhân may",
        "joined_on": "2018-03-01",
        "left_on": "",
    }
    data.update(overrides)
    return data


def test_an_officer_above_adds_a_person_without_a_user_account(client, tree, personas):
    client.force_login(personas.district_officer)
    response = client.post(reverse("awards:person_create", kwargs={"pk": tree.grassroots.pk}), person_data())
    assert response["Location"] == reverse("awards:person_list", kwargs={"pk": tree.grassroots.pk})
    person = Person.objects.get(full_name="Đỗ Thị Lan")
    assert (person.organization, person.birth_year, person.is_active) == (tree.grassroots, 1992, True)
    assert person.history.first().history_user == personas.district_officer


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"left_on": "2017-12-31"}, "left_on", "The date of leaving is before the date of joining."),
        (
            {"birth_year": "1850"},
            "birth_year",
            f"The year of birth must be between {THIS_YEAR - 100} and {THIS_YEAR - 14}.",
        ),
        (
            {"birth_year": str(THIS_YEAR - 3)},
            "birth_year",
            f"The year of birth must be between {THIS_YEAR - 100} and {THIS_YEAR - 14}.",
        ),
    ],
)
def test_impossible_person_details_are_refused(client, tree, personas, overrides, field, message):
    client.force_login(personas.grassroots_chair)
    response = client.post(reverse("awards:person_create", kwargs={"pk": tree.grassroots.pk}), person_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Person.objects.filter(full_name="Đỗ Thị Lan").exists()


def test_a_person_who_left_drops_out_of_the_list_but_keeps_the_history(client, tree, personas, people):
    client.force_login(personas.g1_officer)
    url = reverse("awards:person_update", kwargs={"pk": people["binh"].pk})
    data = person_data(full_name="Trần Thị Bình", joined_on="2015-01-01", left_on="2025-06-30")
    assert client.post(url, data)["Location"] == reverse("awards:person_history", kwargs={"pk": people["binh"].pk})
    people["binh"].refresh_from_db()
    assert (people["binh"].left_on, people["binh"].is_active) == (datetime.date(2025, 6, 30), False)
    list_url = reverse("awards:person_list", kwargs={"pk": tree.grassroots.pk})
    assert people["binh"] not in client.get(list_url).context["people"]
    assert people["binh"] in client.get(list_url, {"all": "1"}).context["people"]


def test_people_are_found_by_name_typed_without_accents(client, tree, personas, people):
    client.force_login(personas.leader_viewer)
    response = client.get(reverse("awards:person_list", kwargs={"pk": tree.grassroots.pk}), {"q": "le van cuong"})
    assert list(response.context["people"]) == [people["cuong1"], people["cuong2"]]
    assert "Add a person" not in text(response)  # the leader reads, the officers enter


def test_an_approver_cannot_enter_people(client, tree, personas):
    client.force_login(personas.leader_viewer)
    assert (
        client.post(reverse("awards:person_create", kwargs={"pk": tree.grassroots.pk}), person_data()).status_code
        == 403
    )
    with pytest.raises(DomainError):
        services.create_person(tree.grassroots, actor=personas.leader_viewer, data={"full_name": "X"})
    assert not Person.objects.filter(full_name="Đỗ Thị Lan").exists()


def test_people_cannot_join_an_ended_unit(tree, personas):
    tree.far_grassroots.is_active = False
    tree.far_grassroots.save()
    with pytest.raises(DomainError, match="has ended"):
        services.create_person(tree.far_grassroots, actor=personas.province_staff, data={"full_name": "Ai Đó"})


# History pages -----------------------------------------------------------------


def test_person_history_shows_honours_struck_when_revoked_ratings_discipline_absences(client, tree, personas, people):
    an = people["an"]
    services.record_honour(
        an,
        actor=personas.grassroots_chair,
        data={
            "entry": title("ldtt"),
            "year": 2023,
            "decision_number": "12/QĐ-CĐCS",
            "decided_on": datetime.date(2024, 1, 15),
        },
    )
    Honour.objects.create(
        person=an,
        year=2022,
        title=title("cstdcs"),
        source=HonourSource.IMPORT,
        revoked_on=datetime.date(2025, 3, 10),
        revoke_reason="Khai man thành tích",
    )
    services.record_rating(an, actor=personas.grassroots_chair, data={"year": 2023, "kind": "duty", "level": 1})
    services.record_discipline(an, actor=personas.grassroots_chair, data={"year": 2021, "level": 1, "note": "Đi muộn"})
    services.record_absence(an, actor=personas.grassroots_chair, data={"year": 2024, "days": 45, "reason": "sickness"})
    client.force_login(personas.leader_viewer)
    response = client.get(reverse("awards:person_history", kwargs={"pk": an.pk}))
    page = text(response)
    assert "<s>Chiến sĩ thi đua cơ sở</s>" in page
    assert "Revoked on 10/03/2025: Khai man thành tích" in page
    assert "Lao động tiên tiến" in page and "12/QĐ-CĐCS, 15/01/2024" in page and "Entered by hand" in page
    assert "Hoàn thành xuất sắc nhiệm vụ" in page
    assert "Khiển trách" in page and "Đi muộn" in page
    assert "45" in page and "Sickness" in page
    assert [h.year for h in response.context["honours"]] == [2023, 2022]
    assert "Remove" not in page  # the leader may read, not remove


def test_a_persons_initiatives_are_found_by_author_name_without_accents(client, tree, personas, people):
    def initiative(unit, name, authors):
        return Initiative.objects.create(
            organization=unit, title=name, authors=authors, field="technical", recognized_on=datetime.date(2025, 5, 1)
        )

    his = initiative(tree.grassroots, "Cải tiến bàn là", "Nguyễn Văn An, tổ trưởng\nLê Thị Hoa, công nhân")
    typed_plain = initiative(tree.grassroots, "Gá kẹp vải", "NGUYEN VAN AN - to truong")
    initiative(tree.grassroots, "Sắp xếp kho", "Nguyễn Văn Anh, thủ kho")  # another person
    initiative(tree.other_grassroots, "Khuôn ép", "Nguyễn Văn An, kỹ thuật")  # a namesake elsewhere
    assert set(services.initiatives_of(people["an"])) == {his, typed_plain}
    client.force_login(personas.g1_officer)
    response = client.get(reverse("awards:person_history", kwargs={"pk": people["an"].pk}))
    assert set(response.context["initiatives"]) == {his, typed_plain}
    unit_page = client.get(reverse("awards:unit_history", kwargs={"pk": tree.grassroots.pk}))
    assert len(unit_page.context["initiatives"]) == 3


def test_unit_history_shows_the_units_own_titles_and_ratings(client, tree, personas, people):
    services.record_honour(
        tree.grassroots, actor=personas.district_officer, data={"entry": title("ttldtt"), "year": 2024}
    )
    services.record_rating(
        tree.grassroots, actor=personas.district_officer, data={"year": 2024, "kind": "union", "level": 2}
    )
    services.record_rating(
        people["an"], actor=personas.district_officer, data={"year": 2024, "kind": "duty", "level": 2}
    )
    client.force_login(personas.grassroots_chair)
    response = client.get(reverse("awards:unit_history", kwargs={"pk": tree.grassroots.pk}))
    assert [h.entry.code for h in response.context["honours"]] == ["ttldtt"]
    assert [(r.kind, r.level) for r in response.context["ratings"]] == [("union", 2)]
    assert "Union grading (xếp loại công đoàn)" in text(response)


# Entering by hand ----------------------------------------------------------------


def test_a_rating_is_entered_once_a_year(client, personas, people):
    client.force_login(personas.g1_officer)
    url = reverse("awards:rating_create", kwargs={"pk": people["an"].pk})
    response = client.post(url, {"year": "2024", "kind": "duty", "level": "2"})
    assert response["Location"] == reverse("awards:person_history", kwargs={"pk": people["an"].pk})
    rating = Rating.objects.get(person=people["an"])
    assert (rating.year, rating.level, rating.history.first().history_user) == (2024, 2, personas.g1_officer)
    response = client.post(url, {"year": "2024", "kind": "duty", "level": "1"})
    assert response.context["form"].errors["year"] == [
        "Nguyễn Văn An (Tổ trưởng) already has a rating of this kind for 2024."
    ]
    # The union's grading is another kind: allowed the same year.
    assert client.post(url, {"year": "2024", "kind": "union", "level": "1"}).status_code == 302
    assert Rating.objects.filter(person=people["an"]).count() == 2


def test_a_year_to_come_is_refused(client, personas, people):
    client.force_login(personas.g1_officer)
    url = reverse("awards:rating_create", kwargs={"pk": people["an"].pk})
    response = client.post(url, {"year": str(THIS_YEAR + 1), "kind": "duty", "level": "2"})
    assert response.context["form"].errors["year"] == [f"The year must be between 1945 and {THIS_YEAR}."]
    assert not Rating.objects.exists()


def test_an_honour_entered_by_hand_is_marked_manual(client, personas, people):
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:honour_create", kwargs={"pk": people["an"].pk})
    data = {
        "entry": "form:giay-khen-cdcs-cn",
        "year": "2024",
        "award_kind": "phong-trao",
        "decision_number": "7/QĐ-CĐCS",
        "decided_on": "2025-01-10",
        "issuer_name": "BCH CĐCS Công ty TNHH May Xuân Hòa",
    }
    assert client.post(url, data).status_code == 302
    honour = Honour.objects.get(person=people["an"])
    assert (honour.award_form.code, honour.title, honour.source, honour.award_kind, honour.created_by) == (
        "giay-khen-cdcs-cn",
        None,
        "manual",
        "phong-trao",
        personas.grassroots_chair,
    )
    # The same award for the same year twice is one achievement rewarded twice.
    response = client.post(url, data)
    assert response.context["form"].errors["entry"] == [
        "Nguyễn Văn An (Tổ trưởng) already has “Giấy khen của Ban Chấp hành công đoàn cơ sở (cá nhân)” for 2024."
    ]


def test_a_decision_dated_before_the_year_is_refused(client, personas, people):
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:honour_create", kwargs={"pk": people["an"].pk})
    response = client.post(
        url, {"entry": "title:ldtt", "year": "2024", "award_kind": "cong-trang", "decided_on": "2023-12-01"}
    )
    assert response.context["form"].errors["decided_on"] == ["The decision is dated before the year it is about."]
    assert not Honour.objects.exists()


def test_titles_go_only_to_the_kind_of_nominee_they_are_for(client, tree, personas, people):
    client.force_login(personas.grassroots_chair)
    # The person's form does not even offer collective titles; the service refuses them anyway.
    form = client.get(reverse("awards:honour_create", kwargs={"pk": people["an"].pk})).context["form"]
    offered = {value for _group, choices in form.fields["entry"].choices[1:] for value, _label in choices}
    assert "title:ldtt" in offered and "title:ttldtt" not in offered and "title:gia-dinh-van-hoa" in offered
    with pytest.raises(DomainError, match="“Tập thể lao động tiên tiến” is for collectives, not for a person."):
        services.record_honour(
            people["an"], actor=personas.grassroots_chair, data={"entry": title("ttldtt"), "year": 2024}
        )
    with pytest.raises(DomainError, match="“Lao động tiên tiến” is for individuals, not for a unit."):
        services.record_honour(
            tree.grassroots, actor=personas.grassroots_chair, data={"entry": title("ldtt"), "year": 2024}
        )
    response = client.post(
        reverse("awards:unit_honour_create", kwargs={"pk": tree.grassroots.pk}),
        {"entry": "title:ttldtt", "year": "2024", "award_kind": "cong-trang"},
    )
    assert response["Location"] == reverse("awards:unit_history", kwargs={"pk": tree.grassroots.pk})
    assert Honour.objects.get().organization == tree.grassroots


def test_unit_rating_discipline_and_absence_are_entered(client, tree, personas, people):
    client.force_login(personas.district_officer)
    assert (
        client.post(
            reverse("awards:unit_rating_create", kwargs={"pk": tree.grassroots.pk}),
            {"year": "2024", "kind": "union", "level": "1"},
        ).status_code
        == 302
    )
    binh = people["binh"]
    client.post(
        reverse("awards:discipline_create", kwargs={"pk": binh.pk}),
        {"year": "2024", "level": "2", "decided_on": "2024-09-01", "note": "QĐ 4/QĐ-KL"},
    )
    client.post(
        reverse("awards:absence_create", kwargs={"pk": binh.pk}), {"year": "2024", "days": "130", "reason": "maternity"}
    )
    response = client.post(
        reverse("awards:absence_create", kwargs={"pk": binh.pk}), {"year": "2024", "days": "0", "reason": "other"}
    )
    assert "days" in response.context["form"].errors
    assert Rating.objects.get(organization=tree.grassroots).kind == "union"
    assert Discipline.objects.get(person=binh).level == 2
    assert list(Absence.objects.filter(person=binh).values_list("days", "reason")) == [(130, "maternity")]


def test_a_record_entered_by_mistake_is_removed_but_a_decided_award_is_not(client, personas, people):
    rating = Rating.objects.create(person=people["an"], year=2023, kind="duty", level=3)
    decided = Honour.objects.create(person=people["an"], year=2023, title=title("ldtt"), source=HonourSource.DECISION)
    client.force_login(personas.g1_officer)
    response = client.post(reverse("awards:rating_delete", kwargs={"pk": rating.pk}), follow=True)
    assert messages_of(response) == ["The record was removed."]
    assert not Rating.objects.exists()
    response = client.post(reverse("awards:honour_delete", kwargs={"pk": decided.pk}), follow=True)
    assert messages_of(response) == ["An award decided in the portal cannot be removed; it can only be revoked."]
    assert Honour.objects.filter(pk=decided.pk).exists()


def test_the_sibling_unit_cannot_touch_g1s_records(client, personas, people):
    rating = Rating.objects.create(person=people["an"], year=2023, kind="duty", level=3)
    client.force_login(personas.other_grassroots_chair)
    assert client.post(reverse("awards:rating_delete", kwargs={"pk": rating.pk})).status_code == 404
    assert client.get(reverse("awards:person_history", kwargs={"pk": people["an"].pk})).status_code == 404
    assert Rating.objects.exists()


# Import ----------------------------------------------------------------------


def run_import(actor, rows):
    return HistoryImport(actor=actor).run(open_workbook(history_sheet(rows)))


def issues_of(result):
    return [(issue.row, issue.message) for issue in result.issues]


def test_the_template_has_the_columns_and_the_codes(client, personas):
    client.force_login(personas.g1_officer)
    response = client.get(reverse("awards:history_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-lich-su-thi-dua.xlsx"'
    assert read_rows(response.content)[0] == [spec.header for spec in COLUMNS]
    lists = [row[0] for row in read_rows(response.content, sheet=1)]
    assert {"danh-hieu", "khen-thuong", "xep-loai", "xep-loai-cong-doan", "ky-luat", "vang-mat", "ldtt"} <= set(lists)


GOOD_ROWS = [
    [
        "CDCS-MXH",
        "Nguyễn Văn An",
        2023,
        "danh-hieu",
        "ldtt",
        None,
        None,
        "12/QĐ-CĐCS",
        "15/01/2024",
        "CĐCS May Xuân Hòa",
    ],
    ["CDCS-MXH", "Nguyễn Văn An", 2023, "xep-loai", 2],
    ["CDCS-MXH", None, 2023, "danh-hieu", "ttldtt", None, None, "5/QĐ-CĐP", datetime.datetime(2024, 2, 1), "CĐ phường"],
    ["CDCS-MXH", "", 2023, "Xếp loại công đoàn", 1],
    ["CDCS-MXH", "Trần Thị Bình", 2022, "vang-mat", None, 120, "Thai sản"],
    ["CDCS-MXH", "Trần Thị Bình", 2023, "ky-luat", "1", None, None, "3/QĐ-KL", "10/10/2023", "Giám đốc"],
    ["CDCS-GBM", "Hoàng Văn Dũng", 2024, "khen-thuong", "giay-khen-cdcs-cn"],
]


def test_a_good_sheet_writes_every_row_as_imported(tree, personas, people):
    result = run_import(personas.district_officer, GOOD_ROWS)
    assert result.ok, issues_of(result)
    assert result.total == 7
    an, binh = people["an"], people["binh"]
    ldtt = Honour.objects.get(person=an)
    assert (ldtt.title.code, ldtt.year, ldtt.source, ldtt.decision_number, ldtt.decided_on, ldtt.issuer_name) == (
        "ldtt",
        2023,
        "import",
        "12/QĐ-CĐCS",
        datetime.date(2024, 1, 15),
        "CĐCS May Xuân Hòa",
    )
    assert ldtt.history.first().history_user == personas.district_officer
    unit_honour = Honour.objects.get(organization=tree.grassroots)
    assert (unit_honour.title.code, unit_honour.decided_on, unit_honour.source) == (
        "ttldtt",
        datetime.date(2024, 2, 1),
        "import",
    )
    assert Honour.objects.get(person=people["dung"]).award_form.code == "giay-khen-cdcs-cn"
    assert Rating.objects.get(person=an).level == 2
    assert (
        Rating.objects.get(organization=tree.grassroots).kind,
        Rating.objects.get(organization=tree.grassroots).level,
    ) == ("union", 1)
    assert list(Absence.objects.filter(person=binh).values_list("year", "days", "reason")) == [(2022, 120, "maternity")]
    discipline = Discipline.objects.get(person=binh)
    assert (discipline.level, discipline.decided_on, discipline.note) == (
        1,
        datetime.date(2023, 10, 10),
        "3/QĐ-KL – Giám đốc",
    )
    assert {h.source for h in Honour.objects.all()} == {"import"}
    # The same file again: every fact is already there, nothing is doubled.
    again = run_import(personas.district_officer, GOOD_ROWS)
    assert len(again.issues) == 7 and counts() == (3, 2, 1, 1)


def test_one_bad_row_stops_the_whole_sheet_and_every_problem_is_listed(tree, personas, people):
    Rating.objects.create(person=people["binh"], year=2021, kind="duty", level=2)
    rows = [
        GOOD_ROWS[0],
        ["CDCS-MXH", "Người Lạ", 2023, "danh-hieu", "ldtt"],
        ["CDCS-KHONG", "Nguyễn Văn An", 2023, "danh-hieu", "ldtt"],
        ["CDCS-BS", "Phạm Văn Em", 2023, "danh-hieu", "ldtt"],
        ["CDCS-MXH", "Nguyễn Văn An", 2023, "giai-thuong", "ldtt"],
        ["CDCS-MXH", "Nguyễn Văn An", 2022, "khen-thuong", "ldtt"],
        ["CDCS-MXH", "Nguyễn Văn An", 2022, "danh-hieu", "bang-khen-tld-cn"],
        ["CDCS-MXH", "", 2023, "danh-hieu", "ldtt"],
        ["CDCS-MXH", "Nguyễn Văn An", 2099, "danh-hieu", "ldtt"],
        ["CDCS-MXH", "Nguyễn Văn An", 2020, "xep-loai", 1],
        ["CDCS-MXH", "Nguyễn Văn An", 2020, "xep-loai", 2],
        ["CDCS-MXH", "Trần Thị Bình", 2021, "xep-loai", 1],
        ["CDCS-MXH", "Lê Văn Cường", 2023, "danh-hieu", "ldtt"],
        ["CDCS-MXH", "Nguyen Van An", 2023, "xep-loai", 1],
        ["CDCS-MXH", "Nguyễn Văn An", 2023, "xep-loai", 5],
        ["CDCS-MXH", "", 2023, "ky-luat", 1],
        ["CDCS-MXH", "Trần Thị Bình", 2023, "vang-mat", None, None, "nghỉ phép"],
    ]
    result = run_import(personas.district_officer, rows)
    assert issues_of(result) == [
        (3, "The person “Người Lạ” does not exist in unit CDCS-MXH."),
        (4, "No unit has the code CDCS-KHONG."),
        (5, "Unit CDCS-BS is outside the units you may enter history for."),
        (
            6,
            "Unknown kind “giai-thuong”; use one of: danh-hieu, khen-thuong, xep-loai, xep-loai-cong-doan, ky-luat, vang-mat.",
        ),
        (7, "ldtt is an emulation title, not an award form: use the kind danh-hieu."),
        (8, "bang-khen-tld-cn is an award form, not a title: use the kind khen-thuong."),
        (9, "“Lao động tiên tiến” is for individuals, not for a unit."),
        (10, f"The year must be between 1945 and {THIS_YEAR}."),
        (12, "The same as row 11."),
        (13, "Trần Thị Bình (Công nhân) already has this recorded for 2021."),
        (14, "Several people of CDCS-MXH are named “Lê Văn Cường”; enter this row in the portal."),
        (15, "The person “Nguyen Van An” does not exist in unit CDCS-MXH."),
        (16, "The level must be 1, 2, 3 or 4."),
        (17, "Discipline and absences are about a person: enter the full name."),
        (18, "Enter the number of working days away."),
        (18, "The reason must be maternity, sickness or other (thai sản, ốm, khác)."),
    ]
    assert result.issues[1].column == "A (Mã đơn vị)"
    assert counts() == (0, 1, 0, 0)


def test_a_sibling_chair_cannot_import_into_g1(personas, people):
    result = run_import(personas.other_grassroots_chair, [GOOD_ROWS[1]])
    assert issues_of(result) == [(2, "Unit CDCS-MXH is outside the units you may enter history for.")]
    assert counts() == (0, 0, 0, 0)


def test_a_sheet_without_the_template_columns_is_refused(personas, people):
    result = HistoryImport(actor=personas.grassroots_chair).run(
        open_workbook(history_sheet([GOOD_ROWS[1]], header=["Mã đơn vị", "Họ và tên", "Năm"]))
    )
    assert issues_of(result) == [(1, "Columns missing from row 1: Loại, Mã. Use the template from the portal.")]


def test_import_page_reports_success(client, personas, people):
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:history_import")
    response = client.post(url, {"file": history_sheet(GOOD_ROWS[:2])}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert messages_of(response) == ["Import finished: 2 rows written (danh-hieu: 1, xep-loai: 1)."]
    assert counts() == (1, 1, 0, 0)


def test_import_page_lists_the_problems_and_writes_nothing(client, personas, people):
    client.force_login(personas.grassroots_chair)
    response = client.post(
        reverse("awards:history_import"),
        {"file": history_sheet([GOOD_ROWS[0], ["CDCS-MXH", "Người Lạ", 2023, "danh-hieu", "ldtt"]])},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Nothing was imported. Correct the rows below and upload the file again." in page
    assert "The person “Người Lạ” does not exist in unit CDCS-MXH." in page and "B (Họ và tên)" in page
    assert counts() == (0, 0, 0, 0)


def test_import_refuses_what_is_not_a_workbook_or_too_large(client, settings, personas):
    client.force_login(personas.grassroots_chair)
    url = reverse("awards:history_import")
    response = client.post(url, {"file": upload(content=b"Ho va ten;Nam\n", name="lich-su.xlsx")})
    assert response.context["form"].errors["file"] == [
        "The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again."
    ]
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = upload(content=b"PK\x03\x04" + b"0" * (1024 * 1024), name="lich-su.xlsx")
    assert client.post(url, {"file": big}).context["form"].errors["file"] == [
        "The file is larger than the 1 MB allowed."
    ]
    assert counts() == (0, 0, 0, 0)
