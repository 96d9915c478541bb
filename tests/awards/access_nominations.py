"""Access-table rows for the awards URLs of this concept (merged into tests/test_access.py).

The nominee is a worker of grassroots G1. A draft is written by G1 (for a district giấy khen);
a pending one is held by the district, which decides it (accept) or, for a provincial bằng
khen, forwards it (forward). Nominating is for officers and staff of G1 or above; reviewing
for approvers and staff of the holder; the sibling grassroots sees none of it (404).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.awards.factories import PDF_BYTES, make_evidence, make_nomination, make_person, make_proposal


def _statuses(anon, province, district, chair, other, leader):
    names = ["anonymous", "province_staff", "district_officer", "grassroots_chair", "other_grassroots_chair"]
    return dict(zip([*names, "leader_viewer"], [anon, province, district, chair, other, leader], strict=True))


def draft(t):
    person = make_person(t.grassroots)
    return make_nomination(t.grassroots, person=person, entry="giay-khen-ctt-cn", deciding_unit=t.district)


def pending(t, entry="giay-khen-ctt-cn", deciding="district"):
    person = make_person(t.grassroots, "Trần Thị Bình")
    return make_nomination(
        t.grassroots,
        person=person,
        entry=entry,
        status="pending",
        holder=t.district,
        deciding_unit=getattr(t, deciding),
    )


def to_forward(t):
    return pending(t, entry="bang-khen-ldld-cn", deciding="province")


def evidence_of_draft(t):
    evidence = make_evidence(draft(t))
    return {"pk": evidence.nomination_id, "evidence_pk": evidence.pk}


def proposal(t):
    nomination = to_forward(t)
    return make_proposal(t.district, [nomination])


def pdf_upload(t, p, w):
    return {"evidence-file": SimpleUploadedFile("bao-cao.pdf", PDF_BYTES, content_type="application/pdf")}


ALL = _statuses(302, 200, 200, 200, 200, 200)
# Seeing a nomination of G1: everyone above G1 and G1 itself; the sibling grassroots never.
SEE_G1 = _statuses(302, 200, 200, 200, 404, 200)
# Writing G1's nominations: officers and staff from G1 up; the province's approver only reviews.
NOMINATE_G1 = _statuses(302, 200, 200, 200, 404, 403)
NOMINATE_G1_POST = _statuses(302, 302, 302, 302, 404, 403)
# Reviewing what the district holds: approvers and staff of the district or above.
REVIEW_DISTRICT_POST = _statuses(302, 302, 403, 403, 404, 302)
# Bulk forward: anyone who reviews somewhere (an empty tick list only comes back with a message).
REVIEW_ANYWHERE_POST = _statuses(302, 302, 403, 302, 302, 302)
# A proposal from the district to the province: their users; G1 sees neither unit.
SEE_DISTRICT = _statuses(302, 200, 200, 404, 404, 200)

TABLE = [
    ("awards:nomination_list", lambda t, p, w: {}, "get", ALL),
    ("awards:nomination_list", lambda t, p, w: {}, "get", ALL, {"tab": "review", "year": "2026"}),
    ("awards:nomination_forward_bulk", lambda t, p, w: {}, "post", REVIEW_ANYWHERE_POST),
    ("awards:nomination_create", lambda t, p, w: {"pk": t.grassroots.pk}, "get", NOMINATE_G1),
    ("awards:nomination_detail", lambda t, p, w: {"pk": draft(t).pk}, "get", SEE_G1),
    ("awards:nomination_detail", lambda t, p, w: {"pk": pending(t).pk}, "get", SEE_G1),
    ("awards:nomination_update", lambda t, p, w: {"pk": draft(t).pk}, "get", NOMINATE_G1),
    ("awards:nomination_submit", lambda t, p, w: {"pk": draft(t).pk}, "post", NOMINATE_G1_POST),
    ("awards:nomination_delete", lambda t, p, w: {"pk": draft(t).pk}, "post", NOMINATE_G1_POST),
    ("awards:nomination_check", lambda t, p, w: {"pk": pending(t).pk}, "post", REVIEW_DISTRICT_POST),
    ("awards:nomination_forward", lambda t, p, w: {"pk": to_forward(t).pk}, "post", REVIEW_DISTRICT_POST),
    ("awards:nomination_accept", lambda t, p, w: {"pk": pending(t).pk}, "post", REVIEW_DISTRICT_POST),
    (
        "awards:nomination_return",
        lambda t, p, w: {"pk": pending(t).pk},
        "post",
        REVIEW_DISTRICT_POST,
        {"return-note": "Thiếu biên bản bình xét."},
    ),
    ("awards:nomination_evidence_upload", lambda t, p, w: {"pk": draft(t).pk}, "post", NOMINATE_G1_POST, pdf_upload),
    ("awards:nomination_evidence_download", lambda t, p, w: evidence_of_draft(t), "get", SEE_G1),
    ("awards:nomination_evidence_delete", lambda t, p, w: evidence_of_draft(t), "post", NOMINATE_G1_POST),
    ("awards:proposal_detail", lambda t, p, w: {"pk": proposal(t).pk}, "get", SEE_DISTRICT),
    ("awards:proposal_pdf", lambda t, p, w: {"pk": proposal(t).pk}, "get", SEE_DISTRICT),
]

POST_ONLY = {
    "awards:nomination_forward_bulk": lambda w: {},
    "awards:nomination_submit": lambda w: {"pk": draft(w.tree).pk},
    "awards:nomination_delete": lambda w: {"pk": draft(w.tree).pk},
    "awards:nomination_check": lambda w: {"pk": pending(w.tree).pk},
    "awards:nomination_forward": lambda w: {"pk": to_forward(w.tree).pk},
    "awards:nomination_accept": lambda w: {"pk": pending(w.tree).pk},
    "awards:nomination_return": lambda w: {"pk": pending(w.tree).pk},
    "awards:nomination_evidence_upload": lambda w: {"pk": draft(w.tree).pk},
    "awards:nomination_evidence_delete": lambda w: evidence_of_draft(w.tree),
}
