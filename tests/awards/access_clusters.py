"""Access-table rows for the awards URLs of this concept (merged into tests/test_access.py).

The cluster here is organized by the province and groups two grassroots unions in 2026:
G1 (grassroots, the leader) and the far unit under the other district. So:
- province staff manage it (the organizer's staff) and reach every member;
- the district officer and G1's chair see it through G1 but may not manage it;
- the leader (approver at the province) sees it and may score for any member (reviewing right);
- the sibling chair sees neither the organizer nor a member: 404.
Ballots need a role held on the voting unit itself, so only G1's chair votes for G1.
"""

from awards.models import Covenant
from tests.awards.factories import make_acclaim, make_covenant
from tests.factories import make_cluster


def statuses(anon, province, district, chair, other, leader):
    names = ["anonymous", "province_staff", "district_officer", "grassroots_chair", "other_grassroots_chair"]
    return dict(zip([*names, "leader_viewer"], [anon, province, district, chair, other, leader], strict=True))


VIEW = statuses(302, 200, 200, 200, 404, 200)
MANAGE = statuses(302, 200, 403, 403, 404, 403)
MANAGE_POST = statuses(302, 302, 403, 403, 404, 403)
SCORE_G1 = statuses(302, 200, 403, 200, 404, 200)
SCORE_G1_POST = statuses(302, 302, 403, 302, 404, 302)
# The far unit is outside the district's and G1's subtrees: it does not exist for them.
SCORE_FAR = statuses(302, 200, 404, 404, 404, 200)
VOTE_G1 = statuses(302, 403, 403, 302, 404, 403)


def covenant(t, status="draft"):
    cluster = make_cluster(t.province, level=4, members=[t.grassroots, t.far_grassroots])
    return make_covenant(cluster, status=status)


def acclaim(t, voters=()):
    return make_acclaim(covenant(t, "closed"), [t.grassroots, t.far_grassroots], voters=voters)


def card_data(t, p, w):
    items = Covenant.objects.get().items.all()
    return {f"item_{item.pk}": "5" for item in items}


TABLE = [
    ("awards:covenant_list", lambda t, p, w: {}, "get", statuses(302, 200, 200, 200, 200, 200)),
    ("awards:covenant_create", lambda t, p, w: {"pk": covenant(t).cluster_id}, "get", MANAGE),
    ("awards:covenant_detail", lambda t, p, w: {"pk": covenant(t, "signed").pk}, "get", VIEW),
    ("awards:covenant_update", lambda t, p, w: {"pk": covenant(t).pk}, "get", MANAGE),
    ("awards:covenant_delete", lambda t, p, w: {"pk": covenant(t).pk}, "post", MANAGE_POST),
    (
        "awards:covenant_sign",
        lambda t, p, w: {"pk": covenant(t).pk},
        "post",
        MANAGE_POST,
        {"signed_on": "2026-02-20"},
    ),
    ("awards:covenant_close", lambda t, p, w: {"pk": covenant(t, "signed").pk}, "post", MANAGE_POST),
    ("awards:covenant_reopen", lambda t, p, w: {"pk": covenant(t, "closed").pk}, "post", MANAGE_POST),
    (
        "awards:scorecard_edit",
        lambda t, p, w: {"pk": covenant(t, "signed").pk, "scorer_pk": t.grassroots.pk, "unit_pk": t.grassroots.pk},
        "get",
        SCORE_G1,
    ),
    (
        "awards:scorecard_edit",
        lambda t, p, w: {"pk": covenant(t, "signed").pk, "scorer_pk": t.grassroots.pk, "unit_pk": t.grassroots.pk},
        "post",
        SCORE_G1_POST,
        card_data,
    ),
    (
        "awards:scorecard_edit",
        lambda t, p, w: {
            "pk": covenant(t, "signed").pk,
            "scorer_pk": t.far_grassroots.pk,
            "unit_pk": t.far_grassroots.pk,
        },
        "get",
        SCORE_FAR,
    ),
    # a unit outside the cluster neither scores nor is scored
    (
        "awards:scorecard_edit",
        lambda t, p, w: {
            "pk": covenant(t, "signed").pk,
            "scorer_pk": t.grassroots.pk,
            "unit_pk": t.other_grassroots.pk,
        },
        "get",
        statuses(302, 404, 404, 404, 404, 404),
    ),
    ("awards:covenant_ranking", lambda t, p, w: {"pk": covenant(t, "signed").pk}, "get", VIEW),
    ("awards:covenant_ranking_export", lambda t, p, w: {"pk": covenant(t, "closed").pk}, "get", VIEW),
    # while scoring is open only the organizer sees the figures
    ("awards:covenant_ranking_export", lambda t, p, w: {"pk": covenant(t, "signed").pk}, "get", MANAGE),
    ("awards:acclaim_open", lambda t, p, w: {"pk": covenant(t, "closed").pk}, "get", MANAGE),
    ("awards:acclaim_detail", lambda t, p, w: {"pk": acclaim(t).covenant_id}, "get", VIEW),
    (
        "awards:acclaim_vote",
        lambda t, p, w: {"pk": acclaim(t).covenant_id, "unit_pk": t.grassroots.pk},
        "post",
        VOTE_G1,
        lambda t, p, w: {f"ballot-{t.grassroots.pk}-choices": [t.grassroots.pk]},
    ),
    (
        "awards:acclaim_close",
        lambda t, p, w: {"pk": acclaim(t, voters=[t.grassroots, t.far_grassroots]).covenant_id},
        "post",
        MANAGE_POST,
    ),
]

POST_ONLY = {
    "awards:covenant_delete": lambda w: {"pk": covenant(w.tree).pk},
    "awards:covenant_sign": lambda w: {"pk": covenant(w.tree).pk},
    "awards:covenant_close": lambda w: {"pk": covenant(w.tree, "signed").pk},
    "awards:covenant_reopen": lambda w: {"pk": covenant(w.tree, "closed").pk},
    "awards:acclaim_vote": lambda w: {"pk": acclaim(w.tree).covenant_id, "unit_pk": w.tree.grassroots.pk},
    "awards:acclaim_close": lambda w: {"pk": acclaim(w.tree).covenant_id},
}
