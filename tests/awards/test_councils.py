"""Councils, meetings and secret ballots (AWARDS.md §4.4 "Voting" and "Meeting validity"):
2/3 of ALL members present, thresholds counted on ALL members, at most two ballot rounds,
ballots seen only by their member and the secretary; and the minutes PDF."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from awards.models import AgendaItem, Ballot, Meeting, Nomination, NominationEvent
from awards.services import councils as services
from core.exceptions import DomainError
from tests.awards.factories import make_council, make_meeting, make_nomination, make_person
from tests.factories import make_membership, make_user
from tests.pdf import pdf_fonts, pdf_text


@pytest.fixture(autouse=True)
def english():
    # Messages are compared in English, the language of the code; Vietnamese comes from the catalogue.
    with translation.override("en"):
        yield


@pytest.fixture
def client_en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def ready(unit, name, entry="cstdcs", *, nominator=None):
    """A nomination held by ``unit`` and accepted for its council."""
    nominator = nominator or unit
    return make_nomination(nominator, person=make_person(nominator, name), entry=entry, status="ready", holder=unit)


def seated(unit, size, *, entries=("cstdcs",), names=None):
    """A council of ``size`` members (seats[0] secretary, seats[1] chair) and a planned meeting
    with one ready nomination per entry on its agenda (through the service)."""
    council, seats = make_council(unit, members=size)
    names = names or [f"Người đề nghị {index + 1}" for index in range(len(entries))]
    nominations = [ready(unit, name, entry) for name, entry in zip(names, entries, strict=True)]
    meeting = services.schedule_meeting(
        council, actor=seats[0].user, data={"held_on": "2026-12-15", "place": "Hội trường"}
    )
    services.add_agenda_items(meeting, nominations, actor=seats[0].user)
    return council, seats, meeting


def start(meeting, seats, present=None):
    """Open the meeting with ``present`` seats (all by default) and open round 1."""
    secretary = seats[0].user
    services.open_meeting(meeting, actor=secretary, present=present if present is not None else seats)
    services.open_ballot_round(meeting, actor=secretary)
    meeting.refresh_from_db()
    return meeting


def vote(meeting, seats, yes):
    """Each seat hands in a ballot; ``yes`` maps an item to how many seats (the first ones) agree."""
    for index, seat in enumerate(seats):
        votes = {item.pk: index < count for item, count in yes.items()}
        services.cast_ballot(meeting, actor=seat.user, votes=votes)


def items(meeting):
    return list(meeting.items.order_by("pk"))


# --- the council -----------------------------------------------------------------------------------


def test_staff_set_up_a_council_and_seat_members_of_the_unit_or_above(tree, personas):
    council = services.create_council(tree.grassroots, actor=personas.grassroots_chair, data={"year": 2026})
    assert council.name == "Hội đồng Thi đua – Khen thưởng năm 2026"
    seat = services.add_council_member(
        council, actor=personas.grassroots_chair, user=personas.g1_officer, role="secretary", position="Ủy viên BCH"
    )
    assert (seat.role, seat.position) == ("secretary", "Ủy viên BCH")
    # Someone of the district (above G1) may sit; the sibling's chair may not.
    services.add_council_member(council, actor=personas.grassroots_chair, user=personas.district_officer, role="chair")
    with pytest.raises(DomainError, match="has no role in") as error:
        services.add_council_member(
            council, actor=personas.grassroots_chair, user=personas.other_grassroots_chair, role="member"
        )
    assert error.value.field == "user"
    assert list(council.members.order_by("pk").values_list("user__username", flat=True)) == [
        "may.chuyenvien",
        "phuong.chuyenvien",
    ]


def test_a_council_has_one_secretary_one_chair_and_one_council_a_year(tree, personas):
    council, seats = make_council(tree.grassroots, members=3)
    newcomer = make_user("hd.moi", full_name="Người Mới")
    make_membership(newcomer, tree.grassroots, "viewer")
    with pytest.raises(DomainError, match=r"already has a secretary: Thành viên 1\.") as error:
        services.add_council_member(council, actor=personas.grassroots_chair, user=newcomer, role="secretary")
    assert error.value.field == "role"
    with pytest.raises(DomainError, match="already has a chair"):
        services.add_council_member(council, actor=personas.grassroots_chair, user=newcomer, role="chair")
    with pytest.raises(DomainError, match="already sits on this council"):
        services.add_council_member(council, actor=personas.grassroots_chair, user=seats[2].user, role="member")
    with pytest.raises(DomainError, match="already has a council for 2026"):
        services.create_council(tree.grassroots, actor=personas.grassroots_chair, data={"year": 2026})
    assert council.members.count() == 3


def test_only_the_units_awards_staff_manage_its_council(tree, personas):
    council, seats = make_council(tree.grassroots, members=3)
    with pytest.raises(DomainError, match="cannot manage the councils"):
        services.create_council(tree.grassroots, actor=personas.g1_officer, data={"year": 2027})
    with pytest.raises(DomainError, match="cannot manage the councils"):
        services.remove_council_member(seats[2], actor=personas.leader_viewer)
    services.remove_council_member(seats[2], actor=personas.province_staff)
    assert council.members.count() == 2


def test_a_meeting_needs_a_secretary(tree, personas):
    council, _seats = make_council(tree.grassroots, members=3, secretary=False)
    with pytest.raises(DomainError, match="Name the council's secretary first"):
        services.schedule_meeting(
            council, actor=personas.grassroots_chair, data={"held_on": "2026-12-15", "place": "Phòng họp"}
        )
    assert not Meeting.objects.exists()


def test_members_who_sat_in_a_meeting_stay_on_the_council(tree, personas):
    council, seats, meeting = seated(tree.grassroots, 3)
    start(meeting, seats)
    with pytest.raises(DomainError, match="in session"):
        services.remove_council_member(seats[2], actor=personas.grassroots_chair)
    vote(meeting, seats, {items(meeting)[0]: 3})
    services.close_ballot_round(meeting, actor=seats[0].user)
    services.close_meeting(meeting, actor=seats[0].user)
    with pytest.raises(DomainError, match="took part in a meeting"):
        services.remove_council_member(seats[2], actor=personas.grassroots_chair)
    assert council.members.count() == 3


# --- the agenda --------------------------------------------------------------------------------------


def test_the_agenda_takes_ready_nominations_held_by_the_councils_unit(tree, personas):
    council, seats = make_council(tree.district, members=3)
    meeting = make_meeting(council)
    mine = ready(tree.district, "Trần Thị Bình", nominator=tree.grassroots)
    elsewhere = ready(tree.grassroots, "Lê Văn Cường")
    draft = make_nomination(tree.grassroots, person=make_person(tree.grassroots), holder=tree.district)
    assert list(services.agenda_candidates(council)) == [mine]
    for wrong in (elsewhere, draft):
        with pytest.raises(DomainError, match="is not ready for this council"):
            services.add_agenda_items(meeting, [mine, wrong], actor=seats[0].user)
    # All or nothing: the good one was not added either.
    assert not meeting.items.exists()
    [item] = services.add_agenda_items(meeting, [mine], actor=seats[0].user)
    mine.refresh_from_db()
    assert (item.nomination, mine.status) == (mine, "in_council")
    services.remove_agenda_item(item, actor=personas.province_staff)
    mine.refresh_from_db()
    assert (mine.status, meeting.items.count()) == ("ready", 0)


def test_only_the_secretary_or_the_units_staff_prepare_a_meeting(tree, personas):
    council, seats = make_council(tree.grassroots, members=3)
    meeting = make_meeting(council)
    nomination = ready(tree.grassroots, "Phan Văn Đức")
    with pytest.raises(DomainError, match="Only the council's secretary or the unit's awards staff"):
        services.add_agenda_items(meeting, [nomination], actor=seats[1].user)
    services.add_agenda_items(meeting, [nomination], actor=personas.grassroots_chair)
    assert meeting.items.count() == 1


def test_the_agenda_is_frozen_once_the_meeting_opens(tree, personas):
    council, seats, meeting = seated(tree.grassroots, 3)
    services.open_meeting(meeting, actor=seats[0].user, present=seats)
    with pytest.raises(DomainError, match="only before the meeting opens"):
        services.add_agenda_items(meeting, [ready(tree.grassroots, "Muộn")], actor=seats[0].user)
    with pytest.raises(DomainError, match="only before the meeting opens"):
        services.remove_agenda_item(meeting.items.get(), actor=seats[0].user)
    assert meeting.items.get().nomination.status == "in_council"


# --- quorum --------------------------------------------------------------------------------------------


def test_a_meeting_of_9_members_does_not_open_with_5_present(tree):
    council, seats, meeting = seated(tree.grassroots, 9)
    assert council.quorum() == 6
    with pytest.raises(DomainError) as error:
        services.open_meeting(meeting, actor=seats[0].user, present=seats[:5])
    assert error.value.message == (
        "The meeting cannot open: 5 of 9 members are present, and at least 6 (two thirds of all members) must be."
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.opened_at, meeting.present.count()) == ("planned", None, 0)
    services.open_meeting(meeting, actor=seats[0].user, present=seats[:6])
    meeting.refresh_from_db()
    assert (meeting.status, meeting.present.count()) == ("open", 6)
    assert meeting.opened_at is not None


def test_only_the_secretary_opens_the_meeting(tree, personas):
    council, seats, meeting = seated(tree.grassroots, 3)
    for intruder in (seats[1].user, personas.grassroots_chair):
        with pytest.raises(DomainError, match="Only the council's secretary runs its meetings"):
            services.open_meeting(meeting, actor=intruder, present=seats)
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_members_of_another_council_are_not_counted_present(tree):
    council, seats, meeting = seated(tree.grassroots, 3)
    _other, strangers = make_council(tree.other_grassroots, members=3)
    with pytest.raises(DomainError, match="Only members of this council"):
        services.open_meeting(meeting, actor=seats[0].user, present=[seats[0], *strangers[:2]])


# --- thresholds ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "yes", "needed", "result", "status"),
    [
        ("cstdcs", 8, 8, "passed", "passed"),  # 80 % of 10 members: exactly 8 passes
        ("cstdcs", 7, 8, "pending", "in_council"),  # one vote fewer waits for round 2
        ("cstd-tinh", 9, 9, "passed", "passed"),  # 90 % of 10
        ("cstd-tinh", 8, 9, "pending", "in_council"),
    ],
)
def test_a_threshold_is_met_by_exactly_the_votes_needed(tree, entry, yes, needed, result, status):
    council, seats, meeting = seated(tree.grassroots, 10, entries=(entry,))
    start(meeting, seats)
    [item] = items(meeting)
    vote(meeting, seats, {item: yes})
    services.close_ballot_round(meeting, actor=seats[0].user)
    item.refresh_from_db()
    assert (item.yes_round1, item.no_round1, item.members_total, item.votes_needed) == (yes, 10 - yes, 10, needed)
    assert (item.result, item.nomination.status) == (result, status)


def test_thresholds_count_every_member_not_only_those_present(tree):
    council, seats, meeting = seated(tree.grassroots, 9)
    start(meeting, seats, present=seats[:7])
    [item] = items(meeting)
    # All 7 present agree: 100 % of those present, but 7 of 9 is short of 80 % of the council (8).
    vote(meeting, seats[:7], {item: 7})
    services.close_ballot_round(meeting, actor=seats[0].user)
    item.refresh_from_db()
    assert (item.yes_round1, item.votes_needed, item.members_total, item.result) == (7, 8, 9, "pending")


def test_a_second_round_turns_a_failed_nominee_into_a_passed_one(tree):
    council, seats, meeting = seated(tree.grassroots, 10, entries=("cstdcs", "cstdcs"), names=["An", "Bình"])
    start(meeting, seats)
    first, second = items(meeting)
    vote(meeting, seats, {first: 10, second: 7})
    services.close_ballot_round(meeting, actor=seats[0].user)
    services.open_ballot_round(meeting, actor=seats[0].user)
    meeting.refresh_from_db()
    assert (meeting.ballot_round, meeting.ballot_open) == (2, True)
    # Round 2 holds only the nominee left undecided: a ballot naming the passed one is refused.
    with pytest.raises(DomainError, match="every nominee on the ballot"):
        services.cast_ballot(meeting, actor=seats[0].user, votes={first.pk: True, second.pk: True})
    vote(meeting, seats, {second: 8})
    services.close_ballot_round(meeting, actor=seats[0].user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.result, first.yes_round2) == ("passed", None)
    assert (second.yes_round1, second.yes_round2, second.no_round2, second.result) == (7, 8, 2, "passed")
    assert Nomination.objects.get(pk=second.nomination_id).status == "passed"


def test_a_nominee_failing_the_second_round_has_not_passed(tree):
    council, seats, meeting = seated(tree.grassroots, 10)
    start(meeting, seats)
    [item] = items(meeting)
    vote(meeting, seats, {item: 6})
    services.close_ballot_round(meeting, actor=seats[0].user)
    services.open_ballot_round(meeting, actor=seats[0].user)
    vote(meeting, seats, {item: 7})
    services.close_ballot_round(meeting, actor=seats[0].user)
    item.refresh_from_db()
    assert (item.result, item.nomination.status) == ("not_passed", "not_passed")


def test_there_is_no_third_round(tree):
    council, seats, meeting = seated(tree.grassroots, 3, entries=("cstdcs", "cstdcs"))
    start(meeting, seats)
    first, second = items(meeting)
    vote(meeting, seats, {first: 1, second: 1})
    services.close_ballot_round(meeting, actor=seats[0].user)
    services.open_ballot_round(meeting, actor=seats[0].user)
    vote(meeting, seats, {first: 3, second: 0})
    with pytest.raises(DomainError, match="Ballot round 2 is still open"):
        services.open_ballot_round(meeting, actor=seats[0].user)
    services.close_ballot_round(meeting, actor=seats[0].user)
    with pytest.raises(DomainError) as error:
        services.open_ballot_round(meeting, actor=seats[0].user)
    assert error.value.message == "A meeting holds at most 2 ballot rounds; the competent head decides on the rest."
    meeting.refresh_from_db()
    assert (meeting.ballot_round, meeting.ballot_open) == (2, False)


def test_a_second_round_needs_a_nominee_left_undecided(tree):
    council, seats, meeting = seated(tree.grassroots, 3)
    start(meeting, seats)
    vote(meeting, seats, {items(meeting)[0]: 3})
    services.close_ballot_round(meeting, actor=seats[0].user)
    with pytest.raises(DomainError, match="nothing left to vote on"):
        services.open_ballot_round(meeting, actor=seats[0].user)


# --- who may vote, and when -------------------------------------------------------------------------


def test_a_vote_outside_a_meeting_is_refused_and_saves_nothing(tree, personas):
    council, seats, meeting = seated(tree.grassroots, 3)
    [item] = items(meeting)
    secretary = seats[0].user
    refusals = []

    def attempt(user):
        with pytest.raises(DomainError) as error:
            services.cast_ballot(meeting, actor=user, votes={item.pk: True})
        refusals.append(error.value.message)

    attempt(seats[2].user)  # planned: not in session
    services.open_meeting(meeting, actor=secretary, present=seats[:2])
    attempt(seats[1].user)  # in session, but no round open
    services.open_ballot_round(meeting, actor=secretary)
    attempt(seats[2].user)  # not present
    attempt(personas.grassroots_chair)  # not a member, though staff of the unit
    vote(meeting, seats[:2], {item: 2})
    services.close_ballot_round(meeting, actor=secretary)
    services.close_meeting(meeting, actor=secretary)
    attempt(seats[0].user)  # closed
    assert refusals == [
        "Votes are cast only while the council's meeting is in session.",
        "No ballot round is open.",
        "You were not recorded as present at this meeting, so you cannot vote.",
        "You are not a member of this council.",
        "Votes are cast only while the council's meeting is in session.",
    ]
    assert Ballot.objects.count() == 2


def test_a_member_votes_once_a_round(tree):
    council, seats, meeting = seated(tree.grassroots, 3)
    start(meeting, seats)
    [item] = items(meeting)
    services.cast_ballot(meeting, actor=seats[1].user, votes={item.pk: True})
    with pytest.raises(DomainError, match="You have already voted in round 1"):
        services.cast_ballot(meeting, actor=seats[1].user, votes={item.pk: False})
    assert list(Ballot.objects.values_list("member", "approve")) == [(seats[1].pk, True)]


def test_a_ballot_marks_every_nominee(tree):
    council, seats, meeting = seated(tree.grassroots, 3, entries=("cstdcs", "ldtt"))
    start(meeting, seats)
    first, _second = items(meeting)
    with pytest.raises(DomainError, match="every nominee on the ballot"):
        services.cast_ballot(meeting, actor=seats[1].user, votes={first.pk: True})
    assert not Ballot.objects.exists()


# --- closing -----------------------------------------------------------------------------------------------


def test_closing_the_meeting_decides_the_rest_and_writes_each_timeline(tree):
    council, seats, meeting = seated(tree.grassroots, 5, entries=("cstdcs", "cstdcs"), names=["An", "Bình"])
    secretary = seats[0].user
    start(meeting, seats)
    first, second = items(meeting)
    vote(meeting, seats, {first: 4, second: 3})
    with pytest.raises(DomainError, match="Count ballot round 1 first"):
        services.close_meeting(meeting, actor=secretary)
    services.close_ballot_round(meeting, actor=secretary)
    services.close_meeting(meeting, actor=secretary)
    meeting.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert meeting.status == "closed" and meeting.closed_at is not None
    assert (first.result, first.nomination.status) == ("passed", "passed")
    assert (second.result, second.nomination.status) == ("not_passed", "not_passed")
    events = NominationEvent.objects.filter(action="voted").order_by("nomination_id")
    assert [(event.nomination_id, event.unit, event.actor, event.note) for event in events] == [
        (
            first.nomination_id,
            tree.grassroots,
            secretary,
            "round 1: 4 agree, 1 disagree; 4 of 5 members needed: Passed.",
        ),
        (
            second.nomination_id,
            tree.grassroots,
            secretary,
            "round 1: 3 agree, 2 disagree; 4 of 5 members needed: Not passed.",
        ),
    ]


def test_a_meeting_closes_only_after_a_ballot(tree):
    council, seats, meeting = seated(tree.grassroots, 3)
    services.open_meeting(meeting, actor=seats[0].user, present=seats)
    with pytest.raises(DomainError, match="Hold at least one ballot round"):
        services.close_meeting(meeting, actor=seats[0].user)
    assert items(meeting)[0].nomination.status == "in_council"


# --- the pages -----------------------------------------------------------------------------------------


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_a_meeting_run_through_its_pages(client_en, tree, personas):
    council, seats = make_council(tree.grassroots, members=3)
    secretary = seats[0].user
    nominations = [ready(tree.grassroots, "Nguyễn Thị Hoa"), ready(tree.grassroots, "Vũ Văn Khánh", "ldtt")]
    client_en.force_login(secretary)
    response = client_en.post(
        reverse("awards:meeting_create", args=[council.pk]), {"held_on": "2026-12-15", "place": "Hội trường"}
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("awards:meeting_agenda", args=[meeting.pk])
    page = client_en.get(response["Location"])
    assert [entry.code for entry, _pairs in page.context["groups"]] == ["ldtt", "cstdcs"]
    client_en.post(response["Location"], {"nominations": [n.pk for n in nominations]})
    assert meeting.items.count() == 2

    response = client_en.post(reverse("awards:meeting_open", args=[meeting.pk]), {"present": [seats[0].pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["present"] == [
        "The meeting cannot open: 1 of 3 members are present, and at least 2 (two thirds of all members) must be."
    ]
    response = client_en.post(
        reverse("awards:meeting_open", args=[meeting.pk]), {"present": [seat.pk for seat in seats]}
    )
    assert response["Location"] == meeting.get_absolute_url()
    response = client_en.post(reverse("awards:meeting_round_open", args=[meeting.pk]), follow=True)
    assert messages_of(response) == [
        "The meeting is open. Open ballot round 1 when the council is ready.",
        "Ballot round 1 is open: the members present can vote now.",
    ]
    for index, seat in enumerate(seats):
        client_en.force_login(seat.user)
        data = {f"item_{item.pk}": "yes" if index < 3 else "no" for item in meeting.items.all()}
        response = client_en.post(reverse("awards:meeting_ballot", args=[meeting.pk]), data, follow=True)
        assert messages_of(response) == ["Your ballot for round 1 was recorded."]
    client_en.force_login(secretary)
    client_en.post(reverse("awards:meeting_round_close", args=[meeting.pk]))
    response = client_en.post(reverse("awards:meeting_close", args=[meeting.pk]), follow=True)
    assert messages_of(response) == [
        "Ballot round 1 was counted.",
        "The meeting is closed; the minutes can be printed.",
    ]
    assert sorted(Nomination.objects.values_list("status", flat=True)) == ["passed", "passed"]


def test_voting_twice_through_the_page_says_why_and_keeps_the_first_ballot(client_en, tree):
    council, seats, meeting = seated(tree.grassroots, 3)
    start(meeting, seats)
    [item] = items(meeting)
    client_en.force_login(seats[2].user)
    url = reverse("awards:meeting_ballot", args=[meeting.pk])
    client_en.post(url, {f"item_{item.pk}": "yes"}, follow=True)
    response = client_en.post(url, {f"item_{item.pk}": "no"}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["You have already voted in round 1."]
    assert list(Ballot.objects.values_list("approve", flat=True)) == [True]


def test_a_member_sees_only_their_own_votes(client_en, tree):
    council, seats, meeting = seated(tree.grassroots, 3)
    start(meeting, seats)
    [item] = items(meeting)
    vote(meeting, seats, {item: 1})  # the secretary agrees, the two others do not
    client_en.force_login(seats[2].user)
    response = client_en.get(reverse("awards:meeting_ballot", args=[meeting.pk]))
    assert [(ballot.member, ballot.approve) for ballot in response.context["own_ballots"]] == [(seats[2], False)]
    assert response.context["refusal"] == "You have voted in round 1."
    # The meeting page shows no count while the round is open, and no progress to a member.
    page = client_en.get(meeting.get_absolute_url())
    assert page.context["progress"] is None
    assert AgendaItem.objects.get().yes_round1 is None


def test_the_ballot_page_does_not_exist_for_those_outside_the_council(client_en, tree, personas):
    council, seats, meeting = seated(tree.grassroots, 3)
    start(meeting, seats)
    url = reverse("awards:meeting_ballot", args=[meeting.pk])
    for outsider in (personas.grassroots_chair, personas.province_staff, personas.other_grassroots_chair):
        client_en.force_login(outsider)
        assert client_en.get(url).status_code == 404
        assert client_en.post(url, {f"item_{items(meeting)[0].pk}": "yes"}).status_code == 404
    assert not Ballot.objects.exists()


def test_every_ballot_is_shown_to_the_secretary_only(client_en, tree, personas):
    council, seats, meeting = seated(tree.grassroots, 3)
    start(meeting, seats)
    vote(meeting, seats, {items(meeting)[0]: 2})
    url = reverse("awards:meeting_ballots", args=[meeting.pk])
    client_en.force_login(seats[0].user)
    response = client_en.get(url)
    assert [(b.member, b.approve) for b in response.context["ballots"]] == [
        (seats[0], True),
        (seats[1], True),
        (seats[2], False),
    ]
    for user, status in [
        (seats[1].user, 403),
        (personas.grassroots_chair, 403),
        (personas.other_grassroots_chair, 404),
    ]:
        client_en.force_login(user)
        assert client_en.get(url).status_code == status


def test_the_council_list_leads_members_to_their_open_ballots(client_en, tree, personas):
    council, seats, meeting = seated(tree.grassroots, 3)
    start(meeting, seats, present=seats[:2])
    ballot_url = reverse("awards:meeting_ballot", args=[meeting.pk])
    client_en.force_login(seats[1].user)
    response = client_en.get(reverse("awards:council_list"))
    assert [seat.council for seat in response.context["seats"]] == [council]
    assert ballot_url in response.content.decode()
    # An absent member sees the meeting nowhere to vote in; a non-member has no council work.
    client_en.force_login(seats[2].user)
    assert ballot_url not in client_en.get(reverse("awards:council_list")).content.decode()
    client_en.force_login(personas.grassroots_chair)
    response = client_en.get(reverse("awards:council_list"))
    assert (list(response.context["seats"]), list(response.context["councils"])) == ([], [council])


def test_a_council_is_set_up_and_staffed_through_its_pages(client_en, tree, personas):
    client_en.force_login(personas.grassroots_chair)
    response = client_en.post(reverse("awards:council_create"), {"unit": tree.grassroots.code, "year": "2026"})
    council = tree.grassroots.award_councils.get()
    assert response["Location"] == council.get_absolute_url()
    url = reverse("awards:council_member_add", args=[council.pk])
    options = client_en.get(url).context["form"].fields["user"].queryset
    assert personas.other_grassroots_chair not in options and personas.province_staff in options
    client_en.post(url, {"user": personas.g1_officer.pk, "role": "secretary", "position": "Ủy viên"})
    response = client_en.post(url, {"user": personas.district_officer.pk, "role": "secretary"})
    assert response.context["form"].errors["role"] == [
        "The council already has a secretary: Vũ Văn Nhập. Remove them first or choose another role."
    ]
    assert [seat.user for seat in council.members.all()] == [personas.g1_officer]
    # Outside the unit's subtree the council cannot be created there.
    response = client_en.post(reverse("awards:council_create"), {"unit": tree.district.code, "year": "2026"})
    assert "unit" in response.context["form"].errors


# --- minutes -------------------------------------------------------------------------------------------


def test_the_minutes_list_every_nominee_with_the_votes(client_en, tree, personas):
    council, seats, meeting = seated(
        tree.grassroots,
        5,
        entries=("cstdcs", "ldtt", "ttldtt"),
        names=["Nguyễn Thị Hoa", "Trần Văn Bình", "Tổ May 1"],
    )
    collective = meeting.items.get(nomination__title__code="ttldtt").nomination
    Nomination.objects.filter(pk=collective.pk).update(person=None, organization=tree.grassroots)
    start(meeting, seats, present=seats[:4])
    cstdcs, ldtt, team = items(meeting)
    vote(meeting, seats[:4], {cstdcs: 3, ldtt: 2, team: 4})
    services.close_ballot_round(meeting, actor=seats[0].user)
    services.open_ballot_round(meeting, actor=seats[0].user)
    vote(meeting, seats[:4], {cstdcs: 4, ldtt: 2})
    services.close_ballot_round(meeting, actor=seats[0].user)
    services.close_meeting(meeting, actor=seats[0].user)

    client_en.force_login(personas.district_officer)
    response = client_en.get(reverse("awards:meeting_minutes", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "BIÊN BẢN",
        "Họp Hội đồng Thi đua – Khen thưởng xét khen thưởng năm 2026",
        "Nguyễn Thị Hoa",
        "Trần Văn Bình",
        tree.grassroots.name,
        "Chiến sĩ thi đua cơ sở",
        "Lao động tiên tiến",
        "Tập thể lao động tiên tiến",
        "Tổng số thành viên Hội đồng: 5 người. Có mặt: 4 người. Vắng mặt: 1 người.",
        "Thành viên 5",
        "đủ 2/3 tổng số thành viên Hội đồng",
        "Chủ trì cuộc họp: Thành viên 2, Chủ tịch Hội đồng. Thư ký: Thành viên 1.",
        "Đạt",
        "Không đạt",
        "THƯ KÝ",
        "CHỦ TỊCH HỘI ĐỒNG",
    ]:
        assert expected in text, expected
    assert "Nơi nhận" not in text
    assert all(embedded == "yes" for _name, embedded in pdf_fonts(response.content))


def test_the_minutes_come_once_the_meeting_is_closed(client_en, tree, personas):
    council, seats, meeting = seated(tree.grassroots, 3)
    client_en.force_login(personas.grassroots_chair)
    response = client_en.get(reverse("awards:meeting_minutes", args=[meeting.pk]), follow=True)
    assert messages_of(response) == ["The minutes are drawn up once the meeting is closed."]
    client_en.force_login(personas.other_grassroots_chair)
    assert client_en.get(reverse("awards:meeting_minutes", args=[meeting.pk])).status_code == 404
