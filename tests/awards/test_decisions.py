"""Award decisions: drafting from a disclosed list, amounts, issuing, signing, the printed
decision and list, certificates, revoking, and who may see what.

The district (CĐ phường Xuân Hòa) decides on people and a unit its grassroots union G1
proposed; the province staff manage it, the province's leader signs it.
"""

import datetime
import hashlib
import re
import subprocess
import tempfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from awards.models import (
    Decision,
    DecisionEntry,
    Honour,
    Nomination,
    NominationEvent,
    Objection,
    reward_amount,
)
from awards.printing import certificate_pdf
from awards.services import decisions as services
from awards.services.disclosure import ready_for_decision
from core.exceptions import ConflictError, DomainError
from documents.certificates import issue_ca, issue_certificate, to_pkcs12
from documents.models import Issuer, SignedDocument
from documents.services import upload_certificate
from tests.awards.factories import (
    decision_data,
    make_decision,
    make_disclosed_list,
    make_nomination,
    make_person,
)
from tests.factories import make_membership, make_user
from tests.pdf import pdf_fonts, pdf_pages, pdf_text, pdfsig
from tests.xlsx import XLSX, read_rows

DECIDED_ON = datetime.date(2026, 11, 16)
PASSPHRASE = "Mật khẩu ký số 2026!"
HOLDER = "Công đoàn phường Xuân Hòa"


def vi(message, **values):
    """A message as the Vietnamese pages show it (English until the lead translates it)."""
    with translation.override("vi"):
        text = gettext(message)
    return text % values if values else text


def page(response):
    return re.sub(r"\s+", " ", response.content.decode())


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def page_size(data):
    """(width, height) in points of the first page, as pdfinfo reads it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    return float(width), float(height)


class World:
    """G1 proposed two people and itself; the district council passed them; the disclosure is over."""

    def __init__(self, tree, personas):
        self.tree, self.personas = tree, personas
        self.unit, self.actor = tree.district, personas.province_staff
        self.an = make_person(tree.grassroots, "Nguyễn Văn An", position="Tổ trưởng tổ may", gender="nam")
        self.binh = make_person(tree.grassroots, "Trần Thị Bình", position="Kế toán", gender="nu")
        self.nominations = [
            self.nominate(person=self.an, entry="ldtt"),
            self.nominate(person=self.binh, entry="cstdcs"),
            self.nominate(unit=tree.grassroots, entry="giay-khen-ctt-tt"),
        ]
        self.disclosure = make_disclosed_list(self.unit, self.nominations, actor=self.actor)

    def nominate(self, **fields):
        fields.setdefault("status", "ready")
        return make_nomination(self.tree.grassroots, holder=self.unit, deciding_unit=self.unit, **fields)

    def data(self, nominations=None, **fields):
        chosen = self.nominations if nominations is None else nominations
        disclosure = fields.pop("disclosure", self.disclosure)
        return decision_data(self.unit, disclosure, chosen, self.actor, **fields)

    def draft(self, **fields):
        return services.create_decision(self.unit, actor=self.actor, data=self.data(**fields))

    def issued(self, **fields):
        return services.issue_decision(self.draft(**fields), actor=self.actor)

    def form(self, nominations=None, **fields):
        """The decision form's POST data."""
        data = self.data(nominations, **fields)
        post = {key: value for key, value in data.items() if key not in ("issuer", "disclosure", "nominations")}
        post.update(
            issuer=data["issuer"].pk,
            disclosure=data["disclosure"].pk,
            nominations=[n.pk for n in data["nominations"]],
            issued_on=data["issued_on"].isoformat(),
        )
        return post


@pytest.fixture
def world(tree, personas):
    return World(tree, personas)


# 1. Amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coefficient", "amount"),
    [("0.3", 710_000), ("1.5", 3_510_000), ("1", 2_340_000), ("0.6", 1_410_000), ("0.8", 1_880_000), ("0", 0)],
)
def test_the_reward_is_the_coefficient_times_the_base_salary_rounded_up_to_ten_thousand(coefficient, amount):
    assert reward_amount(Decimal(coefficient), Decimal(2_340_000)) == amount


