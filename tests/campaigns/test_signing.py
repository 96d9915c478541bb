"""Digital signatures end to end: a unit uploads its PKCS#12 certificate, a published plan is
signed (PAdES) from the page or the command line, and anyone can check a PDF on /verify/.

The certificates are real (made with documents.certificates, once per module); the signed files
are checked by poppler's ``pdfsig`` as an independent reader, and by the portal's own verifier.
"""

import asyncio
import datetime
import getpass
import hashlib
import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.services import open_amendment, sign_campaign
from core.exceptions import DomainError
from documents.certificates import fingerprint, issue_ca, issue_certificate, to_pem, to_pkcs12
from documents.models import SignedDocument, SigningCertificate, TrustAnchor
from documents.services import upload_certificate
from documents.signing import outside_event_loop, verify_pdf
from tests.factories import make_membership, make_user
from tests.pdf import pdf_text, pdfsig, squash

PASSPHRASE = "Mật khẩu ký số 2026!"  # not ASCII: the passphrase travels as UTF-8 everywhere
HOLDER = "Liên đoàn Lao động tỉnh An Phú"
HOLDER_ORG = "Công đoàn Việt Nam"
CA_NAME = "CA kiểm thử Cổng thi đua"
LABEL = "Chứng thư số LĐLĐ tỉnh An Phú 2026"

WRONG_PASSPHRASE = "Mật khẩu không đúng, hoặc tệp không phải chứng thư số PKCS#12 (.p12, .pfx)."
FIX_FIELDS = "Vui lòng sửa các trường được đánh dấu dưới đây."
INTACT = "Tệp còn nguyên vẹn: không bị thay đổi kể từ khi ký."
MODIFIED = "Tệp đã bị sửa đổi sau khi ký, hoặc chữ ký không hợp lệ. Không nên tin cậy nội dung tệp."
ISSUED_HERE = "Đây đúng là văn bản do cổng phát hành:"
NOT_ISSUED_HERE = "Tệp không khớp với văn bản nào do cổng phát hành."


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def visible(response):
    """The words a reader sees: tags dropped, whitespace collapsed."""
    return squash(re.sub(r"<[^>]+>", " ", response.content.decode()))


