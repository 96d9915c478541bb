"""The catalogue: titles and award forms, criteria with checked parameters, quotas, base salaries.

Only staff of a top-level unit (the Tổng Liên đoàn) change the catalogue; a quota belongs
to its issuing unit. Texts are asserted in English, the language of the code.
"""

import datetime
import html
import json
import re
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from awards.models import AwardForm, BaseSalary, Criterion, Quota, Title
from awards.services import catalogue as services
from core.exceptions import ConflictError, DomainError
from tests.awards.factories import award_form, make_top_staff, title


@pytest.fixture(autouse=True)
def _english(settings):
    # The Vietnamese catalogue of these strings is written later; English is the source text.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def top(tree):
    return make_top_staff(tree)


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def criterion_of(code, description_start):
    return Criterion.objects.get(title__code=code, description__startswith=description_start)


# Parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "params"),
    [
        ("registered", {}),
        ("rating", {"kind": "duty", "at_least": 2}),
        ("rating", {"kind": "union", "at_least": 1}),
        ("consecutive", {"title": "cstdcs", "years": 3}),
        ("member_share_title", {"title": "ldtt", "percent": 70}),
        ("member_share_rating", {"at_least": 3, "percent": 100}),
        ("initiative", {"level": 4, "years": 1, "min_benefit": 80_000_000}),
        ("any_of", services.EXAMPLES["any_of"]),
    ],
)
def test_good_parameters_pass_unchanged(tree, rule, params):
    assert services.check_params(rule, params) == params


@pytest.mark.parametrize(
    ("rule", "params", "message"),
    [
        ("rating", {"kind": "party", "at_least": 2}, "“kind” must be one of: duty, union."),
        ("rating", {"kind": "duty", "at_least": 5}, "“at_least” must be between 1 and 4."),
        ("rating", {"kind": "duty", "at_least": 0}, "“at_least” must be between 1 and 4."),
        ("rating", {"kind": "duty", "at_least": "2"}, "“at_least” must be a whole number."),
        ("rating", {"kind": "duty"}, "The parameter “at_least” is missing."),
        ("consecutive", {"title": "cstdcs", "years": 1}, "“years” must be between 2 and 20."),
        ("consecutive", {"title": "khong-co", "years": 3}, "No emulation title has the code “khong-co”."),
        # An award form is not a title, even with a real code.
        (
            "consecutive",
            {"title": "bang-khen-tld-cn", "years": 2},
            "No emulation title has the code “bang-khen-tld-cn”.",
        ),
        ("member_share_title", {"title": "ldtt", "percent": 0}, "“percent” must be between 1 and 100."),
        ("member_share_title", {"title": "ldtt", "percent": 101}, "“percent” must be between 1 and 100."),
        ("member_share_title", {"percent": 70}, "The parameter “title” is missing."),
        (
            "any_of",
            {"rules": {"rule": "rating"}},
            "“rules” must be a list of at least two criteria, each with “rule” and “params”.",
        ),
        (
            "any_of",
            {"rules": [{"rule": "rating", "params": {"kind": "duty", "at_least": 1}}, {"rule": "magic"}]},
            "Unknown rule “magic” in “rules”.",
        ),
        (
            "any_of",
            {"rules": [{"rule": "rating", "params": {"kind": "duty", "at_least": 9}}, {"rule": "registered"}]},
            "“at_least” must be between 1 and 4.",
        ),
        ("registered", {"years": 1}, "Unknown parameter “years” for this rule (expected: none)."),
        ("absence", {"max_day": 40}, "Unknown parameter “max_day” for this rule (expected: max_days)."),
        ("absence", [40], 'The parameters must be a JSON object, like {"years": 3}.'),
    ],
)
def test_bad_parameters_are_refused_with_a_message(tree, rule, params, message):
    with pytest.raises(DomainError) as caught:
        services.check_params(rule, params)
    assert (caught.value.message, caught.value.field) == (message, "params")


