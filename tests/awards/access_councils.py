"""Access-table rows for the awards URLs of this concept (merged into tests/test_access.py).

The council here is G1's (grassroots) for 2026: G1's chair is its secretary, G1's officer its
chair. So:
- province staff and G1's chair manage it and prepare its meetings (awards right on G1);
- the district officer and the leader see it but may not change it (403);
- only the secretary (G1's chair) runs a meeting and reads every ballot; only members have
  a ballot page: for everyone else it does not exist (404), whatever they manage;
- the sibling chair sees neither the unit nor a seat: 404 everywhere.
The disclosure rows use the district's council, whose list G1 proposed: G1's chair sees that
list and may object, though the district itself is out of their reach; only the district's
managers (province staff) resolve objections.
"""

import datetime

from django.utils import timezone

from awards.models import Council, CouncilMember
from tests.awards.factories import make_disclosure, make_meeting, make_nomination, make_person
from tests.factories import make_user


def statuses(anon, province, district, chair, other, leader):
    names = ["anonymous", "province_staff", "district_officer", "grassroots_chair", "other_grassroots_chair"]
    return dict(zip([*names, "leader_viewer"], [anon, province, district, chair, other, leader], strict=True))


ALL_OK = statuses(302, 200, 200, 200, 200, 200)
VIEW_G1 = statuses(302, 200, 200, 200, 404, 200)
MANAGE_G1 = statuses(302, 200, 403, 200, 404, 403)
MANAGE_G1_POST = statuses(302, 302, 403, 302, 404, 403)
CREATE = statuses(302, 200, 403, 200, 200, 403)
SECRETARY = statuses(302, 403, 403, 200, 404, 403)
SECRETARY_POST = statuses(302, 403, 403, 302, 404, 403)
MEMBERS_ONLY = statuses(302, 404, 404, 200, 404, 404)
# The district's list, proposed by G1: seen by the district's subtree and by G1 as nominator.
DISTRICT_LIST = statuses(302, 200, 200, 200, 404, 200)
RESOLVE_DISTRICT = statuses(302, 200, 403, 403, 404, 403)


def council(t, p, unit=None):
    """G1's council (its chair as secretary), or another unit's with members nobody here signs in as."""
    unit = unit or t.grassroots
    council = Council.objects.create(organization=unit, name="Hội đồng Thi đua – Khen thưởng năm 2026", year=2026)
    if unit == t.grassroots:
        secretary, chair = p.grassroots_chair, p.g1_officer
    else:
        secretary, chair = make_user("hd.thuky", full_name="Ngô Văn Thư"), make_user("hd.chutich", full_name="Lý Chủ")
    CouncilMember.objects.create(council=council, user=secretary, role="secretary")
    CouncilMember.objects.create(council=council, user=chair, role="chair")
    member = make_user("hd.uyvien", full_name="Đỗ Thị Ủy Viên")
    CouncilMember.objects.create(council=council, user=member, role="member")
    return council


def meeting(t, p, status="planned", unit=None):
    holder = unit or t.grassroots
    nomination = make_nomination(
        t.grassroots, person=make_person(t.grassroots), entry="cstdcs", status="ready", holder=holder
    )
    return make_meeting(council(t, p, unit), nominations=[nomination], status=status)


def balloting(t, p):
    """An open meeting with round 1 open (every member present)."""
    opened = meeting(t, p, "open")
    opened.ballot_round, opened.ballot_open = 1, True
    opened.save()
    return opened


def disclosure(t, p):
    today = timezone.localdate()
    return make_disclosure(
        meeting(t, p, "open", unit=t.district),
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=5),
    )


def objection(t, p):
    from awards.models import Objection

    listed = disclosure(t, p)
    return Objection.objects.create(disclosure=listed, nomination=listed.nominations.get(), text="Chưa đủ tiêu chuẩn.")


