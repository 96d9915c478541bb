"""Public disclosure of the list a council passed, objections during it, and when an award
decision may follow (``ready_for_decision``)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from awards.models import Disclosure, Nomination, NominationEvent, Objection
from awards.services import councils
from awards.services import disclosure as services
from core.exceptions import DomainError
from tests.awards.factories import make_council, make_disclosure, make_meeting, make_nomination, make_person

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def proposed_by_g1(tree, name, entry="cstdcs"):
    """A nomination G1 proposed, now before the district's council."""
    return make_nomination(
        tree.grassroots, person=make_person(tree.grassroots, name), entry=entry, status="ready", holder=tree.district
    )


@pytest.fixture
def closed_meeting(tree):
    """The district's council (3 members) passed Hoa and did not pass Bình."""
    council, seats = make_council(tree.district, members=3)
    hoa, binh = proposed_by_g1(tree, "Nguyễn Thị Hoa"), proposed_by_g1(tree, "Trần Văn Bình")
    meeting = make_meeting(council, nominations=[hoa, binh])
    secretary = seats[0].user
    councils.open_meeting(meeting, actor=secretary, present=seats)
    councils.open_ballot_round(meeting, actor=secretary)
    first, second = meeting.items.order_by("pk")
    for index, seat in enumerate(seats):
        councils.cast_ballot(meeting, actor=seat.user, votes={first.pk: True, second.pk: index == 0})
    councils.close_ballot_round(meeting, actor=secretary)
    return councils.close_meeting(meeting, actor=secretary)


def listing(tree, *, starts_on=TODAY - DAY, ends_on=TODAY + 5 * DAY):
    """A running (by default) disclosure of the district listing one nomination G1 proposed."""
    council, _seats = make_council(tree.district, members=3, year=2026 + Disclosure.objects.count())
    meeting = make_meeting(council, nominations=[proposed_by_g1(tree, "Nguyễn Thị Hoa")], status="open")
    return make_disclosure(meeting, starts_on=starts_on, ends_on=ends_on)


# --- publishing -------------------------------------------------------------------------------------


def test_the_district_publishes_what_its_council_passed(tree, personas, closed_meeting):
    disclosure = services.publish_disclosure(
        closed_meeting,
        actor=personas.province_staff,
        data={"starts_on": TODAY, "ends_on": TODAY + 7 * DAY, "note": "Góp ý gửi Ban Tổ chức."},
    )
    assert [n.person.full_name for n in disclosure.nominations.all()] == ["Nguyễn Thị Hoa"]
    assert (disclosure.organization, disclosure.meeting, disclosure.created_by) == (
        tree.district,
        closed_meeting,
        personas.province_staff,
    )
    # The proposing grassroots unit sees the list; its sibling does not.
    assert list(Disclosure.objects.visible_to(personas.grassroots_chair)) == [disclosure]
    assert list(Disclosure.objects.visible_to(personas.district_officer)) == [disclosure]
    assert not Disclosure.objects.visible_to(personas.other_grassroots_chair).exists()


def test_a_disclosure_may_start_in_the_past_but_not_end_before_it_starts(personas, closed_meeting):
    with pytest.raises(DomainError, match="cannot end before it starts") as error:
        services.publish_disclosure(
            closed_meeting, actor=personas.province_staff, data={"starts_on": TODAY, "ends_on": TODAY - DAY}
        )
    assert error.value.field == "ends_on"
    services.publish_disclosure(
        closed_meeting, actor=personas.province_staff, data={"starts_on": TODAY - 3 * DAY, "ends_on": TODAY - 3 * DAY}
    )
    with pytest.raises(DomainError, match="already been published"):
        services.publish_disclosure(
            closed_meeting, actor=personas.province_staff, data={"starts_on": TODAY, "ends_on": TODAY}
        )
    assert Disclosure.objects.count() == 1


def test_publishing_waits_for_the_meeting_to_close_and_takes_the_awards_right(tree, personas):
    council, seats = make_council(tree.district, members=3)
    meeting = make_meeting(council, nominations=[proposed_by_g1(tree, "Hoa")], status="open")
    data = {"starts_on": TODAY, "ends_on": TODAY + DAY}
    with pytest.raises(DomainError, match="once the council's meeting is closed"):
        services.publish_disclosure(meeting, actor=personas.province_staff, data=data)
    meeting.status = "closed"
    meeting.save()
    with pytest.raises(DomainError, match="cannot publish the awards"):
        services.publish_disclosure(meeting, actor=personas.district_officer, data=data)
    assert not Disclosure.objects.exists()


# --- objections ---------------------------------------------------------------------------------------