def test_parameters_read_as_words(tree):
    def pairs(rule, params):
        return [(str(d["label"]), str(d["value"]), d["items"]) for d in services.describe_params(rule, params)]

    assert pairs("rating", {"kind": "duty", "at_least": 2}) == [
        ("rating", "Completion of duties (mức độ hoàn thành nhiệm vụ)", []),
        ("rated at least", "Hoàn thành tốt nhiệm vụ", []),
    ]
    assert pairs("consecutive", {"title": "cstdcs", "years": 3}) == [
        ("title", "Chiến sĩ thi đua cơ sở", []),
        ("consecutive years", "3", []),
    ]
    assert pairs("member_share_title", {"title": "ldtt", "percent": 70})[1] == ("share", "70%", [])
    assert pairs("any_of", services.EXAMPLES["any_of"]) == [
        (
            "one of",
            "",
            [
                "Rated at least a level for the year (rating: Completion of duties (mức độ hoàn thành nhiệm vụ); "
                "rated at least: Hoàn thành xuất sắc nhiệm vụ)",
                "Has a recognised initiative (recognised at: Grassroots (cơ sở); within the last years: 1)",
            ],
        )
    ]


# Reading the catalogue -------------------------------------------------------------


def test_titles_and_award_forms_are_listed_in_two_tables(client, personas):
    client.force_login(personas.g1_officer)
    response = client.get(reverse("awards:catalogue_list"))
    titles = [entry for entry, _valid in response.context["titles"]]
    forms = [entry for entry, _valid in response.context["award_forms"]]
    assert {type(e) for e in titles} == {Title} and len(titles) == Title.objects.count()
    assert {type(e) for e in forms} == {AwardForm} and len(forms) == AwardForm.objects.count()
    page = text(response)
    assert "Emulation titles (danh hiệu thi đua)" in page and "Award forms (hình thức khen thưởng)" in page
    # Who it is for, level, coefficient, votes and legal basis of one row.
    assert "Chiến sĩ thi đua cơ sở" in page
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 23" in page
    assert "80%" in page


def test_filtering_by_date_hides_an_entry_no_longer_valid(client, personas):
    Title.objects.filter(code="gvn-dvn").update(valid_until=datetime.date(2023, 12, 31))
    client.force_login(personas.g1_officer)
    url = reverse("awards:catalogue_list")

    def codes(query):
        return {entry.code: valid for entry, valid in client.get(url, query).context["titles"]}

    assert "gvn-dvn" not in codes({"on": "2024-06-01"})
    assert codes({"on": "2023-06-01"})["gvn-dvn"] is True
    # Unfiltered, it stays listed and is marked as no longer valid.
    assert codes({})["gvn-dvn"] is False
    assert "ldtt" in codes({"on": "2024-06-01"})


def test_entry_page_lists_criteria_and_the_date_filter_hides_an_expired_one(client, personas):
    cstdcs = title("cstdcs")
    client.force_login(personas.g1_officer)
    url = reverse("awards:entry_detail", kwargs={"kind": "title", "pk": cstdcs.pk})
    old = "Có sáng kiến được công nhận (bắt buộc theo quy định cũ)"

    response = client.get(url)
    rows = {r["criterion"].description: r for r in response.context["rows"]}
    assert rows[old]["is_valid"] is False
    assert rows["Đạt danh hiệu Lao động tiên tiến"]["is_valid"] is True
    page = text(response)
    assert "No longer valid" in page and "Nghị định 91/2017/NĐ-CP, Điều 9" in page and "… – 31/12/2023" in page
    # Parameters in words, sub-criteria of "one of" listed.
    assert "Title: Lao động tiên tiến" in page
    assert "Has a recognised initiative (recognised at: Grassroots (cơ sở); within the last years: 1)" in page

    current = {r["criterion"].description for r in client.get(url, {"on": "2024-06-01"}).context["rows"]}
    assert old not in current and "Đạt danh hiệu Lao động tiên tiến" in current
    then = {r["criterion"].description: r["is_valid"] for r in client.get(url, {"on": "2023-06-01"}).context["rows"]}
    assert then[old] is True


def test_an_unknown_kind_of_entry_is_not_found(client, personas):
    client.force_login(personas.g1_officer)
    response = client.get(reverse("awards:entry_detail", kwargs={"kind": "medal", "pk": title("ldtt").pk}))
    assert response.status_code == 404