def closed(t, p):
    done = meeting(t, p, "open")
    done.status, done.ballot_round = "closed", 1
    done.save()
    done.items.update(result="passed", yes_round1=3, no_round1=0, members_total=3, votes_needed=3)
    return done


def removable_member(t, p):
    seat = council(t, p).members.get(role="member")
    return {"pk": seat.council_id, "member_pk": seat.pk}


TABLE = [
    ("awards:council_list", lambda t, p, w: {}, "get", ALL_OK),
    ("awards:council_create", lambda t, p, w: {}, "get", CREATE),
    ("awards:council_detail", lambda t, p, w: {"pk": council(t, p).pk}, "get", VIEW_G1),
    ("awards:council_member_add", lambda t, p, w: {"pk": council(t, p).pk}, "get", MANAGE_G1),
    (
        "awards:council_member_remove",
        lambda t, p, w: removable_member(t, p),
        "post",
        MANAGE_G1_POST,
    ),
    ("awards:meeting_create", lambda t, p, w: {"pk": council(t, p).pk}, "get", MANAGE_G1),
    ("awards:meeting_detail", lambda t, p, w: {"pk": meeting(t, p).pk}, "get", VIEW_G1),
    ("awards:meeting_detail", lambda t, p, w: {"pk": balloting(t, p).pk}, "get", VIEW_G1),
    ("awards:meeting_agenda", lambda t, p, w: {"pk": meeting(t, p).pk}, "get", MANAGE_G1),
    (
        "awards:meeting_item_remove",
        lambda t, p, w: {"pk": (m := meeting(t, p)).pk, "item_pk": m.items.get().pk},
        "post",
        MANAGE_G1_POST,
    ),
    ("awards:meeting_open", lambda t, p, w: {"pk": meeting(t, p).pk}, "get", SECRETARY),
    ("awards:meeting_round_open", lambda t, p, w: {"pk": meeting(t, p, "open").pk}, "post", SECRETARY_POST),
    ("awards:meeting_round_close", lambda t, p, w: {"pk": balloting(t, p).pk}, "post", SECRETARY_POST),
    ("awards:meeting_close", lambda t, p, w: {"pk": meeting(t, p, "open").pk}, "post", SECRETARY_POST),
    ("awards:meeting_ballot", lambda t, p, w: {"pk": balloting(t, p).pk}, "get", MEMBERS_ONLY),
    ("awards:meeting_ballots", lambda t, p, w: {"pk": balloting(t, p).pk}, "get", SECRETARY),
    ("awards:meeting_minutes", lambda t, p, w: {"pk": closed(t, p).pk}, "get", VIEW_G1),
    ("awards:disclosure_create", lambda t, p, w: {"pk": closed(t, p).pk}, "get", MANAGE_G1),
    ("awards:disclosure_list", lambda t, p, w: {}, "get", ALL_OK),
    ("awards:disclosure_detail", lambda t, p, w: {"pk": disclosure(t, p).pk}, "get", DISTRICT_LIST),
    (
        "awards:objection_create",
        lambda t, p, w: {"pk": (d := disclosure(t, p)).pk, "nomination_pk": d.nominations.get().pk},
        "get",
        DISTRICT_LIST,
    ),
    ("awards:objection_resolve", lambda t, p, w: {"pk": objection(t, p).pk}, "get", RESOLVE_DISTRICT),
]

POST_ONLY = {
    "awards:council_member_remove": lambda w: removable_member(w.tree, w.personas),
    "awards:meeting_item_remove": lambda w: {
        "pk": (m := meeting(w.tree, w.personas)).pk,
        "item_pk": m.items.get().pk,
    },
    "awards:meeting_round_open": lambda w: {"pk": meeting(w.tree, w.personas, "open").pk},
    "awards:meeting_round_close": lambda w: {"pk": balloting(w.tree, w.personas).pk},
    "awards:meeting_close": lambda w: {"pk": meeting(w.tree, w.personas, "open").pk},
}
