"""Cluster covenants (giao ước thi đua), scoring, the ranking and the acclaim (suy tôn).

The cluster is organized by the province and groups four grassroots unions in 2026:
A = G1 (the leader), B = the far unit (other district), C = a hospital union under the
district, D = a textile union under the other district; each has its chair (staff role).
The sibling G1' (other_grassroots) is not a member.

Expected messages are looked up through gettext, so they hold before and after the
Vietnamese catalogue gets these strings.
"""

import html
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from awards.models import (
    Acclaim,
    AcclaimTally,
    AcclaimVoter,
    Covenant,
    Nomination,
    NominationEvent,
    Score,
    Scorecard,
)
from awards.services import clusters as services
from core.exceptions import DomainError
from tests.awards.factories import make_acclaim, make_card, make_covenant
from tests.factories import make_cluster, make_membership, make_organization, make_user
from tests.xlsx import read_rows


def tr(message, **params):
    """``message`` as the Vietnamese pages show it, with its parameters."""
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def chair(unit, username):
    user = make_user(username)
    make_membership(user, unit, "staff", position="Chủ tịch")
    return user


@pytest.fixture
def world(tree, personas):
    hospital = make_organization("Công đoàn cơ sở Bệnh viện Xuân Hòa", parent=tree.district, code="CDCS-BVXH")
    textile = make_organization("Công đoàn cơ sở Công ty Dệt Đông Sơn", parent=tree.other_district, code="CDCS-DDS")
    cluster = make_cluster(
        tree.province,
        name="Cụm thi đua số 1",
        level=4,
        members=[tree.grassroots, tree.far_grassroots, hospital, textile],
    )
    return SimpleNamespace(
        cluster=cluster,
        a=tree.grassroots,
        b=tree.far_grassroots,
        c=hospital,
        d=textile,
        chairs={
            tree.grassroots.pk: personas.grassroots_chair,
            tree.far_grassroots.pk: chair(tree.far_grassroots, "dongson.chutich"),
            hospital.pk: chair(hospital, "benhvien.chutich"),
            textile.pk: chair(textile, "det.chutich"),
        },
        staff=personas.province_staff,
    )


def item_data(covenant, points):
    return {f"item_{item.pk}": str(value) for item, value in zip(covenant.items.all(), points, strict=True)}


def card_url(covenant, scorer, unit):
    return reverse("awards:scorecard_edit", kwargs={"pk": covenant.pk, "scorer_pk": scorer.pk, "unit_pk": unit.pk})