def test_readers_see_no_editing_controls(client, personas):
    client.force_login(personas.province_staff)
    page = text(client.get(reverse("awards:entry_detail", kwargs={"kind": "title", "pk": title("ldtt").pk})))
    assert "Add a criterion" not in page and "Change history" not in page


# Editing entries ---------------------------------------------------------------


def entry_data(entry, **overrides):
    data = {
        "version": entry.version,
        "name": entry.name,
        "scope": entry.scope,
        "awarding_level": entry.awarding_level,
        "coefficient": "0,4",
        "vote_threshold": entry.vote_threshold,
        "certificate_heading": entry.certificate_heading,
        "legal_basis": entry.legal_basis,
        "valid_from": "",
        "valid_until": "",
        "sort_order": entry.sort_order,
    }
    if entry.is_union_title:
        data["is_union_title"] = "on"
    data.update(overrides)
    return data


def test_top_staff_edit_an_entry_and_the_history_names_them(client, top):
    ldtt = title("ldtt")
    client.force_login(top)
    url = reverse("awards:entry_update", kwargs={"kind": "title", "pk": ldtt.pk})
    response = client.post(url, entry_data(ldtt, vote_threshold="60"))
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:entry_detail", kwargs={"kind": "title", "pk": ldtt.pk})
    ldtt.refresh_from_db()
    assert (ldtt.coefficient, ldtt.vote_threshold, ldtt.version, ldtt.code) == (Decimal("0.4"), 60, 2, "ldtt")
    assert ldtt.history.first().history_user == top


def test_an_award_form_is_edited_through_its_own_form(client, top):
    form = award_form("bang-khen-tld-cn")
    client.force_login(top)
    url = reverse("awards:entry_update", kwargs={"kind": "form", "pk": form.pk})
    response = client.post(url, entry_data(form, valid_until="2030-12-31"))
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.valid_until == datetime.date(2030, 12, 31)