# 2. Drafting ---------------------------------------------------------------------------------


def test_a_draft_lists_each_nomination_with_its_reward_on_the_base_salary_of_the_date(world):
    decision = world.draft()

    assert (decision.status, decision.year, decision.number, decision.issued_on) == ("draft", 2026, 1, DECIDED_ON)
    assert decision.base_salary == 2_340_000
    assert decision.number_line == "Số: 01/QĐ-CĐ"
    rows = [(e.name, e.description, str(e.entry), e.amount, e.nomination_id, e.order) for e in decision.entries.all()]
    an, binh, unit = world.nominations
    assert rows == [
        (
            "Nguyễn Văn An",
            "Tổ trưởng tổ may, Công đoàn cơ sở Công ty TNHH May Xuân Hòa",
            "Lao động tiên tiến",
            710_000,
            an.pk,
            1,
        ),
        (
            "Trần Thị Bình",
            "Kế toán, Công đoàn cơ sở Công ty TNHH May Xuân Hòa",
            "Chiến sĩ thi đua cơ sở",
            2_340_000,
            binh.pk,
            2,
        ),
        (
            "Công đoàn cơ sở Công ty TNHH May Xuân Hòa",
            "Công đoàn phường Xuân Hòa",
            "Giấy khen của Ban Chấp hành công đoàn cấp trên trực tiếp cơ sở (tập thể)",
            1_410_000,
            unit.pk,
            3,
        ),
    ]
    assert decision.total_amount() == 4_460_000
    # A draft awards nothing yet.
    assert set(Nomination.objects.values_list("status", flat=True)) == {"passed"}
    assert not Honour.objects.exists()
    assert decision.history.get().history_user == world.actor


def test_the_reward_follows_the_base_salary_in_force_on_the_decision_date(world):
    decision = world.draft(issued_on=datetime.date(2026, 11, 20))
    assert decision.base_salary == 2_340_000
    from awards.models import BaseSalary

    BaseSalary.objects.create(amount=2_530_000, valid_from=datetime.date(2026, 11, 18), legal_basis="Thử")
    decision = services.update_decision(
        decision, actor=world.actor, data=world.data(issued_on=datetime.date(2026, 11, 20))
    )
    assert decision.base_salary == 2_530_000
    # 0.3 × 2.530.000 = 759.000 → 760.000; 0.6 × 2.530.000 = 1.518.000 → 1.520.000
    assert [e.amount for e in decision.entries.all()] == [760_000, 2_530_000, 1_520_000]


def test_the_new_decision_page_offers_the_disclosed_list_and_saves_a_draft(client, world):
    client.force_login(world.actor)
    url = reverse("awards:decision_create", args=[world.unit.pk])

    form_page = client.get(url, {"disclosure": world.disclosure.pk})
    form = form_page.context["form"]
    assert form.initial["nominations"] == sorted(n.pk for n in world.nominations)
    assert form.initial["subject"] == "Về việc khen thưởng thành tích xuất sắc năm 2026"
    assert "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15" in form.initial["bases"]
    assert "999/QĐ-TLĐ" in form.initial["bases"]
    assert list(form.fields["nominations"].queryset.order_by("pk")) == world.nominations

    response = client.post(url, world.form())

    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    assert decision.entries.count() == 3
    detail = client.get(decision.get_absolute_url())
    assert messages_of(detail) == [
        vi("The draft decision %(number)s was saved with %(count)s awardee(s).", number="Số: 01/QĐ-CĐ", count=3)
    ]
    text = page(detail)
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" in text
    assert "4.460.000" in text and "2.340.000" in text


def test_a_decision_with_an_empty_list_is_refused(client, world):
    message = vi("Choose at least one nominee: a decision with an empty list cannot be made.")
    with pytest.raises(DomainError) as refused:
        world.draft(nominations=[])
    assert (str(refused.value), refused.value.field) == (message, "nominations")

    client.force_login(world.actor)
    response = client.post(reverse("awards:decision_create", args=[world.unit.pk]), world.form(nominations=[]))
    assert response.status_code == 200
    assert response.context["form"].errors["nominations"] == [message]
    assert 'value="Trần Văn Ký"' in page(response)  # the user's input is kept
    assert not Decision.objects.exists()