def test_the_proposing_unit_objects_and_staff_uphold_it(tree, personas):
    disclosure = listing(tree)
    nomination = disclosure.nominations.get()
    objection = services.raise_objection(
        disclosure, nomination, actor=personas.grassroots_chair, text="  Đang bị xem xét kỷ luật.  "
    )
    assert (objection.text, objection.raised_by, objection.is_resolved) == (
        "Đang bị xem xét kỷ luật.",
        personas.grassroots_chair,
        False,
    )
    services.resolve_objection(objection, actor=personas.province_staff, resolution="Đã xác minh: đúng.", upheld=True)
    objection.refresh_from_db()
    nomination.refresh_from_db()
    assert (objection.upheld, objection.resolved_by, nomination.status) == (True, personas.province_staff, "rejected")
    notes = list(
        NominationEvent.objects.filter(nomination=nomination, action="objection").values_list("note", flat=True)
    )
    assert notes == [
        "An objection was raised during the public disclosure.",
        "Objection upheld: Đã xác minh: đúng.",
    ]
    assert list(services.decidable_nominations(disclosure)) == []
    with pytest.raises(DomainError, match="already been resolved"):
        services.resolve_objection(objection, actor=personas.province_staff, resolution="Lại", upheld=False)


def test_an_objection_not_upheld_leaves_the_nomination_passed(tree, personas):
    disclosure = listing(tree)
    nomination = disclosure.nominations.get()
    objection = services.raise_objection(disclosure, nomination, actor=personas.district_officer, text="Nghi ngờ.")
    services.resolve_objection(objection, actor=personas.province_staff, resolution="Không có căn cứ.", upheld=False)
    nomination.refresh_from_db()
    assert (nomination.status, Objection.objects.get().upheld) == ("passed", False)
    assert list(services.decidable_nominations(disclosure)) == [nomination]


def test_objections_are_taken_only_while_the_disclosure_runs(tree, personas):
    ended = listing(tree, starts_on=TODAY - 10 * DAY, ends_on=TODAY - DAY)
    nomination = ended.nominations.get()
    with pytest.raises(DomainError) as error:
        services.raise_objection(ended, nomination, actor=personas.grassroots_chair, text="Muộn.")
    assert error.value.message == (f"The disclosure ended on {TODAY - DAY:%d/%m/%Y}; objections are no longer taken.")
    # The last day still counts.
    services.raise_objection(ended, nomination, actor=personas.grassroots_chair, text="Kịp.", day=TODAY - DAY)
    upcoming = listing(tree, starts_on=TODAY + DAY, ends_on=TODAY + 5 * DAY)
    with pytest.raises(DomainError, match="objections are taken from then on"):
        services.raise_objection(upcoming, upcoming.nominations.get(), actor=personas.grassroots_chair, text="Sớm.")
    assert list(Objection.objects.values_list("text", flat=True)) == ["Kịp."]


def test_an_objection_needs_words_a_listed_nomination_and_sight_of_the_list(tree, personas):
    disclosure = listing(tree)
    nomination = disclosure.nominations.get()
    with pytest.raises(DomainError, match="Say what the objection is") as error:
        services.raise_objection(disclosure, nomination, actor=personas.grassroots_chair, text="   ")
    assert error.value.field == "text"
    stranger = make_nomination(tree.grassroots, person=make_person(tree.grassroots), status="passed")
    with pytest.raises(DomainError, match="not on the published list"):
        services.raise_objection(disclosure, stranger, actor=personas.grassroots_chair, text="?")
    with pytest.raises(DomainError, match="cannot see this disclosure"):
        services.raise_objection(disclosure, nomination, actor=personas.other_grassroots_chair, text="?")
    assert not Objection.objects.exists()


def test_only_the_publishing_units_staff_resolve(tree, personas):
    disclosure = listing(tree)
    objection = services.raise_objection(
        disclosure, disclosure.nominations.get(), actor=personas.grassroots_chair, text="Sai."
    )
    for user in (personas.grassroots_chair, personas.leader_viewer):
        with pytest.raises(DomainError, match="cannot resolve objections"):
            services.resolve_objection(objection, actor=user, resolution="Xong.", upheld=True)
    with pytest.raises(DomainError, match="Say how the objection was resolved"):
        services.resolve_objection(objection, actor=personas.province_staff, resolution=" ", upheld=True)
    objection.refresh_from_db()
    assert not objection.is_resolved


# --- ready for a decision ---------------------------------------------------------------------------