def test_an_entry_ending_before_it_starts_is_refused(client, top):
    ldtt = title("ldtt")
    client.force_login(top)
    url = reverse("awards:entry_update", kwargs={"kind": "title", "pk": ldtt.pk})
    response = client.post(url, entry_data(ldtt, valid_from="2025-01-01", valid_until="2024-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"] == ["The end of validity is before its start."]
    ldtt.refresh_from_db()
    assert (ldtt.valid_until, ldtt.version) == (None, 1)


def test_editing_an_entry_someone_saved_meanwhile_shows_their_version(client, top):
    ldtt = title("ldtt")
    services.update_entry(ldtt, actor=top, data={"vote_threshold": 55}, expected_version=1)
    client.force_login(top)
    url = reverse("awards:entry_update", kwargs={"kind": "title", "pk": ldtt.pk})
    response = client.post(url, entry_data(ldtt, version=1, vote_threshold="70"))
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    ldtt.refresh_from_db()
    assert (ldtt.vote_threshold, ldtt.version) == (55, 2)
    # Saving again with the version shown overwrites knowingly.
    response = client.post(url, entry_data(ldtt, version=2, vote_threshold="70"))
    assert response.status_code == 302
    ldtt.refresh_from_db()
    assert ldtt.vote_threshold == 70


def test_province_staff_cannot_change_the_catalogue(client, personas):
    ldtt = title("ldtt")
    client.force_login(personas.province_staff)
    url = reverse("awards:entry_update", kwargs={"kind": "title", "pk": ldtt.pk})
    assert client.post(url, entry_data(ldtt, vote_threshold="10")).status_code == 403
    with pytest.raises(DomainError, match="Only the staff of the Tổng Liên đoàn"):
        services.update_entry(ldtt, actor=personas.province_staff, data={"vote_threshold": 10}, expected_version=None)
    ldtt.refresh_from_db()
    assert ldtt.vote_threshold == 50


def test_stale_version_raises_a_conflict_in_the_service(top, tree):
    ldtt = title("ldtt")
    services.update_entry(ldtt, actor=top, data={"sort_order": 9}, expected_version=1)
    with pytest.raises(ConflictError):
        services.update_entry(ldtt, actor=top, data={"sort_order": 3}, expected_version=1)


# Criteria ----------------------------------------------------------------------


def criterion_data(criterion=None, **overrides):
    data = {
        "version": criterion.version if criterion else "",
        "rule": criterion.rule if criterion else "rating",
        "params": json.dumps(criterion.params) if criterion else '{"kind": "duty", "at_least": 2}',
        "description": criterion.description if criterion else "Hoàn thành tốt nhiệm vụ",
        "legal_basis": criterion.legal_basis if criterion else "Luật Thi đua, khen thưởng 2022, Điều 24",
        "valid_from": "",
        "valid_until": "",
        "sort_order": "5",
    }
    data.update(overrides)
    return data


def test_criterion_with_bad_json_is_refused_with_a_message_and_nothing_saved(client, top):
    rating = criterion_of("ldtt", "Hoàn thành tốt nhiệm vụ")
    records = rating.history.count()
    client.force_login(top)
    url = reverse("awards:criterion_update", kwargs={"pk": rating.pk})
    bad = '{"kind": "duty", at_least: 1}'
    response = client.post(url, criterion_data(rating, params=bad, description="Changed"))
    assert response.status_code == 200
    [error] = response.context["form"].errors["params"]
    assert error.startswith("The parameters are not valid JSON (line 1, column 18)")
    assert bad in html.unescape(response.content.decode())  # the user's input comes back
    rating.refresh_from_db()
    assert (rating.params, rating.description, rating.version) == (
        {"kind": "duty", "at_least": 2},
        "Hoàn thành tốt nhiệm vụ trở lên",
        1,
    )
    assert rating.history.count() == records


def test_criterion_with_params_wrong_for_its_rule_is_refused(client, top):
    rating = criterion_of("ldtt", "Hoàn thành tốt nhiệm vụ")
    client.force_login(top)
    url = reverse("awards:criterion_update", kwargs={"pk": rating.pk})
    response = client.post(url, criterion_data(rating, params='{"kind": "duty", "at_least": 7}'))
    assert response.status_code == 200
    assert response.context["form"].errors["params"] == ["“at_least” must be between 1 and 4."]
    # Switching the rule without its parameters is refused too.
    response = client.post(url, criterion_data(rating, rule="consecutive"))
    assert response.context["form"].errors["params"] == [
        "Unknown parameter “at_least” for this rule (expected: title, years)."
    ]
    rating.refresh_from_db()
    assert (rating.rule, rating.params, rating.version) == ("rating", {"kind": "duty", "at_least": 2}, 1)


def test_criterion_is_edited_with_its_history(client, top):
    rating = criterion_of("ldtt", "Hoàn thành tốt nhiệm vụ")
    client.force_login(top)
    url = reverse("awards:criterion_update", kwargs={"pk": rating.pk})
    response = client.post(url, criterion_data(rating, params='{"kind": "duty", "at_least": 1}'))
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.params, rating.version) == ({"kind": "duty", "at_least": 1}, 2)
    record = rating.history.first()
    assert (record.history_user, record.history_change_reason) == (top, "Criterion edited")


def test_editing_a_criterion_shows_its_params_as_json(client, top):
    consecutive = Criterion.objects.get(title__code="cstd-tinh", rule="consecutive")
    client.force_login(top)
    response = client.get(reverse("awards:criterion_update", kwargs={"pk": consecutive.pk}))
    assert json.loads(response.context["form"]["params"].value()) == {"title": "cstdcs", "years": 3}
    assert "member_share_title" in text(response)  # the guide to every rule


def test_a_criterion_is_added_to_an_award_form(client, top):
    form = award_form("giay-khen-cdcs-cn")
    client.force_login(top)
    url = reverse("awards:criterion_create", kwargs={"kind": "form", "pk": form.pk})
    params = json.dumps(services.EXAMPLES["any_of"])
    response = client.post(url, criterion_data(rule="any_of", params=params, description="Xuất sắc hoặc có sáng kiến"))
    assert response.status_code == 302
    added = form.criteria.get(description="Xuất sắc hoặc có sáng kiến")
    assert (added.title, added.params, added.history.first().history_user) == (None, services.EXAMPLES["any_of"], top)


