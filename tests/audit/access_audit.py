"""Access-table rows for the audit trail (merged into tests/test_access.py).

Reading needs the audit right (staff and approvers) over the record's unit. The district
officer holds no audit right anywhere (403); a unit beyond a reader's reach does not exist
for them (404). Catalogue records belong to no unit: only the top level and superusers.
"""


def statuses(anon, province, district, chair, other, leader):
    names = ["anonymous", "province_staff", "district_officer", "grassroots_chair", "other_grassroots_chair"]
    return dict(zip([*names, "leader_viewer"], [anon, province, district, chair, other, leader], strict=True))


def title(t, p, w):
    from awards.models import Title

    return {"label": "awards.title", "pk": Title.objects.get(code="ldtt").pk}


TABLE = [
    ("audit:journal", lambda t, p, w: {}, "get", statuses(302, 200, 403, 200, 200, 200)),
    ("audit:journal", lambda t, p, w: {}, "get", statuses(302, 200, 403, 200, 200, 200), {"date_from": "31/02/2026"}),
    (
        "audit:user_journal",
        lambda t, p, w: {"pk": p.g1_officer.pk},
        "get",
        statuses(302, 200, 403, 200, 404, 200),
    ),
    (
        "audit:object_journal",
        lambda t, p, w: {"label": "campaigns.campaign", "pk": w.published.pk},
        "get",
        statuses(302, 200, 404, 404, 404, 200),
    ),
    (
        "audit:object_journal",
        lambda t, p, w: {"label": "organizations.organization", "pk": t.grassroots.pk},
        "get",
        statuses(302, 200, 403, 200, 404, 200),
    ),
    ("audit:object_journal", title, "get", statuses(302, 403, 403, 403, 403, 403)),
    (
        "audit:object_journal",
        lambda t, p, w: {"label": "awards.ballot", "pk": 1},
        "get",
        statuses(302, 404, 404, 404, 404, 404),
    ),
]

# The audit trail is read-only: nothing here takes a POST.
POST_ONLY = {}