def test_a_number_already_used_in_the_year_is_refused_and_nothing_is_saved(client, world):
    first = services.create_decision(world.unit, actor=world.actor, data=world.data(nominations=world.nominations[:1]))
    message = vi("Number %(number)s of %(year)s is already used by another decision of this unit.", number=1, year=2026)

    with pytest.raises(DomainError) as refused:
        world.draft(nominations=world.nominations[1:], number=1)
    assert (str(refused.value), refused.value.field) == (message, "number")

    client.force_login(world.actor)
    response = client.post(
        reverse("awards:decision_create", args=[world.unit.pk]), world.form(world.nominations[1:], number=1)
    )
    assert response.context["form"].errors["number"] == [message]
    assert list(Decision.objects.all()) == [first]
    assert DecisionEntry.objects.count() == 1
    # The same number is free in another year, and for another unit.
    other = world.draft(nominations=world.nominations[1:], number=1, issued_on=datetime.date(2027, 1, 5))
    assert (other.number, other.year) == (1, 2027)


def test_a_number_must_be_positive(world):
    with pytest.raises(DomainError) as refused:
        world.draft(number=0)
    assert refused.value.field == "number"
    assert not Decision.objects.exists()


def test_a_disclosure_still_open_or_with_open_objections_is_refused_with_the_reasons(client, world, tree, personas):
    people = [make_person(tree.grassroots, f"Người {i}") for i in range(2)]
    nominations = [world.nominate(person=person) for person in people]
    running = make_disclosed_list(
        world.unit,
        nominations,
        starts_on=datetime.date(2026, 11, 12),
        ends_on=datetime.date(2026, 11, 30),
        actor=world.actor,
    )
    Objection.objects.create(disclosure=running, nomination=nominations[0], text="Chưa đủ thời gian công tác")
    reasons = ready_for_decision(running, day=DECIDED_ON)
    assert len(reasons) == 2

    with pytest.raises(DomainError) as refused:
        world.draft(disclosure=running, nominations=nominations)
    assert refused.value.field == "disclosure"
    assert str(refused.value) == vi("The disclosed list cannot be decided yet: %(reasons)s", reasons=" ".join(reasons))

    client.force_login(world.actor)
    url = reverse("awards:decision_create", args=[world.unit.pk])
    form = world.form(nominations, disclosure=running)
    response = client.post(url, {**form, "disclosure": running.pk})
    assert response.context["form"].errors["disclosure"] == [str(refused.value)]
    # The page lists the disclosures with why each is not ready.
    shown = dict(response.context["disclosures"])
    assert shown[running] == reasons and shown[world.disclosure] == []
    assert not Decision.objects.exists()


def test_a_nomination_not_passed_or_not_disclosed_cannot_be_decided(world, tree):
    not_voted = world.nominate(person=make_person(tree.grassroots, "Lê Văn Chưa"), status="in_council")
    with pytest.raises(DomainError) as refused:
        world.draft(nominations=[*world.nominations, not_voted])
    assert refused.value.field == "nominations"
    assert str(refused.value) == vi(
        "Not a passed nomination of this disclosure, so it cannot be decided: %(names)s.",
        names=str(not_voted.nominee),
    )
    # Passed but withdrawn after an upheld objection.
    rejected = world.nominations[0]
    Nomination.objects.filter(pk=rejected.pk).update(status="rejected")
    with pytest.raises(DomainError):
        world.draft(nominations=[rejected])
    assert not Decision.objects.exists()


def test_a_nomination_is_on_one_decision_only(world):
    world.draft(nominations=world.nominations[:1])
    with pytest.raises(DomainError) as refused:
        world.draft(nominations=world.nominations[:2], number=2)
    assert str(refused.value) == vi(
        "Already on another decision: %(names)s.", names="Nguyễn Văn An (Tổ trưởng tổ may) (Số: 01/QĐ-CĐ)"
    )
    assert Decision.objects.count() == 1


