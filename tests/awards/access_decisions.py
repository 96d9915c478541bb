"""Access-table rows for the awards URLs of this concept (merged into tests/test_access.py).

The district (CĐ phường Xuân Hòa) decides on a person its grassroots union G1 proposed. The
province staff manage it, the province's approver signs it; G1's chair sees it once issued
(it lists G1's person); the sibling grassroots chair never sees it.
"""


def decision(t, p, status="issued"):
    from tests.awards.factories import make_decision, make_person

    person = make_person(t.grassroots, "Nguyễn Văn An", position="Tổ trưởng")
    return make_decision(t.district, [(t.grassroots, person, "ldtt")], actor=p.province_staff, status=status)


def issued(t, p, **extra):
    return {"pk": decision(t, p).pk, **extra}


def issued_row(t, p, w):
    return issued(t, p)


def draft(t, p):
    return {"pk": decision(t, p, status="draft").pk}


def with_entry(t, p):
    made = decision(t, p)
    return {"pk": made.pk, "entry_pk": made.entries.get().pk}


def with_signed_copy(t, p):
    """An issued decision with a signed copy written straight to the database (no real signature)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from documents.models import SignedDocument, SigningCertificate

    made = decision(t, p)
    now = timezone.now()
    certificate = SigningCertificate.objects.create(
        organization=t.district,
        label="Thử",
        pkcs12=b"-",
        subject_name="CĐ phường Xuân Hòa",
        issuer_name="CA",
        serial_number="1",
        fingerprint="0" * 64,
        not_before=now,
        not_after=now,
    )
    document = SignedDocument(
        subject=made,
        title="QUYẾT ĐỊNH",
        number_line=made.number_line,
        issuer_text="CĐ",
        size=10,
        sha256="c" * 64,
        certificate=certificate,
        signer_name="CĐ phường Xuân Hòa",
    )
    document.file.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    document.save()
    return {"pk": made.pk, "document_pk": document.pk}


def states(anon, province, district, chair, other, leader):
    keys = ["anonymous", "province_staff", "district_officer", "grassroots_chair", "other_grassroots_chair"]
    return dict(zip([*keys, "leader_viewer"], [anon, province, district, chair, other, leader], strict=True))


# Seen by the district's users, the province's and G1's (its person is listed); never by the sibling.
VIEW_ISSUED = states(302, 200, 200, 200, 404, 200)
# Managing the district's decisions: the province staff only; G1 sees the issued decision but may not act.
MANAGE_DISTRICT = states(302, 200, 403, 404, 404, 403)
MANAGE_ISSUED_POST = states(302, 302, 403, 403, 404, 403)
SIGN_ISSUED = states(302, 200, 403, 403, 404, 200)

TABLE = [
    ("awards:decision_list", lambda t, p, w: {}, "get", states(302, 200, 200, 200, 200, 200)),
    ("awards:decision_create", lambda t, p, w: {"pk": t.district.pk}, "get", MANAGE_DISTRICT),
    (
        "awards:decision_issuer_create",
        lambda t, p, w: {"pk": t.district.pk},
        "post",
        states(302, 302, 403, 404, 404, 403),
    ),
    ("awards:decision_detail", issued_row, "get", VIEW_ISSUED),
    # A draft stays with the deciding unit and those above it.
    ("awards:decision_detail", lambda t, p, w: draft(t, p), "get", states(302, 200, 200, 404, 404, 200)),
    ("awards:decision_update", lambda t, p, w: draft(t, p), "get", MANAGE_DISTRICT),
    ("awards:decision_issue", lambda t, p, w: draft(t, p), "post", states(302, 302, 403, 404, 404, 403)),
    ("awards:decision_sign", issued_row, "get", SIGN_ISSUED),
    ("awards:decision_revoke", issued_row, "post", MANAGE_ISSUED_POST, {"reason": "Khai man thành tích"}),
    ("awards:decision_pdf", issued_row, "get", VIEW_ISSUED),
    ("awards:decision_signed", lambda t, p, w: with_signed_copy(t, p), "get", VIEW_ISSUED),
    ("awards:decision_export", issued_row, "get", VIEW_ISSUED),
    ("awards:decision_certificates", issued_row, "get", VIEW_ISSUED),
    ("awards:decision_certificates_pdf", issued_row, "get", VIEW_ISSUED),
    ("awards:decision_certificate_pdf", lambda t, p, w: with_entry(t, p), "get", VIEW_ISSUED),
]

POST_ONLY = {
    "awards:decision_issuer_create": lambda w: {"pk": w.tree.district.pk},
    "awards:decision_issue": lambda w: draft(w.tree, w.personas),
    "awards:decision_revoke": lambda w: issued(w.tree, w.personas),
}
