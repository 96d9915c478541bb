"""Eligibility on a fixed multi-year history, criterion by criterion."""

import datetime

import pytest

from awards.eligibility import FAIL, PASS, UNKNOWN, check_nominee, overall
from awards.models import Absence, Criterion, Discipline, Honour, Rating
from initiatives.models import Initiative
from reports.models import Registration, TitleAim
from tests.awards.factories import make_nomination, make_person, title
from tests.factories import make_campaign


def honour(code, year, person=None, unit=None):
    return Honour.objects.create(title=title(code), year=year, person=person, organization=unit)


def by_basis(checks, words):
    return next(c for c in checks if words in c.description)


@pytest.fixture
def worker(tree):
    return make_person(tree.grassroots, "Trần Thị Bình", joined_on=datetime.date(2018, 3, 1))


def test_three_consecutive_grassroots_fighters_make_a_person_eligible_for_the_province_title(worker):
    for year in (2024, 2025, 2026):
        honour("cstdcs", year, person=worker)
    check = by_basis(check_nominee(entry=title("cstd-tinh"), year=2026, person=worker), "3 lần liên tục")
    assert check.status == PASS
    assert "2024–2026" in check.reason
    assert check.legal_basis.endswith("Điều 22")


def test_a_gap_year_breaks_the_chain(worker):
    for year in (2023, 2024, 2026):
        honour("cstdcs", year, person=worker)
    check = by_basis(check_nominee(entry=title("cstd-tinh"), year=2026, person=worker), "3 lần liên tục")
    assert check.status == FAIL
    assert "2025" in check.reason


def test_a_revoked_title_does_not_count_in_the_chain(worker):
    for year in (2024, 2025, 2026):
        honour("cstdcs", year, person=worker)
    Honour.objects.filter(year=2025).update(revoked_on=datetime.date(2026, 5, 1), revoke_reason="Gian lận")
    check = by_basis(check_nominee(entry=title("cstd-tinh"), year=2026, person=worker), "3 lần liên tục")
    assert check.status == FAIL


def test_the_current_year_still_being_decided_is_unknown(tree, worker):
    honour("cstdcs", 2024, person=worker)
    honour("cstdcs", 2025, person=worker)
    make_nomination(tree.grassroots, person=worker, entry="cstdcs", status="pending")
    check = by_basis(check_nominee(entry=title("cstd-tinh"), year=2026, person=worker), "3 lần liên tục")
    assert check.status == UNKNOWN


def _staff(unit, count, ldtt):
    people = [make_person(unit, f"Người {i}") for i in range(count)]
    for person in people[:ldtt]:
        honour("ldtt", 2026, person=person)
    return people


def test_a_collective_at_69_percent_fails_and_at_70_passes(tree):
    _staff(tree.grassroots, 100, 69)
    check = by_basis(check_nominee(entry=title("ttldtt"), year=2026, unit=tree.grassroots), "70%")
    assert check.status == FAIL
    assert "69/100" in check.reason and "(69%)" in check.reason

    other = _staff(tree.other_grassroots, 100, 70)
    assert len(other) == 100
    check = by_basis(check_nominee(entry=title("ttldtt"), year=2026, unit=tree.other_grassroots), "70%")
    assert check.status == PASS


def test_a_member_disciplined_at_warning_fails_the_collective(tree):
    people = _staff(tree.grassroots, 10, 10)
    Discipline.objects.create(person=people[3], year=2026, level=2, note="QĐ 12/QĐ-CT")
    check = by_basis(check_nominee(entry=title("ttldtt"), year=2026, unit=tree.grassroots), "cảnh cáo")
    assert check.status == FAIL
    assert "Người 3" in check.reason


def test_a_reprimand_does_not_fail_the_collective_but_fails_the_person(tree):
    people = _staff(tree.grassroots, 10, 10)
    Discipline.objects.create(person=people[0], year=2026, level=1)
    collective = by_basis(check_nominee(entry=title("ttldtt"), year=2026, unit=tree.grassroots), "cảnh cáo")
    assert collective.status == PASS
    person = by_basis(check_nominee(entry=title("ldtt"), year=2026, person=people[0]), "khiển trách")
    assert person.status == FAIL