def test_the_decision_kind_must_match_the_nominations(world):
    with pytest.raises(DomainError) as refused:
        world.draft(award_kind="dot-xuat")
    assert refused.value.field == "nominations"


def test_a_draft_can_be_changed_and_a_stale_version_is_reported(client, world):
    decision = world.draft()
    changed = services.update_decision(
        decision,
        actor=world.actor,
        data=world.data(nominations=world.nominations[:2], subject="Về việc khen thưởng năm 2026"),
        expected_version=decision.version,
    )
    assert (changed.version, changed.subject, changed.entries.count()) == (2, "Về việc khen thưởng năm 2026", 2)
    with pytest.raises(ConflictError):
        services.update_decision(decision, actor=world.actor, data=world.data(), expected_version=1)

    client.force_login(world.actor)
    url = reverse("awards:decision_update", args=[decision.pk])
    response = client.post(url, {**world.form(), "version": 1})
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    assert Decision.objects.get().entries.count() == 2
    response = client.post(url, {**world.form(), "version": 2})
    assert response["Location"] == decision.get_absolute_url()
    assert Decision.objects.get().entries.count() == 3


def test_the_unit_without_an_issuer_is_offered_its_default_one(client, world, tree):
    Issuer.objects.filter(managed_by=world.unit).delete()
    client.force_login(world.actor)
    url = reverse("awards:decision_create", args=[world.unit.pk])
    response = client.get(url)
    assert response.context["has_issuer"] is False
    assert "CÔNG ĐOÀN PHƯỜNG XUÂN HÒA" in page(response)

    response = client.post(reverse("awards:decision_issuer_create", args=[world.unit.pk]))
    assert response["Location"] == url
    issuer = Issuer.objects.get(managed_by=world.unit)
    assert (issuer.name, issuer.abbreviation, issuer.organization) == ("CÔNG ĐOÀN PHƯỜNG XUÂN HÒA", "CĐ", world.unit)
    assert client.get(url).context["has_issuer"] is True


# 3. Issuing ----------------------------------------------------------------------------------


def test_issuing_awards_the_list_and_records_the_honours(client, world):
    decision = world.draft()
    client.force_login(world.actor)

    response = client.post(reverse("awards:decision_issue", args=[decision.pk]), {"version": decision.version})

    assert response["Location"] == decision.get_absolute_url()
    decision.refresh_from_db()
    assert decision.status == "issued"
    assert set(Nomination.objects.values_list("status", flat=True)) == {"decided"}
    events = NominationEvent.objects.filter(action="decided")
    assert sorted(e.nomination_id for e in events) == sorted(n.pk for n in world.nominations)
    assert {(e.unit, e.actor, e.note) for e in events} == {(world.unit, world.actor, "Số: 01/QĐ-CĐ ngày 16/11/2026")}
    honours = Honour.objects.order_by("pk")
    assert [(h.nominee, h.entry.code) for h in honours] == [
        (world.an, "ldtt"),
        (world.binh, "cstdcs"),
        (world.tree.grassroots, "giay-khen-ctt-tt"),
    ]
    assert {
        (h.source, h.decision, h.year, h.decision_number, h.decided_on, h.issuer_name, h.award_kind, h.revoked_on)
        for h in honours
    } == {("decision", decision, 2026, "Số: 01/QĐ-CĐ", DECIDED_ON, str(decision.issuer), "cong-trang", None)}
    assert messages_of(client.get(decision.get_absolute_url())) == [
        vi("Decision %(number)s is issued: %(count)s awardee(s) recorded.", number="Số: 01/QĐ-CĐ", count=3)
    ]
    # Issued is final: no second issue, no more changes.
    with pytest.raises(DomainError):
        services.issue_decision(decision, actor=world.actor)
    with pytest.raises(DomainError):
        services.update_decision(decision, actor=world.actor, data=world.data())
    assert client.get(reverse("awards:decision_update", args=[decision.pk]))["Location"] == decision.get_absolute_url()
    assert Honour.objects.count() == 3