def short_date(moment):
    """A date as the Vietnamese pages print it (SHORT_DATE_FORMAT d/n/Y, local time)."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment)
    return f"{moment.day:02d}/{moment.month}/{moment.year}"


def short_datetime(moment):
    local = timezone.localtime(moment)
    return f"{local:%H:%M} {short_date(local)}"


def p12_file(data, name="an-phu.p12"):
    return SimpleUploadedFile(name, data, content_type="application/x-pkcs12")


def pdf_file(data, name="ke-hoach-da-ky.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def read(document):
    with document.file.open("rb") as handle:
        return handle.read()


def signed_files(settings):
    """The signed PDFs written to storage (MEDIA_ROOT is a fresh tmp_path per test)."""
    return [path for path in (settings.MEDIA_ROOT / "signed").rglob("*") if path.is_file()]


def flip_byte_in_signed_range(data):
    """Change one letter of the /Producer string, inside the first range the signature covers."""
    start, length = map(int, re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", data).groups())
    offset = data.index(b"WeasyPrint")
    assert start <= offset < start + length
    tampered = bytearray(data)
    tampered[offset] ^= 0x20  # W -> w: same length, the PDF still parses
    return bytes(tampered)


def unsigned_pdf():
    """The smallest well-formed one-page PDF, with a correct cross-reference table."""
    bodies = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


# Certificates: made once for the module (bytes only, no rows) -----------------------------


class Pki:
    def __init__(self):
        self.ca, self.ca_key = issue_ca(common_name=CA_NAME)
        self.good_cert, self.good = self.issue()
        self.expired_cert, self.expired = self.issue(days=30, starts_days_ago=60)
        self.future_cert, self.future = self.issue(starts_days_ago=-10)
        _cert, self.not_for_signing = self.issue(signing=False)
        # A PKCS#12 holding the CA certificate only: no key to sign with.
        self.no_key = pkcs12.serialize_key_and_certificates(
            b"ca", None, None, [self.ca], serialization.BestAvailableEncryption(PASSPHRASE.encode())
        )

    def issue(self, **options):
        certificate, key = issue_certificate(self.ca, self.ca_key, HOLDER, HOLDER_ORG, **options)
        return certificate, to_pkcs12(certificate, key, [self.ca], PASSPHRASE)


@pytest.fixture(scope="module")
def pki():
    return Pki()


@pytest.fixture
def trusted_ca(db, pki):
    return TrustAnchor.objects.create(name=CA_NAME, certificate_pem=to_pem(pki.ca), fingerprint=fingerprint(pki.ca))


@pytest.fixture
def certificate(tree, personas, pki):
    return upload_certificate(
        actor=personas.province_staff, unit=tree.province, data=pki.good, passphrase=PASSPHRASE, label=LABEL
    )


@pytest.fixture
def signed(published_plan, personas, certificate):
    return sign_campaign(published_plan, actor=personas.leader_viewer, certificate=certificate, passphrase=PASSPHRASE)


# 1. Uploading a certificate ------------------------------------------------------------------


def test_upload_a_certificate_and_see_its_holder_and_validity(client, tree, personas, pki):
    client.force_login(personas.province_staff)
    url = reverse("documents:certificate_upload", args=[tree.province.pk])
    assert "Thêm chứng thư số" in text(client.get(url))

    response = client.post(url, {"label": LABEL, "file": p12_file(pki.good), "passphrase": PASSPHRASE})

    assert response.status_code == 302
    assert response["Location"] == reverse("documents:issuer_list", args=[tree.province.pk])
    stored = SigningCertificate.objects.get()
    cert = pki.good_cert
    assert (stored.organization, stored.label, stored.subject_name, stored.issuer_name) == (
        tree.province,
        LABEL,
        HOLDER,
        CA_NAME,
    )
    assert stored.fingerprint == fingerprint(cert)
    assert stored.serial_number == format(cert.serial_number, "x")
    assert (stored.not_before, stored.not_after) == (cert.not_valid_before_utc, cert.not_valid_after_utc)
    assert (stored.uploaded_by, stored.is_active) == (personas.province_staff, True)
    assert bytes(stored.pkcs12) == pki.good  # kept as uploaded, still locked by its passphrase

    page = text(client.get(response["Location"]))
    assert f"Đã thêm chứng thư số của {HOLDER}." in page
    assert f"<strong>{LABEL}</strong>" in page
    assert f"{HOLDER} · cấp bởi {CA_NAME}" in page
    assert f"hiệu lực {short_date(cert.not_valid_before_utc)} – {short_date(cert.not_valid_after_utc)}" in page
    assert "Chưa có chứng thư số." not in page
    assert PASSPHRASE not in page


REFUSED_UPLOADS = {
    "wrong passphrase": (lambda p: p.good, "sai mật khẩu", lambda p: WRONG_PASSPHRASE),
    "not a PKCS#12 file": (lambda p: b"%PDF-1.7\nkhong phai chung thu so", PASSPHRASE, lambda p: WRONG_PASSPHRASE),
    "no signing key": (lambda p: p.no_key, PASSPHRASE, lambda p: "Tệp không chứa khóa ký."),
    "expired": (
        lambda p: p.expired,
        PASSPHRASE,
        lambda p: f"Chứng thư số đã hết hạn ngày {short_date(p.expired_cert.not_valid_after_utc)}.",
    ),
    "not valid yet": (lambda p: p.future, PASSPHRASE, lambda p: "Chứng thư số chưa đến ngày có hiệu lực."),
    "not for signing": (
        lambda p: p.not_for_signing,
        PASSPHRASE,
        lambda p: "Chứng thư số này không dùng để ký văn bản (thiếu mục đích Ký số và Chống chối bỏ).",
    ),
    "too large": (
        lambda p: b"0" * 100_001,
        PASSPHRASE,
        lambda p: "Tệp chứng thư số chỉ vài kilobyte; tệp này quá lớn.",
    ),
}


@pytest.mark.parametrize("case", REFUSED_UPLOADS, ids=list(REFUSED_UPLOADS))
def test_an_unusable_certificate_is_refused_with_the_reason_and_nothing_is_stored(client, tree, personas, pki, case):
    data, passphrase, message = REFUSED_UPLOADS[case]
    client.force_login(personas.province_staff)

    response = client.post(
        reverse("documents:certificate_upload", args=[tree.province.pk]),
        {"label": LABEL, "file": p12_file(data(pki)), "passphrase": passphrase},
    )

    assert response.status_code == 200
    page = text(response)
    assert message(pki) in page
    assert "Thêm chứng thư số" in page  # the form again, label kept, passphrase not echoed back
    assert f'value="{LABEL}"' in page
    assert passphrase not in page
    assert SigningCertificate.objects.count() == 0


def test_certificates_are_managed_only_by_the_unit_staff(client, tree, personas, pki, certificate):
    upload_province = reverse("documents:certificate_upload", args=[tree.province.pk])
    upload_district = reverse("documents:certificate_upload", args=[tree.district.pk])
    withdraw = reverse("documents:certificate_withdraw", args=[certificate.pk])
    cases = [
        # (user, url, status): outside the user's subtree 404, inside it without the right 403.
        (personas.district_officer, upload_province, 404),
        (personas.grassroots_chair, upload_province, 404),
        (personas.leader_viewer, upload_province, 403),
        (personas.district_officer, upload_district, 403),
        (personas.district_officer, withdraw, 404),
        (personas.grassroots_chair, withdraw, 404),
        (personas.leader_viewer, withdraw, 403),
    ]
    for user, url, status in cases:
        client.force_login(user)
        response = client.post(url, {"label": "x", "file": p12_file(pki.good), "passphrase": PASSPHRASE})
        assert response.status_code == status, (user.username, url)
    client.logout()
    anonymous = client.post(upload_province, {"file": p12_file(pki.good), "passphrase": PASSPHRASE})
    assert anonymous["Location"].startswith(reverse("accounts:login") + "?next=")
    assert SigningCertificate.objects.count() == 1
    assert SigningCertificate.objects.get().is_active


def test_a_withdrawn_certificate_is_shown_as_such_and_can_no_longer_sign(
    client, settings, tree, personas, published_plan, certificate
):
    client.force_login(personas.province_staff)
    response = client.post(reverse("documents:certificate_withdraw", args=[certificate.pk]))
    assert response["Location"] == reverse("documents:issuer_list", args=[tree.province.pk])
    certificate.refresh_from_db()
    assert certificate.is_active is False
    page = text(client.get(response["Location"]))
    assert "Đã thu hồi chứng thư số; không dùng để ký được nữa." in page
    assert '<span class="badge text-bg-secondary">Đã thu hồi</span>' in page

    sign_url = reverse("campaigns:campaign_sign", args=[published_plan.pk])
    assert "Đơn vị chưa có chứng thư số còn hiệu lực." in text(client.get(sign_url))
    response = client.post(sign_url, {"certificate": certificate.pk, "passphrase": PASSPHRASE})
    assert response.status_code == 200
    assert "Chứng thư số này không còn hiệu lực; hãy chọn chứng thư khác." in text(response)

    with pytest.raises(DomainError) as refused:
        sign_campaign(published_plan, actor=personas.province_staff, certificate=certificate, passphrase=PASSPHRASE)
    assert str(refused.value) == f"Hãy chọn một chứng thư số đang hiệu lực của {tree.province.name}."
    assert SignedDocument.objects.count() == 0
    assert signed_files(settings) == []


# 2. Signing a published plan -------------------------------------------------------------------


def test_sign_a_published_plan_from_the_page(client, tree, personas, published_plan, certificate, trusted_ca):
    client.force_login(personas.leader_viewer)  # the approver signs; the staff uploaded the certificate
    url = reverse("campaigns:campaign_sign", args=[published_plan.pk])
    page = text(client.get(url))
    assert f'<option value="{certificate.pk}">{LABEL} ({HOLDER})</option>' in page

    response = client.post(url, {"certificate": certificate.pk, "passphrase": PASSPHRASE})

    assert response["Location"] == published_plan.get_absolute_url()
    document = SignedDocument.objects.get()
    assert document.subject == published_plan
    assert (document.certificate, document.signer_name, document.signed_by) == (
        certificate,
        HOLDER,
        personas.leader_viewer,
    )
    assert (document.number_line, document.title, document.issued_on, document.version_number) == (
        "Số: 03/KH-LĐLĐ",
        "KẾ HOẠCH Phát động phong trào thi đua năm 2026",
        datetime.date(2026, 1, 15),
        1,
    )
    assert document.issuer_text == "TỔNG LĐLĐ VIỆT NAM – LĐLĐ TỈNH AN PHÚ"

    detail = text(client.get(response["Location"]))
    assert f"Kế hoạch đã được ký số bởi {HOLDER}. Mã SHA-256: {document.sha256}." in detail
    assert "PDF đã ký số (phiên bản 1)</a> – " + f"{HOLDER}, {short_datetime(document.signed_at)}" in detail
    assert f"SHA-256 {document.sha256}" in detail

    download = client.get(reverse("campaigns:signed_document", args=[published_plan.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="03-kh-ldld-2026-da-ky.pdf"'
    data = download.content
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert len(data) == document.size == document.file.size

    sig = pdfsig(data)
    assert "Signature Field Name: ChuKySo" in sig
    assert f"Signer Certificate Common Name: {HOLDER}" in sig
    assert "Total document signed" in sig
    assert "Signature Validation: Signature is Valid." in sig
    stamp = pdf_text(data)
    assert f"Ký số bởi: {HOLDER} Đơn vị: LĐLĐ TỈNH AN PHÚ Thời gian ký: " in stamp
    assert "Phát động phong trào thi đua năm 2026" in stamp

    report = verify_pdf(data)
    assert report.intact and report.issued == document
    [signature] = report.signatures
    assert (signature.signer, signature.organization) == (HOLDER, HOLDER_ORG)
    assert (signature.intact, signature.valid, signature.trusted, signature.covers_whole_file) == (
        True,
        True,
        True,
        True,
    )
    assert abs(signature.signed_at - document.signed_at) < datetime.timedelta(minutes=1)


def test_only_a_published_plan_without_an_open_amendment_can_be_signed(
    client, settings, personas, draft_plan, published_plan, certificate
):
    client.force_login(personas.province_staff)
    response = client.post(
        reverse("campaigns:campaign_sign", args=[draft_plan.pk]),
        {"certificate": certificate.pk, "passphrase": PASSPHRASE},
    )
    assert response.status_code == 200
    assert "Chỉ ký được kế hoạch đã ban hành." in text(response)

    open_amendment(published_plan, actor=personas.province_staff, reason="Bổ sung chỉ tiêu")
    with pytest.raises(DomainError) as refused:
        sign_campaign(published_plan, actor=personas.province_staff, certificate=certificate, passphrase=PASSPHRASE)
    assert str(refused.value) == "Hãy ban hành phần sửa đổi, bổ sung trước khi ký."
    assert SignedDocument.objects.count() == 0
    assert signed_files(settings) == []


def test_a_wrong_passphrase_at_signing_is_explained_and_nothing_is_kept(
    client, settings, personas, published_plan, certificate
):
    client.force_login(personas.province_staff)
    response = client.post(
        reverse("campaigns:campaign_sign", args=[published_plan.pk]),
        {"certificate": certificate.pk, "passphrase": "mat khau cu"},
    )
    assert response.status_code == 200
    page = text(response)
    assert FIX_FIELDS in page
    assert WRONG_PASSPHRASE in page
    assert "mat khau cu" not in page
    assert SignedDocument.objects.count() == 0
    assert signed_files(settings) == []


def test_signing_needs_the_signing_right_on_the_owner(client, tree, personas, published_plan, certificate):
    outsider = make_user("bacson.quantri")
    make_membership(outsider, tree.other_province, "staff")
    url = reverse("campaigns:campaign_sign", args=[published_plan.pk])
    data = {"certificate": certificate.pk, "passphrase": PASSPHRASE}
    for user, status in [(personas.district_officer, 403), (personas.grassroots_chair, 403), (outsider, 404)]:
        client.force_login(user)
        assert client.post(url, data).status_code == status, user.username
    with pytest.raises(DomainError) as refused:
        sign_campaign(published_plan, actor=personas.district_officer, certificate=certificate, passphrase=PASSPHRASE)
    assert str(refused.value) == f"Bạn không có quyền ký văn bản của “{tree.province.name}”."
    assert SignedDocument.objects.count() == 0


# 3. Tampering and the public verification page ----------------------------------------------


def test_one_flipped_byte_breaks_the_signature_for_pdfsig_and_the_portal(signed):
    data = read(signed)
    tampered = flip_byte_in_signed_range(data)

    assert "Signature Validation: Signature is Valid." in pdfsig(data)
    assert "Signature Validation: Digest Mismatch." in pdfsig(tampered)
    assert "Signature is Valid." not in pdfsig(tampered)

    untouched = verify_pdf(data)
    assert untouched.intact and untouched.issued == signed
    # No trust anchor in the database: intact, but not from a trusted authority.
    assert untouched.signatures[0].trusted is False

    report = verify_pdf(tampered)
    assert report.intact is False
    assert report.issued is None
    assert report.sha256 == hashlib.sha256(tampered).hexdigest() != signed.sha256
    [signature] = report.signatures
    assert (signature.signer, signature.intact) == (HOLDER, False)


def test_anyone_can_verify_the_file_the_portal_issued(client, signed, trusted_ca):
    url = reverse("documents:verify")
    assert "Tải lên tệp PDF (tối đa 20 MB)." in text(client.get(url))

    response = client.post(url, {"file": pdf_file(read(signed))})

    assert response.status_code == 200
    page = visible(response)
    assert INTACT in page
    assert f"Người ký {HOLDER} ({HOLDER_ORG})" in page
    assert "Nội dung không thay đổi kể từ khi ký" in page
    assert "Chứng thư số do tổ chức chứng thực được cổng tin cậy cấp" in page
    stamp = re.search(r"Thời điểm ký (\d\d:\d\d:\d\d \d\d/\d\d/\d{4}) \(UTC\+07:00\)", page)
    shown = datetime.datetime.strptime(stamp.group(1), "%H:%M:%S %d/%m/%Y")
    assert abs(shown - timezone.localtime(signed.signed_at).replace(tzinfo=None)) < datetime.timedelta(minutes=1)
    assert (
        f"{ISSUED_HERE} Số: 03/KH-LĐLĐ – KẾ HOẠCH Phát động phong trào thi đua năm 2026, "
        f"ngày ban hành 15/1/2026; ký {short_datetime(signed.signed_at)}." in page
    )
    assert f"SHA-256: {signed.sha256}" in page
    assert MODIFIED not in page and NOT_ISSUED_HERE not in page


def test_the_verification_page_says_a_modified_file_was_modified(client, signed, trusted_ca):
    url = reverse("documents:verify")
    original = read(signed)
    # One byte changed inside the signed range; a line appended after the signature.
    for tampered in (flip_byte_in_signed_range(original), original + b"\n% them sau khi ky\n"):
        response = client.post(url, {"file": pdf_file(tampered)})
        assert response.status_code == 200
        page = visible(response)
        assert MODIFIED in page
        assert f"Người ký {HOLDER} ({HOLDER_ORG})" in page
        assert "Nội dung đã thay đổi sau khi ký" in page
        assert NOT_ISSUED_HERE in page
        assert INTACT not in page and ISSUED_HERE not in page
        assert f"SHA-256: {hashlib.sha256(tampered).hexdigest()}" in page
    assert SignedDocument.objects.count() == 1


VERIFY_REFUSALS = {
    "not a PDF": (lambda: b"PK\x03\x04 bang tinh", "Tệp không phải văn bản PDF."),
    "empty": (lambda: b"", "Tập tin được gửi là rỗng."),
    "over the limit": (lambda: b"%PDF-1.7\n" + b"0" * 1024 * 1024, "Tệp vượt quá dung lượng cho phép (1 MB)."),
    "damaged": (
        lambda: b"%PDF-1.7\n1 0 obj <<\n",
        "Tệp bị hỏng hoặc đã bị sửa đổi: không đọc được dưới dạng PDF.",
    ),
    "unsigned": (unsigned_pdf, "Tệp không có chữ ký số."),
}


@pytest.mark.parametrize("case", VERIFY_REFUSALS, ids=list(VERIFY_REFUSALS))
def test_the_verification_page_explains_files_it_cannot_vouch_for(client, db, settings, case):
    settings.VERIFY_MAX_BYTES = 1024 * 1024
    data, message = VERIFY_REFUSALS[case]

    response = client.post(reverse("documents:verify"), {"file": pdf_file(data())})

    assert response.status_code == 200
    page = visible(response)
    assert "Tải lên tệp PDF (tối đa 1 MB)." in page
    assert message in page
    assert INTACT not in page and ISSUED_HERE not in page


# 4. Downloading a signed file ----------------------------------------------------------------


def test_a_signed_file_is_served_only_under_its_own_plan(client, tree, personas, draft_plan, signed):
    client.force_login(personas.province_staff)
    own = reverse("campaigns:signed_document", args=[signed.object_id, signed.pk])
    assert client.get(own).status_code == 200
    # The user sees the draft plan too, but the document is not the draft's.
    assert client.get(reverse("campaigns:signed_document", args=[draft_plan.pk, signed.pk])).status_code == 404
    assert client.get(reverse("campaigns:signed_document", args=[signed.object_id, signed.pk + 1])).status_code == 404

    outsider = make_user("bacson.quantri")
    make_membership(outsider, tree.other_province, "staff")
    client.force_login(outsider)
    assert client.get(own).status_code == 404


# 5. The export_plan command ------------------------------------------------------------------


def export(plan, out, *options):
    stdout = io.StringIO()
    call_command("export_plan", str(plan.pk), "--out", str(out), *options, stdout=stdout)
    return stdout.getvalue()


def test_export_plan_signs_with_the_passphrase_from_the_environment(
    monkeypatch, tmp_path, personas, published_plan, certificate
):
    monkeypatch.setenv("SIGNING_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "ke-hoach-03.pdf"

    output = export(published_plan, out, "--sign", "--as", personas.leader_viewer.username)

    document = SignedDocument.objects.get()
    data = out.read_bytes()
    assert f"SHA-256 {document.sha256}" in output
    assert f"Wrote {out} ({len(data)} bytes)" in output
    assert data == read(document)
    assert (document.subject, document.certificate, document.signed_by) == (
        published_plan,
        certificate,
        personas.leader_viewer,
    )
    sig = pdfsig(data)
    assert f"Signer Certificate Common Name: {HOLDER}" in sig
    assert "Signature Validation: Signature is Valid." in sig


def test_export_plan_refuses_to_sign_without_what_it_needs(
    monkeypatch, tmp_path, settings, tree, personas, draft_plan, published_plan, certificate
):
    out = tmp_path / "ke-hoach.pdf"
    monkeypatch.setenv("SIGNING_PASSPHRASE", PASSPHRASE)
    cases = [
        ((published_plan, "--sign"), "--sign needs --as USERNAME, a user who may sign for the unit."),
        (
            (published_plan, "--sign", "--as", "khong.co.ai"),
            "--sign needs --as USERNAME, a user who may sign for the unit.",
        ),
        (
            (published_plan, "--sign", "--as", personas.district_officer.username),
            f"Bạn không có quyền ký văn bản của “{tree.province.name}”.",
        ),
        ((draft_plan, "--sign", "--as", personas.province_staff.username), "Chỉ ký được kế hoạch đã ban hành."),
        (
            (
                published_plan,
                "--sign",
                "--as",
                personas.province_staff.username,
                "--certificate",
                str(certificate.pk + 1),
            ),
            f"{tree.province.name} has no valid signing certificate.",
        ),
    ]
    for (plan, *options), message in cases:
        with pytest.raises(CommandError) as refused:
            export(plan, out, *options)
        assert str(refused.value) == message

    monkeypatch.setenv("SIGNING_PASSPHRASE", "sai mật khẩu")
    with pytest.raises(CommandError) as refused:
        export(published_plan, out, "--sign", "--as", personas.province_staff.username)
    assert str(refused.value) == WRONG_PASSPHRASE

    assert not out.exists()
    assert SignedDocument.objects.count() == 0
    assert signed_files(settings) == []


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_export_plan_without_a_passphrase_asks_only_on_a_terminal(
    monkeypatch, tmp_path, settings, personas, published_plan, certificate
):
    monkeypatch.delenv("SIGNING_PASSPHRASE", raising=False)
    out = tmp_path / "ke-hoach.pdf"
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": asked.append(prompt) or "")

    # A script or cron job (stdin not a terminal): a clear error instead of a prompt nobody answers.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError) as refused:
        export(published_plan, out, "--sign", "--as", personas.province_staff.username)
    assert str(refused.value) == "No passphrase: set SIGNING_PASSPHRASE or run the command in a terminal."
    assert asked == []

    # At a terminal the passphrase is asked for; pressing Enter gives an empty, wrong one.
    monkeypatch.setattr("sys.stdin", Terminal(""))
    with pytest.raises(CommandError) as refused:
        export(published_plan, out, "--sign", "--as", personas.province_staff.username)
    assert str(refused.value) == WRONG_PASSPHRASE
    assert asked == ["Certificate passphrase: "]

    assert not out.exists()
    assert SignedDocument.objects.count() == 0
    assert signed_files(settings) == []


def test_pyhanko_runs_in_a_thread_of_its_own_when_the_caller_runs_an_event_loop():
    async def caller():
        # asyncio.run inside a running loop raises; the helper moves it to another thread.
        return outside_event_loop(asyncio.run, asyncio.sleep(0, result="signed"))

    # A thread of the test's own, so that no loop of the test session is running in it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(lambda: asyncio.run(caller())).result() == "signed"


def test_signing_and_verifying_take_that_path_intact(published_plan, personas, certificate, trusted_ca, monkeypatch):
    # As under an async server or a browser-driving test: a loop runs in the calling thread.
    monkeypatch.setattr("documents.signing.loop_running", lambda: True)
    document = sign_campaign(
        published_plan, actor=personas.leader_viewer, certificate=certificate, passphrase=PASSPHRASE
    )
    report = verify_pdf(read(document))
    assert [(s.intact, s.valid, s.trusted) for s in report.signatures] == [(True, True, True)]
