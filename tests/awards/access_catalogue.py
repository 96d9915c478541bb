"""Access-table rows for the awards URLs of this concept (merged into tests/test_access.py).

The catalogue is read by everyone signed in and changed only by staff of a top-level unit
(none of the personas: the province's staff is refused too). Quotas belong to the issuing
unit's staff. People and history of G1 are read by whoever sees G1 and entered by whoever
may nominate there (the district officer yes, the province's leader, an approver, no).
"""

import datetime

from awards.models import Absence, Discipline, Honour, Quota, Rating, Title
from tests.awards.factories import make_person


def _statuses(anon, province, district, chair, other, leader):
    return {
        "anonymous": anon,
        "province_staff": province,
        "district_officer": district,
        "grassroots_chair": chair,
        "other_grassroots_chair": other,
        "leader_viewer": leader,
    }


ALL_OK = _statuses(302, 200, 200, 200, 200, 200)
TOP_ONLY = _statuses(302, 403, 403, 403, 403, 403)
MANAGE_G1 = _statuses(302, 200, 403, 200, 404, 403)
MANAGE_G1_POST = _statuses(302, 302, 403, 302, 404, 403)
VIEW_G1 = _statuses(302, 200, 200, 200, 404, 200)
ENTER_G1 = _statuses(302, 200, 200, 200, 404, 403)
ENTER_G1_POST = _statuses(302, 302, 302, 302, 404, 403)
NOMINATORS = _statuses(302, 200, 200, 200, 200, 403)


def ldtt(t, p, w):
    return {"kind": "title", "pk": Title.objects.get(code="ldtt").pk}


def criterion(t, p, w):
    return {"pk": Title.objects.get(code="ldtt").criteria.first().pk}


def quota(t):
    return Quota.objects.create(organization=t.grassroots, year=2026, title=Title.objects.get(code="ldtt"), cap=3)


def person(t):
    return make_person(t.grassroots, "Nguyễn Văn Truy Cập")


def rating(t):
    return Rating.objects.create(person=person(t), year=2024, kind="duty", level=2)


def discipline(t):
    return Discipline.objects.create(person=person(t), year=2024, level=1)


def absence(t):
    return Absence.objects.create(person=person(t), year=2024, days=12, reason="sickness")


def honour(t):
    return Honour.objects.create(
        person=person(t),
        year=2024,
        title=Title.objects.get(code="ldtt"),
        source="manual",
        decided_on=datetime.date(2025, 1, 5),
    )


TABLE = [
    ("awards:index", lambda t, p, w: {}, "get", ALL_OK),
    ("awards:catalogue_list", lambda t, p, w: {}, "get", ALL_OK),
    ("awards:catalogue_list", lambda t, p, w: {}, "get", ALL_OK, {"on": "2023-06-01"}),
    ("awards:entry_detail", ldtt, "get", ALL_OK),
    (
        "awards:entry_detail",
        lambda t, p, w: {"kind": "nonsense", "pk": 1},
        "get",
        _statuses(302, 404, 404, 404, 404, 404),
    ),
    ("awards:entry_update", ldtt, "get", TOP_ONLY),
    ("awards:criterion_create", ldtt, "get", TOP_ONLY),
    ("awards:criterion_update", criterion, "get", TOP_ONLY),
    ("awards:criterion_end", criterion, "post", TOP_ONLY),
    ("awards:quota_list", lambda t, p, w: {}, "get", ALL_OK),
    ("awards:quota_create", lambda t, p, w: {"pk": t.grassroots.pk}, "get", MANAGE_G1),
    # The province's own quotas: below the province nobody sees it.
    ("awards:quota_create", lambda t, p, w: {"pk": t.province.pk}, "get", _statuses(302, 200, 404, 404, 404, 403)),
    ("awards:quota_update", lambda t, p, w: {"pk": quota(t).pk}, "get", MANAGE_G1),
    ("awards:quota_delete", lambda t, p, w: {"pk": quota(t).pk}, "post", MANAGE_G1_POST),
    ("awards:base_salary_list", lambda t, p, w: {}, "get", ALL_OK),
    ("awards:base_salary_create", lambda t, p, w: {}, "get", TOP_ONLY),
    ("awards:person_list", lambda t, p, w: {"pk": t.grassroots.pk}, "get", VIEW_G1),
    (
        "awards:person_list",
        lambda t, p, w: {"pk": t.foreign_grassroots.pk},
        "get",
        _statuses(302, 404, 404, 404, 404, 404),
    ),
    ("awards:person_create", lambda t, p, w: {"pk": t.grassroots.pk}, "get", ENTER_G1),
    ("awards:person_history", lambda t, p, w: {"pk": person(t).pk}, "get", VIEW_G1),
    ("awards:person_update", lambda t, p, w: {"pk": person(t).pk}, "get", ENTER_G1),
    ("awards:rating_create", lambda t, p, w: {"pk": person(t).pk}, "get", ENTER_G1),
    ("awards:discipline_create", lambda t, p, w: {"pk": person(t).pk}, "get", ENTER_G1),
    ("awards:absence_create", lambda t, p, w: {"pk": person(t).pk}, "get", ENTER_G1),
    ("awards:honour_create", lambda t, p, w: {"pk": person(t).pk}, "get", ENTER_G1),
    ("awards:unit_history", lambda t, p, w: {"pk": t.grassroots.pk}, "get", VIEW_G1),
    ("awards:unit_rating_create", lambda t, p, w: {"pk": t.grassroots.pk}, "get", ENTER_G1),
    ("awards:unit_honour_create", lambda t, p, w: {"pk": t.grassroots.pk}, "get", ENTER_G1),
    ("awards:rating_delete", lambda t, p, w: {"pk": rating(t).pk}, "post", ENTER_G1_POST),
    ("awards:discipline_delete", lambda t, p, w: {"pk": discipline(t).pk}, "post", ENTER_G1_POST),
    ("awards:absence_delete", lambda t, p, w: {"pk": absence(t).pk}, "post", ENTER_G1_POST),
    ("awards:honour_delete", lambda t, p, w: {"pk": honour(t).pk}, "post", ENTER_G1_POST),
    ("awards:history_import", lambda t, p, w: {}, "get", NOMINATORS),
    ("awards:history_import_template", lambda t, p, w: {}, "get", ALL_OK),
]

POST_ONLY = {
    "awards:criterion_end": lambda w: criterion(w.tree, w.personas, w),
    "awards:quota_delete": lambda w: {"pk": quota(w.tree).pk},
    "awards:rating_delete": lambda w: {"pk": rating(w.tree).pk},
    "awards:discipline_delete": lambda w: {"pk": discipline(w.tree).pk},
    "awards:absence_delete": lambda w: {"pk": absence(w.tree).pk},
    "awards:honour_delete": lambda w: {"pk": honour(w.tree).pk},
}