def test_an_unregistered_person_fails_where_registration_is_required(tree, personas, worker):
    check = by_basis(check_nominee(entry=title("ldtt"), year=2026, person=worker), "đăng ký")
    assert check.status == FAIL

    plan = make_campaign(tree.province, personas.province_staff, year=2026)
    registration = Registration.objects.create(campaign=plan, organization=tree.grassroots, status="approved")
    TitleAim.objects.create(registration=registration, person=worker, title=title("ldtt"))
    check = by_basis(check_nominee(entry=title("ldtt"), year=2026, person=worker), "đăng ký")
    assert check.status == PASS


def test_a_criterion_whose_validity_ended_does_not_apply(worker):
    expired = Criterion.objects.get(title__code="cstdcs", valid_until=datetime.date(2023, 12, 31))
    in_2026 = [c.description for c in check_nominee(entry=title("cstdcs"), year=2026, person=worker)]
    assert expired.description not in in_2026
    in_2023 = [c.description for c in check_nominee(entry=title("cstdcs"), year=2023, person=worker)]
    assert expired.description in in_2023


def test_the_old_fifty_percent_rule_applies_to_2023_and_the_seventy_percent_rule_after(tree):
    _staff(tree.grassroots, 10, 6)
    Honour.objects.update(year=2023)
    descriptions = {
        c.description: c.status for c in check_nominee(entry=title("ttldtt"), year=2023, unit=tree.grassroots)
    }
    assert any("50%" in d and s == PASS for d, s in descriptions.items())
    assert not any("70%" in d for d in descriptions)


def test_grassroots_fighter_needs_ldtt_and_excellence_or_an_initiative(tree, worker):
    honour("ldtt", 2026, person=worker)
    Rating.objects.create(person=worker, year=2026, level=2)
    checks = check_nominee(entry=title("cstdcs"), year=2026, person=worker)
    assert by_basis(checks, "Lao động tiên tiến").status == PASS
    assert by_basis(checks, "sáng kiến").status == FAIL

    Initiative.objects.create(
        organization=tree.grassroots,
        title="Cải tiến khuôn ép",
        authors="Trần Thị Bình, tổ trưởng",
        field="technical",
        recognized_on=datetime.date(2026, 6, 1),
    )
    checks = check_nominee(entry=title("cstdcs"), year=2026, person=worker)
    assert by_basis(checks, "sáng kiến").status == PASS
    assert "Cải tiến khuôn ép" in by_basis(checks, "sáng kiến").reason


def test_absence_counts_every_reason_but_maternity(worker):
    Absence.objects.create(person=worker, year=2026, days=120, reason="maternity")
    Absence.objects.create(person=worker, year=2026, days=39, reason="sickness")
    assert by_basis(check_nominee(entry=title("ldtt"), year=2026, person=worker), "40 ngày").status == PASS
    Absence.objects.create(person=worker, year=2026, days=1, reason="other")
    assert by_basis(check_nominee(entry=title("ldtt"), year=2026, person=worker), "40 ngày").status == FAIL


def test_someone_recruited_less_than_ten_months_before_the_year_end_fails(tree):
    newcomer = make_person(tree.grassroots, "Lê Mới", joined_on=datetime.date(2026, 4, 1))
    assert by_basis(check_nominee(entry=title("ldtt"), year=2026, person=newcomer), "10 tháng").status == FAIL
    veteran = make_person(tree.grassroots, "Lê Cũ", joined_on=datetime.date(2026, 3, 1))
    assert by_basis(check_nominee(entry=title("ldtt"), year=2026, person=veteran), "10 tháng").status == PASS


def test_a_missing_rating_is_unknown_and_the_overall_follows(worker):
    checks = check_nominee(entry=title("ldtt"), year=2026, person=worker)
    assert by_basis(checks, "Hoàn thành tốt").status == UNKNOWN
    assert overall(checks) == FAIL  # unregistered as well