def test_a_decision_waits_for_the_period_to_end_and_the_objections_to_be_resolved(tree, personas):
    disclosure = listing(tree, starts_on=TODAY - DAY, ends_on=TODAY + 2 * DAY)
    nomination = disclosure.nominations.get()
    objection = services.raise_objection(disclosure, nomination, actor=personas.grassroots_chair, text="Sai.")
    services.raise_objection(disclosure, nomination, actor=personas.district_officer, text="Cũng sai.")
    end = f"{TODAY + 2 * DAY:%d/%m/%Y}"
    assert services.ready_for_decision(disclosure) == [
        f"The disclosure runs until {end}; objections may still come.",
        "2 objections are not resolved yet.",
    ]
    after = TODAY + 3 * DAY
    assert services.ready_for_decision(disclosure, day=after) == ["2 objections are not resolved yet."]
    services.resolve_objection(objection, actor=personas.province_staff, resolution="Không đúng.", upheld=False)
    assert services.ready_for_decision(disclosure, day=after) == ["1 objection is not resolved yet."]
    for pending in Objection.objects.filter(resolved_at__isnull=True):
        services.resolve_objection(pending, actor=personas.province_staff, resolution="Không đúng.", upheld=False)
    assert services.ready_for_decision(disclosure, day=after) == []
    assert services.ready_for_decision(disclosure, day=TODAY + 2 * DAY) == [
        f"The disclosure runs until {end}; objections may still come."
    ]


# --- the pages ---------------------------------------------------------------------------------------


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_publishing_through_the_page(client_en, tree, personas, closed_meeting):
    client_en.force_login(personas.province_staff)
    url = reverse("awards:disclosure_create", args=[closed_meeting.pk])
    page = client_en.get(url)
    assert [n.person.full_name for n in page.context["nominations"]] == ["Nguyễn Thị Hoa"]
    response = client_en.post(url, {"starts_on": TODAY.isoformat(), "ends_on": (TODAY - DAY).isoformat()})
    assert response.context["form"].errors["ends_on"] == ["The period cannot end before it starts."]
    response = client_en.post(url, {"starts_on": TODAY.isoformat(), "ends_on": (TODAY + 7 * DAY).isoformat()})
    disclosure = Disclosure.objects.get()
    assert response["Location"] == disclosure.get_absolute_url()


def test_the_proposing_unit_reads_the_list_and_objects_through_the_pages(client_en, tree, personas):
    disclosure = listing(tree)
    nomination = disclosure.nominations.get()
    client_en.force_login(personas.grassroots_chair)
    assert list(client_en.get(reverse("awards:disclosure_list")).context["disclosures"]) == [disclosure]
    page = client_en.get(disclosure.get_absolute_url())
    assert (list(page.context["nominations"]), page.context["can_resolve"]) == ([nomination], False)
    url = reverse("awards:objection_create", args=[disclosure.pk, nomination.pk])
    response = client_en.post(url, {"text": ""})
    assert response.context["form"].errors["text"] == ["This field is required."]
    response = client_en.post(url, {"text": "Chưa hoàn thành nhiệm vụ."}, follow=True)
    assert messages_of(response) == ["Your objection was recorded; the unit will answer it."]
    objection = Objection.objects.get()
    # G1's chair sees the list but does not resolve for the district.
    assert client_en.get(reverse("awards:objection_resolve", args=[objection.pk])).status_code == 403
    client_en.force_login(personas.other_grassroots_chair)
    assert client_en.get(disclosure.get_absolute_url()).status_code == 404
    assert client_en.post(url, {"text": "Tôi cũng phản đối."}).status_code == 404
    assert Objection.objects.count() == 1


def test_staff_resolve_an_objection_through_the_page(client_en, tree, personas):
    disclosure = listing(tree)
    nomination = disclosure.nominations.get()
    objection = services.raise_objection(disclosure, nomination, actor=personas.grassroots_chair, text="Sai.")
    client_en.force_login(personas.province_staff)
    url = reverse("awards:objection_resolve", args=[objection.pk])
    response = client_en.post(url, {"resolution": "Đúng là sai.", "upheld": "yes"}, follow=True)
    assert response.redirect_chain == [(disclosure.get_absolute_url(), 302)]
    assert messages_of(response) == ["The objection was resolved."]
    nomination.refresh_from_db()
    assert nomination.status == "rejected"
    response = client_en.get(url, follow=True)
    assert messages_of(response) == ["This objection has already been resolved."]


def test_a_late_objection_through_the_page_is_refused(client_en, tree, personas):
    disclosure = listing(tree, starts_on=TODAY - 10 * DAY, ends_on=TODAY - DAY)
    url = reverse("awards:objection_create", args=[disclosure.pk, disclosure.nominations.get().pk])
    client_en.force_login(personas.grassroots_chair)
    response = client_en.get(url, follow=True)
    assert messages_of(response) == ["Objections are taken only while the disclosure runs."]
    response = client_en.post(url, {"text": "Muộn."})
    assert response.context["form"].errors["__all__"] == [
        f"The disclosure ended on {TODAY - DAY:%d/%m/%Y}; objections are no longer taken."
    ]
    assert not Objection.objects.exists()
    assert Nomination.objects.get().status == "passed"