def test_a_criterion_with_bad_params_is_not_added(client, top):
    ldtt = title("ldtt")
    before = ldtt.criteria.count()
    client.force_login(top)
    url = reverse("awards:criterion_create", kwargs={"kind": "title", "pk": ldtt.pk})
    response = client.post(url, criterion_data(rule="tenure", params='{"months": 13}'))
    assert response.context["form"].errors["params"] == ["“months” must be between 1 and 12."]
    assert ldtt.criteria.count() == before


def test_ending_a_criterion_keeps_it_for_past_years(client, top):
    tenure = Criterion.objects.get(title__code="ldtt", rule="tenure")
    client.force_login(top)
    response = client.post(
        reverse("awards:criterion_end", kwargs={"pk": tenure.pk}), {"valid_until": "2025-12-31"}, follow=True
    )
    assert messages_of(response) == [
        "The criterion “Đã công tác từ 10 tháng trở lên trong năm” applies until 31/12/2025."
    ]
    tenure.refresh_from_db()
    assert (tenure.valid_until, tenure.version) == (datetime.date(2025, 12, 31), 2)
    assert tenure.history.first().history_change_reason == "Criterion ended"
    url = reverse("awards:entry_detail", kwargs={"kind": "title", "pk": tenure.title_id})
    assert tenure not in [r["criterion"] for r in client.get(url, {"on": "2026-01-01"}).context["rows"]]
    assert tenure in [r["criterion"] for r in client.get(url, {"on": "2025-12-31"}).context["rows"]]


@pytest.mark.parametrize(
    ("description", "day", "message"),
    [
        (
            "Có từ 70% thành viên",
            "2023-06-30",
            "A criterion cannot end before it starts applying.",
        ),
        ("Có trên 50% thành viên", "2025-01-01", "This criterion already ended on 31/12/2023."),
    ],
)
def test_ending_a_criterion_at_a_wrong_date_says_why(client, top, description, day, message):
    criterion = criterion_of("ttldtt", description)
    before = criterion.valid_until
    client.force_login(top)
    response = client.post(
        reverse("awards:criterion_end", kwargs={"pk": criterion.pk}), {"valid_until": day}, follow=True
    )
    assert messages_of(response) == [message]
    criterion.refresh_from_db()
    assert criterion.valid_until == before


def test_ending_a_criterion_needs_a_date_and_the_right(client, top, personas):
    tenure = Criterion.objects.get(title__code="ldtt", rule="tenure")
    url = reverse("awards:criterion_end", kwargs={"pk": tenure.pk})
    client.force_login(top)
    assert messages_of(client.post(url, {"valid_until": ""}, follow=True)) == [
        "Enter the last day the criterion applies."
    ]
    assert client.get(url).status_code == 405
    client.force_login(personas.province_staff)
    assert client.post(url, {"valid_until": "2025-12-31"}).status_code == 403
    tenure.refresh_from_db()
    assert tenure.valid_until is None


# Quotas ----------------------------------------------------------------------


def test_province_staff_set_a_quota_for_their_unit(client, tree, personas):
    client.force_login(personas.province_staff)
    url = reverse("awards:quota_create", kwargs={"pk": tree.province.pk})
    data = {"entry": "form:bang-khen-ldld-cn", "year": "2026", "cap": "40", "legal_basis": "QĐ 12/QĐ-LĐLĐ"}
    response = client.post(url, data)
    assert response.status_code == 302
    quota = Quota.objects.get()
    assert (quota.organization, quota.award_form.code, quota.title, quota.cap) == (
        tree.province,
        "bang-khen-ldld-cn",
        None,
        40,
    )
    assert quota.history.first().history_user == personas.province_staff
    # A second quota for the same entry and year is refused; edit the first instead.
    response = client.post(url, {**data, "cap": "50"})
    assert response.context["form"].errors["entry"] == [
        "Liên đoàn Lao động tỉnh An Phú already has a quota for “Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh "
        "(cá nhân)” in 2026; edit that one."
    ]
    assert Quota.objects.get().cap == 40
    listed = client.get(reverse("awards:quota_list"), {"year": "2026"}).context["rows"]
    assert listed == [(quota, True)]