def test_an_objection_raised_after_drafting_stops_the_issue(world):
    decision = world.draft()
    Objection.objects.create(disclosure=world.disclosure, nomination=world.nominations[0], text="Khiếu nại")
    with pytest.raises(DomainError) as refused:
        services.issue_decision(decision, actor=world.actor)
    assert refused.value.field == "disclosure"
    decision.refresh_from_db()
    assert decision.status == "draft"
    assert not Honour.objects.exists()
    assert set(Nomination.objects.values_list("status", flat=True)) == {"passed"}


# 4. The printed decision, the signature and the list ---------------------------------------


def test_the_unsigned_pdf_has_the_articles_and_every_awardee_on_the_appendix(client, world):
    decision = world.draft()
    client.force_login(world.actor)

    response = client.get(reverse("awards:decision_pdf", args=[decision.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="01-qd-cd-2026-ban-chua-ky.pdf"'
    data = response.content
    text = pdf_text(data)
    for expected in [
        "CÔNG ĐOÀN PHƯỜNG XUÂN HÒA",
        "Số: 01/QĐ-CĐ",
        "An Phú, ngày 16 tháng 11 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc khen thưởng thành tích xuất sắc năm 2026",
        "BAN THƯỜNG VỤ CÔNG ĐOÀN PHƯỜNG XUÂN HÒA",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Tặng danh hiệu “Lao động tiên tiến” cho 01 cá nhân; danh hiệu “Chiến sĩ thi đua cơ sở” cho 01 cá nhân;"
        " Giấy khen của Ban Chấp hành công đoàn cấp trên trực tiếp cơ sở cho 01 tập thể (có danh sách kèm theo),"
        " đã có thành tích xuất sắc trong phong trào thi đua năm 2026.",
        "mức lương cơ sở 2.340.000 đồng/tháng",
        "tổng số tiền thưởng là 4.460.000 đồng",
        "Điều 3.",
        "chịu trách nhiệm thi hành Quyết định này",
        "Nơi nhận:",
        "TM. BAN THƯỜNG VỤ",
        "Trần Văn Ký",
    ]:
        assert expected in text, expected
    pages = pdf_pages(data)
    appendix = next(p for p in pages if "DANH SÁCH KHEN THƯỞNG" in p)
    assert "Điều 3." not in appendix  # the list starts on its own page
    flat = re.sub(r"\s+", " ", appendix)
    assert "(Kèm theo Quyết định số 01/QĐ-CĐ ngày 16/11/2026 của Công đoàn phường Xuân Hòa)" in flat
    for name, entry, amount in [
        ("Nguyễn Văn An", "“Lao động tiên tiến”", "710.000"),
        ("Trần Thị Bình", "“Chiến sĩ thi đua cơ sở”", "2.340.000"),
        ("Công đoàn cơ sở Công ty TNHH May Xuân Hòa", "Giấy khen", "1.410.000"),
    ]:
        assert name in flat and entry in flat and amount in flat
    assert "4.460.000" in flat
    assert pdf_fonts(data) and all(embedded == "yes" for _name, embedded in pdf_fonts(data))


class Pki:
    def __init__(self):
        ca, ca_key = issue_ca(common_name="CA kiểm thử")
        certificate, key = issue_certificate(ca, ca_key, HOLDER, "Công đoàn Việt Nam")
        self.p12 = to_pkcs12(certificate, key, [ca], PASSPHRASE)


@pytest.fixture(scope="module")
def pki():
    return Pki()


@pytest.fixture
def certificate(world, pki):
    return upload_certificate(
        actor=world.actor, unit=world.unit, data=pki.p12, passphrase=PASSPHRASE, label="Chứng thư số phường"
    )


def test_sign_the_issued_decision_and_anyone_can_verify_it(client, world, certificate):
    decision = world.issued()
    client.force_login(world.personas.leader_viewer)  # the province's approver signs for the district
    url = reverse("awards:decision_sign", args=[decision.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"certificate": certificate.pk, "passphrase": PASSPHRASE})

    assert response["Location"] == decision.get_absolute_url()
    document = SignedDocument.objects.get()
    assert document.subject == decision
    assert (document.number_line, document.issued_on, document.signed_by, document.signer_name) == (
        "Số: 01/QĐ-CĐ",
        DECIDED_ON,
        world.personas.leader_viewer,
        HOLDER,
    )
    assert document.title == "QUYẾT ĐỊNH Về việc khen thưởng thành tích xuất sắc năm 2026"
    detail = client.get(decision.get_absolute_url())
    assert document in detail.context["signed"]

    download = client.get(reverse("awards:decision_signed", args=[decision.pk, document.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="01-qd-cd-2026-da-ky.pdf"'
    data = download.content
    assert hashlib.sha256(data).hexdigest() == document.sha256
    sig = pdfsig(data)
    assert f"Signer Certificate Common Name: {HOLDER}" in sig
    assert "Signature Validation: Signature is Valid." in sig
    assert "Total document signed" in sig
    text = pdf_text(data)
    assert all(name in text for name in ["Nguyễn Văn An", "Trần Thị Bình", "Công đoàn cơ sở Công ty TNHH May Xuân Hòa"])
    assert all(entry in text for entry in ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Giấy khen"])

    client.logout()
    verified = client.post(reverse("documents:verify"), {"file": SimpleUploadedFile("qd.pdf", data, "application/pdf")})
    report = verified.context["report"]
    assert report.intact and report.issued == document
    assert [s.valid for s in report.signatures] == [True]
    assert "Số: 01/QĐ-CĐ" in page(verified)


def test_only_an_issued_decision_is_signed_and_only_with_the_signing_right(client, world, certificate):
    draft = world.draft()
    with pytest.raises(DomainError):
        services.sign_decision(draft, actor=world.actor, certificate=certificate, passphrase=PASSPHRASE)
    client.force_login(world.personas.district_officer)
    assert client.get(reverse("awards:decision_sign", args=[draft.pk])).status_code == 403
    with pytest.raises(DomainError):
        services.sign_decision(
            draft, actor=world.personas.district_officer, certificate=certificate, passphrase=PASSPHRASE
        )
    assert not SignedDocument.objects.exists()


def test_the_excel_list_has_one_row_per_awardee_under_the_decision_number(client, world):
    decision = world.issued()
    client.force_login(world.personas.district_officer)

    response = client.get(reverse("awards:decision_export", args=[decision.pk]))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach-01-qd-cd-2026.xlsx"'
    rows = read_rows(response.content)
    assert rows[0][:2] == ["Số: 01/QĐ-CĐ ngày 16/11/2026", "Về việc khen thưởng thành tích xuất sắc năm 2026"]
    data = rows[3:]
    assert len(data) == decision.entries.count() == 3
    assert [row[:5] for row in data] == [
        [
            1,
            "Nguyễn Văn An",
            "Tổ trưởng tổ may, Công đoàn cơ sở Công ty TNHH May Xuân Hòa",
            "Lao động tiên tiến",
            710000,
        ],
        [2, "Trần Thị Bình", "Kế toán, Công đoàn cơ sở Công ty TNHH May Xuân Hòa", "Chiến sĩ thi đua cơ sở", 2340000],
        [
            3,
            "Công đoàn cơ sở Công ty TNHH May Xuân Hòa",
            "Công đoàn phường Xuân Hòa",
            "Giấy khen của Ban Chấp hành công đoàn cấp trên trực tiếp cơ sở",
            1410000,
        ],
    ]
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=4, column=5).number_format == "#,##0"


# 5. Certificates -----------------------------------------------------------------------------


def test_a_certificate_is_a_landscape_page_with_the_awardee(client, world):
    decision = world.issued()
    entry = decision.entries.get(person=world.binh)
    client.force_login(world.personas.grassroots_chair)  # G1 prints its own people's certificates

    response = client.get(reverse("awards:decision_certificate_pdf", args=[decision.pk, entry.pk]))

    assert response["Content-Type"] == "application/pdf"
    data = response.content
    width, height = page_size(data)
    assert width > height
    assert (round(width), round(height)) == (842, 595)
    text = pdf_text(data)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BAN THƯỜNG VỤ CÔNG ĐOÀN PHƯỜNG XUÂN HÒA",
        "GIẤY CHỨNG NHẬN",
        "Danh hiệu “Chiến sĩ thi đua cơ sở”",
        "Bà Trần Thị Bình",
        "Kế toán, Công đoàn cơ sở Công ty TNHH May Xuân Hòa",
        "Đã có thành tích xuất sắc trong phong trào thi đua năm 2026.",
        "Quyết định số 01/QĐ-CĐ ngày 16/11/2026",
        "An Phú, ngày 16 tháng 11 năm 2026",
        "Trần Văn Ký",
    ]:
        assert expected in text, expected
    assert [text for text in pdf_pages(data) if text.strip()] == pdf_pages(data)[:1]


def test_all_certificates_of_a_decision_in_one_pdf_one_page_each(world):
    decision = world.issued()
    filename, content_type, data = certificate_pdf(decision)
    assert filename == "01-qd-cd-2026-giay-khen.pdf"
    pages = [page_ for page_ in pdf_pages(data) if page_.strip()]
    assert len(pages) == 3
    assert "Ông Nguyễn Văn An" in pages[0] and "Lao động tiên tiến" in pages[0]
    assert "TẶNG" in pages[2] and "GIẤY KHEN" in pages[2] and "Công đoàn cơ sở Công ty TNHH May Xuân Hòa" in pages[2]
    assert page_size(data)[0] > page_size(data)[1]


def test_the_print_page_shows_each_certificate_with_a_print_button(client, world):
    decision = world.issued()
    client.force_login(world.actor)
    response = client.get(reverse("awards:decision_certificates", args=[decision.pk]))
    html = response.content.decode()
    assert html.count('class="certificate-sheet"') == 3
    assert 'id="print-button"' in html and "js/print-button.js" in html and "css/certificate.css" in html
    assert "Bà Trần Thị Bình" in html
    assert "<script>" not in html and "style=" not in html


def test_certificates_wait_for_the_decision_to_be_issued(client, world):
    decision = world.draft()
    client.force_login(world.actor)
    for name in ["awards:decision_certificates", "awards:decision_certificates_pdf"]:
        response = client.get(reverse(name, args=[decision.pk]))
        assert response["Location"] == decision.get_absolute_url()


# 6. Revoking ---------------------------------------------------------------------------------


def test_revoking_marks_every_honour_and_the_nominations_timeline(client, world):
    decision = world.issued()
    client.force_login(world.actor)
    url = reverse("awards:decision_revoke", args=[decision.pk])

    refused = client.post(url, {"reason": "  "}, follow=True)
    assert messages_of(refused) == [vi("Give the reason for revoking the decision.")]
    assert Decision.objects.get().status == "issued"

    response = client.post(url, {"reason": "Khai man thành tích (Điều 93)"})

    assert response["Location"] == decision.get_absolute_url()
    decision.refresh_from_db()
    assert (decision.status, decision.revoked_by, decision.revoke_reason) == (
        "revoked",
        world.actor,
        "Khai man thành tích (Điều 93)",
    )
    assert decision.revoked_at is not None
    today = timezone.localdate()
    assert {(h.revoked_on, h.revoke_reason) for h in Honour.objects.all()} == {(today, "Khai man thành tích (Điều 93)")}
    assert Honour.objects.count() == 3 and not Honour.objects.standing().exists()
    events = NominationEvent.objects.filter(action="revoked")
    assert sorted(e.nomination_id for e in events) == sorted(n.pk for n in world.nominations)
    assert {e.note for e in events} == {"Khai man thành tích (Điều 93)"}

    detail = client.get(decision.get_absolute_url())
    text = page(detail)
    assert "Khai man thành tích (Điều 93)" in text
    assert reverse("awards:decision_certificates", args=[decision.pk]) not in text
    assert reverse("awards:decision_certificates_pdf", args=[decision.pk]) not in text
    for name in ["awards:decision_certificates", "awards:decision_certificates_pdf"]:
        assert client.get(reverse(name, args=[decision.pk]))["Location"] == decision.get_absolute_url()
    entry = decision.entries.first()
    assert client.get(reverse("awards:decision_certificate_pdf", args=[decision.pk, entry.pk])).status_code == 302
    history = page(client.get(reverse("awards:person_history", args=[world.an.pk])))
    assert "Khai man thành tích (Điều 93)" in history and "<s>Lao động tiên tiến</s>" in history
    with pytest.raises(DomainError):
        services.revoke_decision(decision, actor=world.actor, reason="Lần nữa")


def test_a_draft_cannot_be_revoked(world):
    decision = world.draft()
    with pytest.raises(DomainError):
        services.revoke_decision(decision, actor=world.actor, reason="Nhầm")
    assert Decision.objects.get().status == "draft"


# 7. Who sees what ----------------------------------------------------------------------------


def test_a_nominating_unit_sees_the_issued_decision_listing_its_people_but_not_others(client, world, tree, personas):
    ours = world.issued()
    theirs = make_decision(
        world.unit,
        [(tree.other_grassroots, make_person(tree.other_grassroots, "Hoàng Văn Giày"), "ldtt")],
        actor=world.actor,
        status="issued",
        number=2,
    )
    draft = make_decision(
        world.unit,
        [(tree.grassroots, make_person(tree.grassroots, "Đỗ Thị Nháp"), "ldtt")],
        actor=world.actor,
        number=3,
    )
    client.force_login(personas.grassroots_chair)

    assert client.get(reverse("awards:decision_detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("awards:decision_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("awards:decision_detail", args=[draft.pk])).status_code == 404  # drafts stay in-house
    assert client.get(reverse("awards:decision_pdf", args=[theirs.pk])).status_code == 404
    # Seeing is not managing.
    assert client.post(reverse("awards:decision_revoke", args=[ours.pk]), {"reason": "x"}).status_code == 403
    listed = client.get(reverse("awards:decision_list")).context["decisions"]
    assert list(listed) == [ours]

    client.force_login(personas.other_grassroots_chair)
    assert client.get(reverse("awards:decision_detail", args=[ours.pk])).status_code == 404
    assert [d.pk for d in client.get(reverse("awards:decision_list")).context["decisions"]] == [theirs.pk]


def test_an_outsider_finds_nothing(client, world, tree):
    decision = world.issued()
    outsider = make_user("bacson.quantri")
    make_membership(outsider, tree.other_province, "staff")
    client.force_login(outsider)
    for name in [
        "awards:decision_detail",
        "awards:decision_pdf",
        "awards:decision_export",
        "awards:decision_certificates",
    ]:
        assert client.get(reverse(name, args=[decision.pk])).status_code == 404, name
    assert client.post(reverse("awards:decision_issue", args=[decision.pk])).status_code == 404
    assert client.get(reverse("awards:decision_create", args=[world.unit.pk])).status_code == 404
    assert not client.get(reverse("awards:decision_list")).context["decisions"]


def test_the_list_filters_by_year_and_status(client, world, personas):
    issued = world.issued(nominations=world.nominations[:1])
    draft = world.draft(nominations=world.nominations[1:], number=2)
    client.force_login(personas.leader_viewer)
    url = reverse("awards:decision_list")
    assert {d.pk for d in client.get(url).context["decisions"]} == {issued.pk, draft.pk}
    assert [d.pk for d in client.get(url, {"status": "issued"}).context["decisions"]] == [issued.pk]
    assert [d.pk for d in client.get(url, {"year": "2026", "status": "draft"}).context["decisions"]] == [draft.pk]
    assert not client.get(url, {"year": "2025"}).context["decisions"]
    listed = client.get(url, {"status": "issued"}).context["decisions"][0]
    assert (listed.awardees, listed.amount) == (1, 710_000)


def test_state_changes_refuse_get(client, world):
    decision = world.draft()
    client.force_login(world.actor)
    for name in ["awards:decision_issue", "awards:decision_revoke"]:
        assert client.get(reverse(name, args=[decision.pk])).status_code == 405
    assert client.get(reverse("awards:decision_issuer_create", args=[world.unit.pk])).status_code == 405
    assert Decision.objects.get().status == "draft"
