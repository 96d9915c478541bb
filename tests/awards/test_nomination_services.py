"""Nominations on their way up, through the services."""

import pytest

from awards.models import Nomination, NominationEvent, Quota, Rating
from awards.services import nominations as services
from core.exceptions import DomainError
from reports.models import Registration, TitleAim
from tests.awards.factories import award_form, make_person, title
from tests.factories import make_campaign, make_membership, make_user


@pytest.fixture
def worker(tree):
    return make_person(tree.grassroots, "Đỗ Văn Cường")


@pytest.fixture
def district_reviewer(tree):
    user = make_user("phuong.duyet", full_name="Ngô Thị Duyệt")
    make_membership(user, tree.district, "approver")
    return user


def nominate(tree, actor, **data):
    data.setdefault("year", 2026)
    data.setdefault("summary", "Hoàn thành xuất sắc nhiệm vụ.")
    return services.create_nomination(tree.grassroots, actor=actor, data=data)


def test_the_deciding_unit_is_the_nearest_with_the_authority(tree):
    assert services.deciding_unit(tree.grassroots, title("ldtt")) == tree.grassroots
    assert services.deciding_unit(tree.grassroots, title("cdcs-vung-manh")) == tree.district
    assert services.deciding_unit(tree.grassroots, title("co-ldld")) == tree.province
    assert services.deciding_unit(tree.grassroots, title("cstd-tinh")) == tree.tld
    assert services.deciding_unit(tree.grassroots, title("cstd-toan-quoc")) == tree.tld


def test_a_title_of_the_wrong_kind_is_refused_and_nothing_is_saved(tree, personas, worker):
    with pytest.raises(DomainError, match="tập thể|collective"):
        nominate(tree, personas.grassroots_chair, person=worker, title=title("ttldtt"))
    with pytest.raises(DomainError):
        nominate(tree, personas.grassroots_chair, organization=tree.grassroots, title=title("ldtt"))
    with pytest.raises(DomainError):
        nominate(tree, personas.grassroots_chair, person=worker, award_form=award_form("giay-khen-ctt-tt"))
    assert not Nomination.objects.exists()


def test_a_person_outside_the_unit_cannot_be_nominated(tree, personas):
    stranger = make_person(tree.other_grassroots, "Người Ngoài")
    with pytest.raises(DomainError):
        nominate(tree, personas.grassroots_chair, person=stranger, title=title("ldtt"))


def test_a_sibling_cannot_nominate_for_the_unit(tree, personas, worker):
    with pytest.raises(DomainError):
        nominate(tree, personas.other_grassroots_chair, person=worker, title=title("ldtt"))


def test_the_same_nominee_is_not_proposed_twice_for_the_same_title(tree, personas, worker):
    nominate(tree, personas.grassroots_chair, person=worker, title=title("ldtt"))
    with pytest.raises(DomainError):
        nominate(tree, personas.grassroots_chair, person=worker, title=title("ldtt"))


def test_the_way_up_from_draft_to_the_council(tree, personas, worker, district_reviewer):
    Rating.objects.create(person=worker, year=2026, level=3)
    nomination = nominate(tree, personas.grassroots_chair, person=worker, award_form=award_form("giay-khen-ctt-cn"))
    services.submit_nomination(nomination, actor=personas.grassroots_chair)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder) == ("pending", tree.district)
    assert nomination.checks[0]["status"] == "fail"  # the snapshot travels with it

    # Rated below "good": the reviewer must say why it goes on.
    with pytest.raises(DomainError):
        services.accept_nomination(nomination, actor=district_reviewer)
    services.accept_nomination(nomination, actor=district_reviewer, override_reason="Đã xác minh thành tích")
    nomination.refresh_from_db()
    assert nomination.status == "ready"
    assert nomination.override_reason == "Đã xác minh thành tích"
    actions = list(nomination.events.values_list("action", flat=True))
    assert actions == ["created", "submitted", "accepted"]


def test_beyond_its_authority_a_nomination_is_forwarded_as_a_proposal(tree, personas, worker, district_reviewer):
    Rating.objects.create(person=worker, year=2026, level=3)
    nomination = nominate(tree, personas.grassroots_chair, person=worker, award_form=award_form("bang-khen-ldld-cn"))
    services.submit_nomination(nomination, actor=personas.grassroots_chair)
    with pytest.raises(DomainError):
        services.accept_nomination(nomination, actor=district_reviewer)
    with pytest.raises(DomainError, match="reason|lý do"):
        services.forward_nominations([nomination], actor=district_reviewer)
    proposal = services.forward_nominations(
        [nomination], actor=district_reviewer, overrides={nomination.pk: "Có thành tích đột xuất trong năm"}
    )
    nomination.refresh_from_db()
    assert nomination.holder == tree.province
    assert (proposal.from_unit, proposal.to_unit) == (tree.district, tree.province)
    assert list(proposal.nominations.all()) == [nomination]
    assert NominationEvent.objects.filter(nomination=nomination, action="forwarded").exists()


def test_return_sends_it_back_to_draft_with_the_note(tree, personas, worker, district_reviewer):
    nomination = nominate(tree, personas.grassroots_chair, person=worker, award_form=award_form("giay-khen-ctt-cn"))
    services.submit_nomination(nomination, actor=personas.grassroots_chair)
    with pytest.raises(DomainError):
        services.return_nomination(nomination, actor=district_reviewer, note="  ")
    services.return_nomination(nomination, actor=district_reviewer, note="Bổ sung minh chứng")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder, nomination.return_note) == (
        "draft",
        tree.grassroots,
        "Bổ sung minh chứng",
    )


def test_a_quota_caps_what_the_deciding_unit_accepts(tree, personas, district_reviewer):
    Quota.objects.create(organization=tree.district, year=2026, award_form=award_form("giay-khen-ctt-cn"), cap=1)
    first, second = make_person(tree.grassroots, "Một"), make_person(tree.grassroots, "Hai")
    accepted = []
    for person in (first, second):
        nomination = nominate(tree, personas.grassroots_chair, person=person, award_form=award_form("giay-khen-ctt-cn"))
        services.submit_nomination(nomination, actor=personas.grassroots_chair)
        accepted.append(nomination)
    services.accept_nomination(accepted[0], actor=district_reviewer, override_reason="x")
    assert services.quota_use(tree.district, award_form("giay-khen-ctt-cn"), 2026) == (1, 1)
    with pytest.raises(DomainError, match="1 of 1|1 trên 1|1/1"):
        services.accept_nomination(accepted[1], actor=district_reviewer, override_reason="x")


def test_registered_titles_show_up_as_candidates(tree, personas, worker):
    plan = make_campaign(tree.province, personas.province_staff, year=2026)
    registration = Registration.objects.create(
        campaign=plan, organization=tree.grassroots, status="approved", collective_title=title("ttldtt")
    )
    TitleAim.objects.create(registration=registration, person=worker, title=title("ldtt"))
    assert services.candidates(tree.district, 2026) == [(worker, title("ldtt")), (tree.grassroots, title("ttldtt"))]
    nominate(tree, personas.grassroots_chair, person=worker, title=title("ldtt"))
    assert services.candidates(tree.district, 2026) == [(tree.grassroots, title("ttldtt"))]