def test_a_quota_is_edited_and_removed_by_its_unit_only(client, tree, personas):
    quota = Quota.objects.create(organization=tree.grassroots, year=2026, title=title("ldtt"), cap=30)
    client.force_login(personas.grassroots_chair)
    response = client.post(
        reverse("awards:quota_update", kwargs={"pk": quota.pk}), {"entry": "title:ldtt", "year": "2026", "cap": "35"}
    )
    assert response.status_code == 302
    quota.refresh_from_db()
    assert quota.cap == 35
    client.force_login(personas.other_grassroots_chair)
    assert client.post(reverse("awards:quota_delete", kwargs={"pk": quota.pk})).status_code == 404
    client.force_login(personas.district_officer)
    assert client.post(reverse("awards:quota_delete", kwargs={"pk": quota.pk})).status_code == 403
    client.force_login(personas.grassroots_chair)
    client.post(reverse("awards:quota_delete", kwargs={"pk": quota.pk}))
    assert not Quota.objects.exists()


def test_quota_list_shows_only_visible_units(client, tree, personas):
    Quota.objects.create(organization=tree.province, year=2026, title=title("ldtt"), cap=100)
    mine = Quota.objects.create(organization=tree.grassroots, year=2026, title=title("ldtt"), cap=5)
    client.force_login(personas.grassroots_chair)
    assert client.get(reverse("awards:quota_list")).context["rows"] == [(mine, True)]


# Base salaries -----------------------------------------------------------------


def test_base_salaries_are_listed_with_the_one_in_force(client, personas):
    client.force_login(personas.g1_officer)
    response = client.get(reverse("awards:base_salary_list"))
    assert response.context["current"].amount == Decimal("2340000")
    assert "2,340,000" in text(response) and "Nghị định 73/2024/NĐ-CP" in text(response)
    assert "Add a base salary" not in text(response)


def test_top_staff_add_a_base_salary(client, top, personas):
    client.force_login(top)
    url = reverse("awards:base_salary_create")
    data = {"amount": "2.530.000", "valid_from": "2026-07-01", "legal_basis": "Nghị định 999/2026/NĐ-CP"}
    assert client.post(url, data).status_code == 302
    salary = BaseSalary.objects.get(valid_from=datetime.date(2026, 7, 1))
    assert (salary.amount, salary.history.first().history_user) == (Decimal("2530000"), top)
    response = client.post(url, {**data, "amount": "2.600.000"})
    assert response.context["form"].errors["valid_from"] == ["A base salary already starts on that date."]
    client.force_login(personas.province_staff)
    assert client.post(url, {**data, "valid_from": "2027-01-01"}).status_code == 403
    assert BaseSalary.objects.count() == 4


# Landing page ------------------------------------------------------------------


def test_landing_page_links_the_catalogue_the_users_units_and_existing_areas(client, tree, personas):
    client.force_login(personas.district_officer)
    response = client.get(reverse("awards:index"))
    page = response.content.decode()
    assert reverse("awards:catalogue_list") in page
    assert reverse("awards:person_list", kwargs={"pk": tree.district.pk}) in page
    assert reverse("awards:person_create", kwargs={"pk": tree.district.pk}) in page
    assert reverse("awards:history_import") in page
    for name in ("awards:nomination_list", "awards:council_list", "awards:decision_list", "awards:covenant_list"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert url in page


def test_landing_page_offers_no_entry_to_a_leader_who_only_approves(client, tree, personas):
    client.force_login(personas.leader_viewer)
    page = client.get(reverse("awards:index")).content.decode()
    assert reverse("awards:person_list", kwargs={"pk": tree.province.pk}) in page
    assert reverse("awards:person_create", kwargs={"pk": tree.province.pk}) not in page
    assert reverse("awards:history_import") not in page