def table_data(covenant, rows, *, year=2026, name="Giao ước thi đua năm 2026", version=None):
    """POST data of the covenant form and its table; each row is (id or None, name, kind, max, order, delete)."""
    data = {
        "covenant-year": str(year),
        "covenant-name": name,
        "covenant-version": str(covenant.version if version is None else version),
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": str(sum(1 for row in rows if row[0])),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, item_name, kind, max_points, order, delete) in enumerate(rows):
        prefix = f"items-{index}-"
        data.update(
            {
                prefix + "id": str(pk or ""),
                prefix + "name": item_name,
                prefix + "kind": kind,
                prefix + "max_points": max_points,
                prefix + "ORDER": str(order),
            }
        )
        if delete:
            data[prefix + "DELETE"] = "on"
    return data


def table_of(covenant):
    return [(i.order, i.name, i.kind, i.max_points) for i in covenant.items.all()]


# Covenant lifecycle ------------------------------------------------------------------


def test_the_organizer_drafts_a_covenant_with_last_years_table(client, world):
    last_year = make_covenant(world.cluster, year=2025, status="closed")
    client.force_login(world.staff)
    url = reverse("awards:covenant_create", kwargs={"pk": world.cluster.pk})
    form = client.get(url).context["form"]
    assert form.initial["year"] == 2026
    assert form.initial["copy_from"] == last_year

    response = client.post(url, {"year": "2026", "name": "", "copy_from": str(last_year.pk)})

    covenant = Covenant.objects.get(year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:covenant_update", kwargs={"pk": covenant.pk})
    assert (covenant.name, covenant.status, covenant.signed_on) == (
        "Giao ước thi đua Cụm thi đua số 1 năm 2026",
        "draft",
        None,
    )
    assert table_of(covenant) == table_of(last_year)
    assert covenant.items.count() == 4
    assert covenant.history.get().history_user == world.staff


def test_a_second_covenant_for_the_same_year_is_refused(client, world):
    make_covenant(world.cluster, year=2026)
    client.force_login(world.staff)
    response = client.post(reverse("awards:covenant_create", kwargs={"pk": world.cluster.pk}), {"year": "2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        tr("The cluster already has a covenant for %(year)s.", year=2026)
    ]
    assert Covenant.objects.count() == 1


def test_the_draft_table_is_edited_reordered_and_trimmed(client, world):
    covenant = make_covenant(world.cluster)
    first, second, bonus, penalty = covenant.items.all()
    client.force_login(world.staff)
    rows = [
        (first.pk, first.name, "criterion", "50", 2, False),
        (second.pk, "Chăm lo đời sống đoàn viên", "criterion", "45,5", 1, False),
        (bonus.pk, bonus.name, "bonus", "5", 3, True),
        (penalty.pk, penalty.name, "penalty", "10", 3, False),
        (None, "Phát triển đoàn viên", "criterion", "5", 4, False),
    ]
    response = client.post(reverse("awards:covenant_update", kwargs={"pk": covenant.pk}), table_data(covenant, rows))

    assert response.status_code == 302, response.context["form"].errors or response.context["formset"].errors
    assert messages_of(client.get(response["Location"])) == [tr("The covenant was saved.")]
    covenant.refresh_from_db()
    assert (covenant.name, covenant.version) == ("Giao ước thi đua năm 2026", 2)
    assert table_of(covenant) == [
        (1, "Chăm lo đời sống đoàn viên", "criterion", Decimal("45.5")),
        (2, first.name, "criterion", Decimal("50")),
        (3, penalty.name, "penalty", Decimal("10")),
        (4, "Phát triển đoàn viên", "criterion", Decimal("5")),
    ]


def test_a_bad_maximum_reshows_the_table_and_saves_nothing(client, world):
    covenant = make_covenant(world.cluster)
    before = table_of(covenant)
    rows = [(item.pk, item.name, item.kind, str(item.max_points), item.order, False) for item in covenant.items.all()]
    rows[0] = (rows[0][0], rows[0][1], "criterion", "0", 1, False)
    client.force_login(world.staff)
    response = client.post(reverse("awards:covenant_update", kwargs={"pk": covenant.pk}), table_data(covenant, rows))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["max_points"] == [tr("Must be more than 0.")]
    assert table_of(covenant) == before
    assert Covenant.objects.get().version == 1


def test_a_stale_table_is_not_saved_over_someone_elses(client, world):
    covenant = make_covenant(world.cluster)
    rows = [(item.pk, item.name, item.kind, str(item.max_points), item.order, False) for item in covenant.items.all()]
    Covenant.objects.filter(pk=covenant.pk).update(version=2)
    client.force_login(world.staff)
    response = client.post(
        reverse("awards:covenant_update", kwargs={"pk": covenant.pk}), table_data(covenant, rows, version=1)
    )
    assert response.status_code == 200
    assert response.context["conflict"] is True
    assert Covenant.objects.get().name != "Giao ước thi đua năm 2026"


def test_signing_fixes_the_table_then_scoring_closes_and_reopens(client, world):
    covenant = make_covenant(world.cluster)
    client.force_login(world.staff)
    sign = reverse("awards:covenant_sign", kwargs={"pk": covenant.pk})
    response = client.post(sign, {"signed_on": "2026-02-20"}, follow=True)
    assert messages_of(response) == [tr("The covenant is signed: member units can now score.")]
    covenant.refresh_from_db()
    assert (covenant.status, covenant.signed_on.isoformat()) == ("signed", "2026-02-20")

    # The table is fixed: the edit page sends back, the service refuses, nothing changes.
    edit = reverse("awards:covenant_update", kwargs={"pk": covenant.pk})
    response = client.get(edit, follow=True)
    assert messages_of(response) == [tr("The covenant is signed; its table can no longer change.")]
    rows = [(i.pk, "Đổi tên", i.kind, "1", i.order, False) for i in covenant.items.all()]
    response = client.post(edit, table_data(covenant, rows))
    assert messages_of(response) == [tr("Only a draft covenant can be edited.")]
    assert not covenant.items.filter(name="Đổi tên").exists()
    response = client.post(reverse("awards:covenant_delete", kwargs={"pk": covenant.pk}), follow=True)
    assert messages_of(response) == [tr("Only a draft covenant can be removed.")]

    response = client.post(reverse("awards:covenant_close", kwargs={"pk": covenant.pk}), follow=True)
    assert messages_of(response) == [tr("Scoring is closed; the ranking is final.")]
    assert Covenant.objects.get().status == "closed"
    response = client.post(reverse("awards:covenant_reopen", kwargs={"pk": covenant.pk}), follow=True)
    assert messages_of(response) == [tr("Scoring is open again.")]
    assert Covenant.objects.get().status == "signed"
    reasons = list(covenant.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[1:] == [tr("Signed; scoring opened"), tr("Scoring closed"), tr("Scoring reopened")]


def test_signing_needs_a_criterion_and_two_members(world):
    empty = make_covenant(world.cluster, items=())
    with pytest.raises(DomainError) as error:
        services.sign_covenant(empty, actor=world.staff, signed_on="2026-02-20")
    assert error.value.message == tr("Add at least one criterion to the scoring table before signing.")
    lonely = make_covenant(make_cluster(world.cluster.organizer, level=4, members=[world.a]), year=2026)
    with pytest.raises(DomainError) as error:
        services.sign_covenant(lonely, actor=world.staff, signed_on="2026-02-20")
    assert error.value.message == tr(
        "The cluster needs at least two member units in %(year)s to score each other.", year=2026
    )
    assert set(Covenant.objects.values_list("status", flat=True)) == {"draft"}


def test_a_members_chair_cannot_draft_or_sign(world):
    covenant = make_covenant(world.cluster)
    leader_chair = world.chairs[world.a.pk]
    with pytest.raises(DomainError):
        services.create_covenant(world.cluster, actor=leader_chair, year=2027)
    with pytest.raises(DomainError):
        services.sign_covenant(covenant, actor=leader_chair, signed_on="2026-02-20")
    assert Covenant.objects.get().status == "draft"


def test_an_unsigned_draft_can_be_removed(client, world):
    covenant = make_covenant(world.cluster)
    client.force_login(world.staff)
    response = client.post(reverse("awards:covenant_delete", kwargs={"pk": covenant.pk}))
    assert response["Location"] == world.cluster.get_absolute_url()
    assert not Covenant.objects.exists()


def test_the_cluster_page_lists_its_covenants(client, world):
    covenant = make_covenant(world.cluster, status="signed")
    client.force_login(world.chairs[world.c.pk])
    page = text(client.get(world.cluster.get_absolute_url()))
    assert covenant.name in page
    assert covenant.get_absolute_url() in page
    assert reverse("awards:covenant_create", kwargs={"pk": world.cluster.pk}) not in page
    client.force_login(world.staff)
    assert reverse("awards:covenant_create", kwargs={"pk": world.cluster.pk}) in text(
        client.get(world.cluster.get_absolute_url())
    )


# Scoring -------------------------------------------------------------------------------


@pytest.fixture
def signed(world):
    return make_covenant(world.cluster, status="signed")


def test_penalty_points_are_entered_positive_and_subtracted(client, world, signed):
    client.force_login(world.chairs[world.a.pk])
    response = client.post(card_url(signed, world.a, world.a), item_data(signed, ["50", "30,5", "4", "6"]))
    assert response.status_code == 302
    assert messages_of(client.get(response["Location"])) == [
        tr(
            "The card of %(scorer)s for %(unit)s was saved: %(total)s points.",
            scorer=world.a.display_name,
            unit=world.a.display_name,
            total="78,5",
        )
    ]
    card = Scorecard.objects.get()
    assert (card.scorer, card.unit, card.total, card.submitted_by) == (
        world.a,
        world.a,
        Decimal("78.5"),
        world.chairs[world.a.pk],
    )
    assert [s.points for s in card.scores.order_by("item__order")] == [50, Decimal("30.5"), 4, 6]


def test_points_above_the_maximum_are_refused_and_nothing_is_saved(client, world, signed):
    client.force_login(world.chairs[world.a.pk])
    response = client.post(card_url(signed, world.a, world.a), item_data(signed, ["61", "30", "4", "11"]))
    assert response.status_code == 200
    form = response.context["form"]
    first, _second, _bonus, penalty = signed.items.all()
    assert form.errors == {
        f"item_{first.pk}": [tr("Between 0 and %(max)s points.", max="60")],
        f"item_{penalty.pk}": [tr("Between 0 and %(max)s points.", max="10")],
    }
    assert form[f"item_{first.pk}"].value() == "61"  # the user's input is shown again
    assert (Scorecard.objects.count(), Score.objects.count()) == (0, 0)


def test_the_service_checks_the_range_too(world, signed):
    first, second, bonus, penalty = signed.items.all()
    points = {first.pk: Decimal("60"), second.pk: Decimal("40"), bonus.pk: Decimal("5.5"), penalty.pk: Decimal("0")}
    with pytest.raises(DomainError) as error:
        services.save_scorecard(signed, scorer=world.a, unit=world.a, actor=world.staff, points=points)
    assert (error.value.field, error.value.message) == (
        f"item_{bonus.pk}",
        tr("Between 0 and %(max)s points.", max="5"),
    )
    points[bonus.pk] = Decimal("-1")
    with pytest.raises(DomainError):
        services.save_scorecard(signed, scorer=world.a, unit=world.a, actor=world.staff, points=points)
    del points[bonus.pk]
    with pytest.raises(DomainError) as error:
        services.save_scorecard(signed, scorer=world.a, unit=world.a, actor=world.staff, points=points)
    assert error.value.message == tr("Give points for every criterion.")
    assert (Scorecard.objects.count(), Score.objects.count()) == (0, 0)


def test_sending_a_card_again_replaces_it(client, world, signed):
    client.force_login(world.chairs[world.a.pk])
    url = card_url(signed, world.a, world.a)
    client.post(url, item_data(signed, ["50", "30", "0", "0"]))
    assert client.get(url).context["form"].initial == {
        f"item_{item.pk}": value for item, value in zip(signed.items.all(), ["50", "30", "0", "0"], strict=True)
    }
    client.post(url, item_data(signed, ["55", "35", "5", "2"]))
    card = Scorecard.objects.get()
    assert card.total == Decimal("93")
    assert sorted(card.scores.values_list("points", flat=True)) == [2, 5, 35, 55]
    assert card.history.count() == 2


def test_a_unit_scores_the_others_after_its_self_assessment(client, world, signed):
    client.force_login(world.chairs[world.a.pk])
    response = client.post(card_url(signed, world.a, world.b), item_data(signed, ["40", "30", "0", "0"]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        tr("“%(unit)s” sends its self-assessment before scoring the others.", unit=world.a.display_name)
    ]
    assert not Scorecard.objects.exists()
    make_card(signed, world.b, world.b, [50, 35, 0, 0])
    make_card(signed, world.a, world.a, [55, 35, 0, 0])
    cross = client.get(card_url(signed, world.a, world.b))
    # The scorer sees the other unit's own points beside the form.
    assert cross.context["own_points"] == {
        item.pk: p for item, p in zip(signed.items.all(), [50, 35, 0, 0], strict=True)
    }
    client.post(card_url(signed, world.a, world.b), item_data(signed, ["40", "30", "0", "0"]))
    assert Scorecard.objects.get(scorer=world.a, unit=world.b).total == 70


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_no_card_is_taken_outside_scoring(client, world, status):
    covenant = make_covenant(world.cluster, status=status)
    client.force_login(world.chairs[world.a.pk])
    response = client.post(card_url(covenant, world.a, world.a), item_data(covenant, ["1", "1", "0", "0"]), follow=True)
    assert messages_of(response) == [tr("Scoring is not open for this covenant.")]
    assert not Scorecard.objects.exists()


def test_outsiders_and_readers_cannot_score(client, world, signed, personas, tree):
    # The sibling union is no member: the covenant does not exist for its chair.
    client.force_login(personas.other_grassroots_chair)
    assert client.get(card_url(signed, world.a, world.a)).status_code == 404
    # The district officer sees G1 but enters no awards: refused.
    client.force_login(personas.district_officer)
    assert client.post(card_url(signed, world.a, world.a), item_data(signed, [1, 1, 0, 0])).status_code == 403
    # A member's chair cannot act for another member it does not reach.
    client.force_login(world.chairs[world.a.pk])
    assert client.get(card_url(signed, world.b, world.b)).status_code == 404
    # A non-member is neither scorer nor scored.
    assert client.get(card_url(signed, world.a, tree.other_grassroots)).status_code == 404
    assert not Scorecard.objects.exists()


def test_the_covenant_page_lists_the_cards_a_unit_owes(client, world, signed):
    make_card(signed, world.a, world.a, [55, 35, 0, 0])
    make_card(signed, world.a, world.c, [50, 30, 0, 0])
    client.force_login(world.chairs[world.a.pk])
    board = client.get(signed.get_absolute_url()).context["board"]
    assert [entry["scorer"] for entry in board] == [world.a]
    assert [(card["unit"], card["sent"]) for card in board[0]["cards"]] == [
        (world.a, True),
        (world.c, True),
        (world.d, False),
        (world.b, False),
    ]


# Ranking -------------------------------------------------------------------------------


@pytest.fixture
def scored(world):
    """Cards worked out by hand (items: 60, 40, bonus 5, penalty 10).

    Self:  A 95, B 86, C 102, D 81.
    Cross: A←B 89, A←C 90, A←D 80 → mean 86,33;  B←A 82, B←C 80 → 81;
           C←A 87, C←B 94 → 90,5;  D: nobody → its own 81.
    Final: C 90,5 (1), A 86,33 (2), B 81 and D 81 (3, 3).
    """
    covenant = make_covenant(world.cluster, status="signed")
    a, b, c, d = world.a, world.b, world.c, world.d
    cards = [
        (a, a, [55, 35, 5, 0]),
        (b, b, [50, 38, 0, 2]),
        (c, c, [58, 39, 5, 0]),
        (d, d, [45, 36, 0, 0]),
        (b, a, [52, 34, 3, 0]),
        (c, a, [50, 35, 5, 0]),
        (d, a, [50, 30, 0, 0]),
        (a, b, [48, 36, 0, 2]),
        (c, b, [45, 35, 0, 0]),
        (a, c, [50, 35, 2, 0]),
        (b, c, [54, 36, 4, 0]),
    ]
    for scorer, unit, points in cards:
        make_card(covenant, scorer, unit, points)
    return covenant


def ranking_table(rows):
    return [(r.rank, r.unit.code, r.self_total, r.cross_count, r.cross_mean, r.final) for r in rows]


EXPECTED_RANKING = [
    (1, "CDCS-BVXH", Decimal("102"), 2, Decimal("90.50"), Decimal("90.50")),
    (2, "CDCS-MXH", Decimal("95"), 3, Decimal("86.33"), Decimal("86.33")),
    # equal finals share the rank; then by name
    (3, "CDCS-DDS", Decimal("81"), 0, None, Decimal("81")),
    (3, "CDCS-THDS", Decimal("86"), 2, Decimal("81.00"), Decimal("81.00")),
]


def test_the_ranking_uses_the_mean_of_cross_scores_and_the_self_score_only_without_them(scored):
    assert ranking_table(services.ranking(scored)) == EXPECTED_RANKING


def test_the_ranking_lists_who_has_not_scored_whom(world, scored):
    assert dict(services.missing_cards(scored)) == {
        world.a: [world.d],
        world.b: [world.d],
        world.c: [world.d],
        world.d: [world.c, world.b],
    }


def test_the_self_assessment_comes_first_among_missing_cards(world, signed):
    make_card(signed, world.b, world.b, [1, 1, 0, 0])
    missing = dict(services.missing_cards(signed))
    # then the others by name: the hospital (C), the textile union (D), G1 (A), the school (B)
    assert missing[world.a] == [world.a, world.c, world.d, world.b]
    assert missing[world.b] == [world.c, world.d, world.a]


def test_scores_stay_hidden_from_members_while_scoring_is_open(client, world, scored):
    url = reverse("awards:covenant_ranking", kwargs={"pk": scored.pk})
    client.force_login(world.chairs[world.a.pk])
    response = client.get(url)
    assert (response.context["scores_shown"], response.context["rows"]) == (False, [])
    assert "86,33" not in text(response)
    assert dict(response.context["missing"])[world.d] == [world.c, world.b]
    export = reverse("awards:covenant_ranking_export", kwargs={"pk": scored.pk})
    assert client.get(export).status_code == 403
    client.force_login(world.staff)
    assert ranking_table(client.get(url).context["rows"]) == EXPECTED_RANKING


def test_the_closed_ranking_page_and_its_export_agree(client, world, scored):
    Covenant.objects.filter(pk=scored.pk).update(status="closed")
    client.force_login(world.chairs[world.b.pk])
    page = client.get(reverse("awards:covenant_ranking", kwargs={"pk": scored.pk}))
    assert ranking_table(page.context["rows"]) == EXPECTED_RANKING
    body = text(page)
    for shown in ("90,5", "86,33", "102"):
        assert shown in body

    response = client.get(reverse("awards:covenant_ranking_export", kwargs={"pk": scored.pk}))
    assert response["Content-Disposition"] == 'attachment; filename="xep-hang-cum-thi-dua-so-1-2026.xlsx"'
    title, header, *rows = read_rows(response.content)
    assert title[0] == scored.name
    assert header == [
        tr(h)
        for h in (
            "Rank",
            "Unit code",
            "Unit",
            "Role",
            "Self score",
            "Cross scores received",
            "Mean of cross scores",
            "Final score",
        )
    ]

    def number(value):
        return None if value is None else Decimal(str(value))

    assert [(r[0], r[1], number(r[4]), r[5], number(r[6]), number(r[7])) for r in rows] == [
        (rank, code, own, count, mean, final) for rank, code, own, count, mean, final in EXPECTED_RANKING
    ]
    assert [r[2] for r in rows] == [r.unit.name for r in page.context["rows"]]


# Acclaim (suy tôn) -------------------------------------------------------------------------


@pytest.fixture
def closed(scored):
    Covenant.objects.filter(pk=scored.pk).update(status="closed")
    scored.refresh_from_db()
    return scored


def vote(client, world, covenant, voter, choices):
    client.force_login(world.chairs[voter.pk])
    url = reverse("awards:acclaim_vote", kwargs={"pk": covenant.pk, "unit_pk": voter.pk})
    return client.post(url, {f"ballot-{voter.pk}-choices": [unit.pk for unit in choices]}, follow=True)


def tallies(acclaim):
    return {t.candidate.code: t.votes for t in AcclaimTally.objects.filter(acclaim=acclaim)}


def test_the_organizer_opens_the_acclaim_with_the_best_ranked_as_candidates(client, world, closed):
    client.force_login(world.staff)
    url = reverse("awards:acclaim_open", kwargs={"pk": closed.pk})
    form = client.get(url).context["form"]
    assert form.initial == {"seats": 1, "candidates": [world.c, world.a, world.d]}
    response = client.post(url, {"seats": "1", "candidates": [world.c.pk, world.a.pk, world.d.pk]})
    assert response["Location"] == reverse("awards:acclaim_detail", kwargs={"pk": closed.pk})
    acclaim = Acclaim.objects.get()
    assert (acclaim.seats, acclaim.status) == (1, "open")
    assert tallies(acclaim) == {"CDCS-BVXH": 0, "CDCS-MXH": 0, "CDCS-DDS": 0}


def test_the_acclaim_waits_for_scoring_to_close(client, world, scored):
    client.force_login(world.staff)
    response = client.get(reverse("awards:acclaim_open", kwargs={"pk": scored.pk}), follow=True)
    assert messages_of(response) == [tr("Close scoring before the acclaim.")]
    with pytest.raises(DomainError):
        services.open_acclaim(scored, actor=world.staff, seats=1, candidates=[world.a])
    assert not Acclaim.objects.exists()


def test_fewer_candidates_than_seats_are_refused(client, world, closed):
    client.force_login(world.staff)
    response = client.post(
        reverse("awards:acclaim_open", kwargs={"pk": closed.pk}), {"seats": "2", "candidates": [world.c.pk]}
    )
    assert response.context["form"].errors["candidates"] == [
        tr("There must be at least as many candidates as units to acclaim.")
    ]
    assert not Acclaim.objects.exists()


def test_each_member_votes_once_in_secret_and_counts_show_after_closing(client, world, closed, personas):
    acclaim = make_acclaim(closed, [world.c, world.a, world.b])
    detail = reverse("awards:acclaim_detail", kwargs={"pk": closed.pk})

    response = vote(client, world, closed, world.a, [world.c])
    assert messages_of(response) == [tr("The ballot of %(unit)s was cast.", unit=world.a.display_name)]
    # The same unit again: refused, nothing counted twice.
    response = client.post(
        reverse("awards:acclaim_vote", kwargs={"pk": closed.pk, "unit_pk": world.a.pk}),
        {f"ballot-{world.a.pk}-choices": [world.a.pk]},
        follow=True,
    )
    assert messages_of(response) == [
        tr("“%(unit)s” has already cast its ballot; a ballot cannot be changed.", unit=world.a)
    ]
    assert response.context["ballots"] == []
    vote(client, world, closed, world.b, [world.c])
    vote(client, world, closed, world.c, [world.a])
    vote(client, world, closed, world.d, [])  # a blank ballot

    assert tallies(acclaim) == {"CDCS-BVXH": 2, "CDCS-MXH": 1, "CDCS-THDS": 0}
    assert AcclaimVoter.objects.filter(acclaim=acclaim).count() == 4
    # Nothing ties a voter to a choice: voters hold only the unit, tallies keep no history.
    assert {f.name for f in AcclaimVoter._meta.get_fields()} == {"id", "acclaim", "unit"}
    assert not hasattr(AcclaimTally, "history")

    # Before closing nobody sees the counts, not even the organizer.
    client.force_login(world.staff)
    response = client.get(detail)
    assert response.context["tallies"] == []
    assert "2/4" not in text(response)
    assert tr("%(voted)s of %(members)s member units have voted", voted=4, members=4) in text(response)

    # 2 of 4 is not more than half: the hospital is not acclaimed.
    response = client.post(reverse("awards:acclaim_close", kwargs={"pk": closed.pk}), follow=True)
    assert messages_of(response) == [tr("The votes were counted. No unit won more than half of the votes.")]
    assert [(t.candidate, t.votes, t.acclaimed) for t in response.context["tallies"]] == [
        (world.c, 2, False),
        (world.a, 1, False),
        (world.b, 0, False),
    ]
    assert "2/4" in text(response)
    assert not Nomination.objects.exists()


def test_choosing_more_candidates_than_seats_is_refused(client, world, closed):
    acclaim = make_acclaim(closed, [world.c, world.a])
    response = vote(client, world, closed, world.b, [world.c, world.a])
    [(unit, form)] = response.context["ballots"]
    assert (unit, form.errors["choices"]) == (world.b, [tr("Choose at most %(seats)s.", seats=1)])
    assert tallies(acclaim) == {"CDCS-BVXH": 0, "CDCS-MXH": 0}
    assert not AcclaimVoter.objects.exists()


def test_only_a_members_own_users_vote(client, world, closed, personas, tree):
    acclaim = make_acclaim(closed, [world.c, world.a])
    url = reverse("awards:acclaim_vote", kwargs={"pk": closed.pk, "unit_pk": world.a.pk})
    data = {f"ballot-{world.a.pk}-choices": [world.c.pk]}
    # The organizer's staff reach every member, but a ballot belongs to the unit's own people.
    client.force_login(world.staff)
    assert client.post(url, data).status_code == 403
    client.force_login(personas.district_officer)
    assert client.post(url, data).status_code == 403
    client.force_login(personas.other_grassroots_chair)
    assert client.post(url, data).status_code == 404
    # A non-member unit has no ballot.
    other = reverse("awards:acclaim_vote", kwargs={"pk": closed.pk, "unit_pk": tree.other_grassroots.pk})
    client.force_login(world.chairs[world.a.pk])
    assert client.post(other, data).status_code == 404
    assert tallies(acclaim) == {"CDCS-BVXH": 0, "CDCS-MXH": 0}
    assert not AcclaimVoter.objects.exists()


def test_a_closed_vote_takes_no_more_ballots_and_an_empty_one_cannot_close(client, world, closed):
    acclaim = make_acclaim(closed, [world.c, world.a])
    with pytest.raises(DomainError) as error:
        services.close_acclaim(acclaim, actor=world.staff)
    assert error.value.message == tr("No unit has voted yet.")
    vote(client, world, closed, world.a, [world.c])
    services.close_acclaim(acclaim, actor=world.staff)
    response = vote(client, world, closed, world.b, [world.c])
    assert response.context["ballots"] == []
    with pytest.raises(DomainError) as error:
        services.cast_ballot(acclaim, voter=world.b, actor=world.chairs[world.b.pk], choices=[world.c])
    assert error.value.message == tr("Voting has ended.")
    assert tallies(acclaim) == {"CDCS-BVXH": 1, "CDCS-MXH": 0}


def test_the_acclaimed_leader_is_proposed_for_the_provinces_flag(client, world, closed):
    acclaim = make_acclaim(closed, [world.c, world.a, world.b])
    for voter, choice in ((world.a, world.c), (world.b, world.c), (world.c, world.c), (world.d, world.a)):
        vote(client, world, closed, voter, [choice])
    client.force_login(world.staff)
    response = client.post(reverse("awards:acclaim_close", kwargs={"pk": closed.pk}), follow=True)

    assert messages_of(response) == [
        tr("The votes were counted. Acclaimed and proposed for the flag: %(units)s.", units=world.c.display_name)
    ]
    acclaim.refresh_from_db()
    assert acclaim.status == "closed" and acclaim.closed_at is not None
    assert list(AcclaimTally.objects.filter(acclaimed=True).values_list("candidate", flat=True)) == [world.c.pk]
    nomination = Nomination.objects.get()
    assert (
        nomination.title.code,
        nomination.status,
        nomination.nominator,
        nomination.holder,
        nomination.deciding_unit,
        nomination.organization,
        nomination.year,
        nomination.award_kind,
        nomination.created_by,
    ) == (
        "co-ldld",
        "ready",
        world.cluster.organizer,
        world.cluster.organizer,
        world.cluster.organizer,
        world.c,
        2026,
        "cong-trang",
        world.staff,
    )
    assert nomination.summary == "Dẫn đầu Cụm thi đua số 1 năm 2026 với 90,5 điểm; được suy tôn với 3/4 phiếu."
    assert list(NominationEvent.objects.filter(nomination=nomination).values_list("action", flat=True)) == [
        "created",
        "submitted",
    ]
    assert [n for n, _url in response.context["nominations"]] == [nomination]


def test_a_district_clusters_leader_goes_up_to_the_province_for_its_flag(tree, personas):
    cluster = make_cluster(tree.district, level=4, members=[tree.grassroots, tree.other_grassroots])
    covenant = make_covenant(cluster, status="closed")
    make_card(covenant, tree.grassroots, tree.grassroots, [60, 40, 0, 0])
    acclaim = make_acclaim(covenant, [tree.grassroots, tree.other_grassroots], voters=[tree.grassroots])
    AcclaimTally.objects.filter(candidate=tree.grassroots).update(votes=1)

    [nomination] = services.close_acclaim(acclaim, actor=personas.province_staff)

    assert (nomination.title.code, nomination.status, nomination.nominator, nomination.holder) == (
        "co-ldld",
        "pending",
        tree.district,
        tree.province,
    )
    assert nomination.deciding_unit == tree.province
    assert nomination.summary.endswith("với 100 điểm; được suy tôn với 1/1 phiếu.")


def test_a_tld_clusters_leader_is_proposed_for_the_tld_flag(tree):
    tld_staff = make_user("tld.quantri")
    make_membership(tld_staff, tree.tld, "staff")
    cluster = make_cluster(tree.tld, level=2, members=[tree.province, tree.other_province])
    covenant = make_covenant(cluster, status="closed")
    acclaim = make_acclaim(covenant, [tree.province, tree.other_province], voters=[tree.province, tree.other_province])
    AcclaimTally.objects.filter(candidate=tree.other_province).update(votes=2)

    [nomination] = services.close_acclaim(acclaim, actor=tld_staff)

    assert (nomination.title.code, nomination.status, nomination.holder) == ("co-tld", "ready", tree.tld)
    assert nomination.organization == tree.other_province


@pytest.mark.parametrize(
    ("seats", "votes", "voters", "acclaimed"),
    [
        (1, [3, 1, 0], 4, [0]),  # a clear majority
        (1, [2, 2, 0], 4, []),  # half is not more than half
        (1, [3, 3, 0], 5, []),  # a tie at the only seat: nobody
        (2, [4, 3, 3], 5, [0]),  # a tie at the second seat: only the clear winner
        (2, [5, 4, 1], 6, [0, 1]),
        (3, [4, 4, 1], 6, [0, 1]),  # fewer with a majority than seats
    ],
)
def test_leaders_need_more_than_half_and_a_clear_lead_at_the_cut(seats, votes, voters, acclaimed):
    tallies_ = [SimpleNamespace(votes=v, name=i) for i, v in enumerate(votes)]
    assert [t.name for t in services.leaders(tallies_, seats, voters)] == acclaimed


@pytest.mark.django_db(transaction=True)
def test_ballots_cast_at_the_same_moment_are_all_counted_once(tree, personas):
    """Eight units vote at once, and one of them twice: every count is kept, no unit counts twice."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections (PostgreSQL)")
    units = [make_organization(f"Công đoàn cơ sở số {n}", parent=tree.district) for n in range(8)]
    voters = {unit.pk: chair(unit, f"cs{n}.chutich") for n, unit in enumerate(units)}
    cluster = make_cluster(tree.province, level=4, members=units)
    acclaim = make_acclaim(make_covenant(cluster, status="closed"), units[:2], seats=2)
    attempts = [*units, units[0]]
    barrier = threading.Barrier(len(attempts))
    refused = []

    def cast(unit):
        try:
            barrier.wait()
            services.cast_ballot(acclaim, voter=unit, actor=voters[unit.pk], choices=units[:2])
        except DomainError:
            refused.append(unit)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(unit,)) for unit in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert refused == [units[0]]
    assert AcclaimVoter.objects.filter(acclaim=acclaim).count() == 8
    assert sorted(AcclaimTally.objects.filter(acclaim=acclaim).values_list("votes", flat=True)) == [8, 8]
