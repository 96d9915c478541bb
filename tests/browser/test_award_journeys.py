"""The awards flow in Chromium, from the nomination to the printed certificate.

A grassroots union nominates two of its people and itself for the district's giấy khen and
sends them up with an evidence file; the district checks them against the criteria and puts
them before its council; the council meets, votes in a secret ballot and the minutes print;
the district publishes the list, the grassroots chair objects to one nominee and the district
answers; the district issues the award decision, signs it and anyone can verify the signed
PDF; the certificates print on A4 landscape. The nomination step runs once more at phone width.

Texts are looked up in the Vietnamese catalogue with ``vi()`` rather than copied, so the test
follows the translators; buttons are found by the form they post to, fields by their name.
"""

import datetime
import re
import subprocess
import tempfile

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from awards.models import (
    Council,
    CouncilMember,
    Decision,
    Disclosure,
    Honour,
    Meeting,
    Nomination,
    NominationEvent,
    Objection,
    Rating,
)
from documents.certificates import fingerprint, issue_ca, issue_certificate, to_pem, to_pkcs12
from documents.models import SignedDocument, TrustAnchor
from documents.services import upload_certificate
from tests.awards.factories import award_form, make_person
from tests.browser.helpers import fits
from tests.factories import make_membership, make_user
from tests.pdf import pdf_text, pdfsig

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Late in the year: the year's achievements are being rewarded. Pinned so that the form's
# default year, the disclosure's dates and the decision's number do not depend on the clock.
TODAY = datetime.date(2026, 11, 20)
YEAR = 2026

GRASSROOTS = "Công đoàn cơ sở Công ty TNHH May Xuân Hòa"
DISTRICT = "Công đoàn phường Xuân Hòa"
HOA, BINH = "Nguyễn Thị Hoa", "Trần Văn Bình"
PERSON_FORM, UNIT_FORM = "giay-khen-ctt-cn", "giay-khen-ctt-tt"
EVIDENCE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EVIDENCE_NAME = "Báo cáo thành tích Nguyễn Thị Hoa.pdf"
PASSPHRASE = "mat-khau-phuong-2026"
SIGNER = "Lê Văn Chủ"
OVERRIDE = "Đồng chí Bình được xếp loại hoàn thành nhiệm vụ nhưng có thành tích đột xuất trong phòng chống bão."
OBJECTION = "Đồng chí Bình nghỉ việc không lý do 3 ngày trong tháng 8."
RESOLUTION = "Đã xác minh: 3 ngày nghỉ có đơn, được Giám đốc duyệt; ý kiến không có cơ sở."


def vi(message, **values):
    """A UI text as the Vietnamese pages show it (the English msgid while not translated yet)."""
    with translation.override("vi"):
        text = gettext(message)
    return text % values if values else text


def vi_n(singular, plural, count, **values):
    with translation.override("vi"):
        text = ngettext(singular, plural, count)
    return text % {"count": count, **values}


# Fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def today(monkeypatch):
    """Pin the portal's "today" (the live server runs in this process)."""
    localdate = timezone.localdate

    def pinned(value=None, timezone=None):
        return TODAY if value is None else localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", pinned)
    return TODAY


@pytest.fixture
def people(tree):
    """Two workers of May Xuân Hòa with their rating of the year: Hoa meets the giấy khen's
    criterion (“hoàn thành tốt nhiệm vụ” at least), Bình does not."""
    hoa = make_person(tree.grassroots, HOA, position="Tổ trưởng tổ may 3")
    binh = make_person(tree.grassroots, BINH, position="Công nhân tổ cắt")
    Rating.objects.create(person=hoa, year=YEAR, kind="duty", level=2)
    Rating.objects.create(person=binh, year=YEAR, kind="duty", level=3)
    return {"hoa": hoa, "binh": binh}


@pytest.fixture
def district_staff(tree):
    """The district's awards staff: reviews, publishes, decides and signs."""
    user = make_user("phuong.quantri", full_name="Đỗ Văn Quận")
    make_membership(user, tree.district, "staff", position="Phó Chủ tịch")
    return user


@pytest.fixture
def council(tree):
    """The district's council of the year: a secretary, the chair and a member, all district users."""
    council = Council.objects.create(
        organization=tree.district, name=f"Hội đồng Thi đua – Khen thưởng năm {YEAR}", year=YEAR
    )
    for username, full_name, role in [
        ("phuong.thuky", "Ngô Thị Thư", "secretary"),
        ("phuong.chutich", SIGNER, "chair"),
        ("phuong.uyvien", "Mai Văn Viên", "member"),
    ]:
        user = make_user(username, full_name=full_name)
        make_membership(user, tree.district, "viewer")
        CouncilMember.objects.create(council=council, user=user, role=role)
    return council


@pytest.fixture
def district_certificate(tree, district_staff):
    """The district's signing certificate, issued by a test CA the portal trusts."""
    ca, ca_key = issue_ca(common_name="CA thử nghiệm hành trình khen thưởng")
    TrustAnchor.objects.create(name="CA thử nghiệm", certificate_pem=to_pem(ca), fingerprint=fingerprint(ca))
    certificate, key = issue_certificate(ca, ca_key, DISTRICT, DISTRICT)
    return upload_certificate(
        actor=district_staff,
        unit=tree.district,
        data=to_pkcs12(certificate, key, [ca], PASSPHRASE),
        passphrase=PASSPHRASE,
        label="Chứng thư số Công đoàn phường Xuân Hòa",
    )


# Helpers ---------------------------------------------------------------------------------------


def field(page, name):
    return page.locator(f"[name='{name}']")


def posting_to(page, url):
    """The submit button of the form that posts to ``url``."""
    return page.locator(f"form[action='{url}'] button[type=submit]")


def link_to(page, url):
    return page.locator(f"main a[href='{url}']").first


def alert(page):
    return page.locator(".messages [role=alert]")


def heading(page):
    return page.get_by_role("heading", level=1)


def confirm(page, questions):
    """Accept the next confirm() the page asks, keeping its question."""
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))


def sign_out(page):
    """The user menu's “Sign out” (behind the menu button at phone width)."""
    toggler = page.get_by_role("button", name=vi("Show menu"))
    if toggler.is_visible():
        toggler.click()
    page.locator(".portal-navbar .dropdown-toggle").click()
    posting_to(page, reverse("accounts:logout")).click()
    expect(posting_to(page, reverse("accounts:logout"))).to_have_count(0)


def switch_to(page, sign_in, username):
    sign_out(page)
    sign_in(username)


def open_awards(page, area):
    """From any page: the main menu's “Awards”, then one of its areas (by its URL name)."""
    page.wait_for_load_state()
    toggler = page.get_by_role("button", name=vi("Show menu"))
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.show").wait_for()  # a link clicked while the menu slides open is missed
    menu = page.get_by_role("navigation", name=vi("Main menu"))
    menu.locator(f"a[href='{reverse('awards:index')}']").click()
    expect(heading(page)).to_have_text(vi("Emulation and awards"))
    link_to(page, reverse(area)).click()


def page_sizes(data):
    """(width, height) in points of each page of a PDF, as pdfinfo reads them."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "999", handle.name], capture_output=True, text=True, check=True
        ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def download(page, locator):
    with page.expect_download() as info:
        locator.click()
    result = info.value
    return result.suggested_filename, result.path().read_bytes()


def nominate(page, tree, *, nominee, entry, summary, phone=False):
    """The grassroots chair writes a draft nomination from the nominations page; returns it."""
    open_awards(page, "awards:nomination_list")
    expect(heading(page)).to_have_text(vi("Nominations (đề nghị khen thưởng)"))
    fits(page, phone)
    page.get_by_role("button", name=vi("New nomination")).click()
    page.locator(f"a.dropdown-item[href='{reverse('awards:nomination_create', args=[tree.grassroots.pk])}']").click()
    expect(heading(page)).to_have_text(vi("New nomination"))
    fits(page, phone)
    collective = nominee == tree.grassroots
    page.locator(f"input[name=kind][value={'collective' if collective else 'individual'}]").check()
    # nomination-form.js shows only the list the radio asks for.
    expect(field(page, "organization" if collective else "person")).to_be_visible()
    expect(field(page, "person" if collective else "organization")).to_be_hidden()
    field(page, "organization" if collective else "person").select_option(str(nominee.pk))
    field(page, "entry").select_option(f"f-{award_form(entry).pk}")
    expect(field(page, "year")).to_have_value(str(YEAR))
    expect(field(page, "award_kind")).to_have_value("cong-trang")
    field(page, "summary").fill(summary)
    fits(page, phone)
    page.locator("form[data-nomination-form] button[type=submit]").click()
    nomination = Nomination.objects.order_by("-pk").first()
    assert nomination is not None and nomination.nominee == nominee
    expect(alert(page)).to_contain_text(vi("The nomination of %(nominee)s was saved as a draft.", nominee=nominee))
    expect(heading(page)).to_contain_text(nominee.full_name if not collective else nominee.name)
    assert (nomination.status, nomination.nominator, nomination.holder, nomination.deciding_unit) == (
        "draft",
        tree.grassroots,
        tree.grassroots,
        tree.district,  # the directly-superior union decides its giấy khen
    )
    fits(page, phone)
    return nomination


def attach_evidence(page, nomination, tmp_path, phone=False):
    path = tmp_path / EVIDENCE_NAME
    path.write_bytes(EVIDENCE)
    field(page, "evidence-file").set_input_files(path)
    posting_to(page, reverse("awards:nomination_evidence_upload", args=[nomination.pk])).click()
    expect(alert(page)).to_contain_text(vi("The file %(name)s was added to the dossier.", name=EVIDENCE_NAME))
    expect(page.get_by_role("link", name=EVIDENCE_NAME)).to_be_visible()
    assert [e.original_name for e in nomination.evidence.all()] == [EVIDENCE_NAME]
    fits(page, phone)


def send_up(page, nomination, tree, phone=False):
    posting_to(page, reverse("awards:nomination_submit", args=[nomination.pk])).click()
    expect(alert(page)).to_contain_text(vi("The nomination was sent to %(unit)s for review.", unit=DISTRICT))
    expect(page.locator("main")).to_contain_text(vi("Awaiting review"))
    # Sent: nothing left to change from the grassroots side.
    expect(posting_to(page, reverse("awards:nomination_submit", args=[nomination.pk]))).to_have_count(0)
    expect(field(page, "evidence-file")).to_have_count(0)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder) == ("pending", tree.district)
    fits(page, phone)


def checks_table(page):
    return page.get_by_role("table", name=vi("Criteria and their results"))


# The journey -----------------------------------------------------------------------------------


def test_nominees_go_from_the_grassroots_through_the_council_to_a_signed_decision_and_certificates(
    page, sign_in, browser, live_server, tree, personas, people, district_staff, council, district_certificate,
    today, tmp_path,
):  # fmt: skip
    questions = []
    hoa, binh = people["hoa"], people["binh"]

    # 1. The grassroots chair nominates two workers and the union itself, with a file for Hoa.
    sign_in("may.chutich")
    summary = "Hoàn thành xuất sắc nhiệm vụ được giao, vượt 15% định mức sản lượng."
    hoa_n = nominate(page, tree, nominee=hoa, entry=PERSON_FORM, summary=summary)
    attach_evidence(page, hoa_n, tmp_path)
    send_up(page, hoa_n, tree)
    binh_n = nominate(page, tree, nominee=binh, entry=PERSON_FORM, summary="Tích cực trong phòng chống bão số 3.")
    send_up(page, binh_n, tree)
    unit_n = nominate(
        page, tree, nominee=tree.grassroots, entry=UNIT_FORM, summary="Công đoàn cơ sở vững mạnh, 100% đoàn viên."
    )
    send_up(page, unit_n, tree)
    open_awards(page, "awards:nomination_list")
    mine = page.get_by_role("table", name=vi("Nominations proposed by my units"))
    expect(mine.locator("tbody tr")).to_have_count(3)
    expect(mine.get_by_role("row", name=re.compile(BINH))).to_contain_text(vi("Awaiting review"))

    # 2. The district's staff review what came up: eligibility, then accept for the council.
    switch_to(page, sign_in, "phuong.quantri")
    open_awards(page, "awards:nomination_list")
    review_tab = page.locator("main a.nav-link[href*='tab=review']")
    expect(review_tab).to_contain_text("3")
    review_tab.click()
    to_review = page.get_by_role("table", name=vi("Nominations to review"))
    expect(to_review.locator("tbody tr")).to_have_count(3)
    expect(to_review).not_to_contain_text(vi("Not checked yet"))  # checked when sent up

    # Hoa meets the criterion; her file downloads for the reviewer.
    to_review.get_by_role("link", name=re.compile(HOA)).click()
    expect(heading(page)).to_contain_text(HOA)
    row = checks_table(page).locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Hoàn thành tốt nhiệm vụ trở lên")
    expect(row.locator(".badge.text-bg-success")).to_have_text(vi("Met"))
    expect(row).to_contain_text(vi("Rated “%(level)s” for %(year)s.", level="Hoàn thành tốt nhiệm vụ", year=YEAR))
    name, data = download(page, page.get_by_role("link", name=EVIDENCE_NAME))
    assert (name, data) == (EVIDENCE_NAME, EVIDENCE)
    expect(field(page, "accept-override_reason")).to_have_count(0)  # nothing fails: no reason asked
    posting_to(page, reverse("awards:nomination_accept", args=[hoa_n.pk])).click()
    expect(alert(page)).to_contain_text(vi("The nomination goes before the council of %(unit)s.", unit=DISTRICT))
    expect(page.locator("main")).to_contain_text(vi("Ready for the council"))

    # Bình fails it: the reviewer records the check, and accepting asks for the reason.
    page.goto(reverse("awards:nomination_detail", args=[binh_n.pk]))
    row = checks_table(page).locator("tbody tr")
    expect(row.locator(".badge.text-bg-danger")).to_have_text(vi("Not met"))
    needed = vi(
        "Rated “%(level)s” for %(year)s; needs “%(needed)s”.",
        level="Hoàn thành nhiệm vụ",
        year=YEAR,
        needed="Hoàn thành tốt nhiệm vụ",
    )
    expect(row).to_contain_text(needed)
    expect(page.locator("#checks-heading")).to_contain_text(vi("Fails a criterion"))
    posting_to(page, reverse("awards:nomination_check", args=[binh_n.pk])).click()
    expect(alert(page)).to_contain_text(vi("The eligibility check was recorded in the dossier."))
    timeline = page.locator("section[aria-labelledby=timeline-heading]")
    expect(timeline).to_contain_text(vi("Eligibility checked"))
    expect(timeline).to_contain_text(vi("Fails a criterion"))
    accept = posting_to(page, reverse("awards:nomination_accept", args=[binh_n.pk]))
    expect(field(page, "accept-override_reason")).to_be_visible()
    accept.click()
    refusal = vi("“%(nominee)s” fails a criterion; give the reason for sending it on anyway.", nominee=binh)
    expect(page.locator("form", has=field(page, "accept-override_reason"))).to_contain_text(refusal)
    binh_n.refresh_from_db()
    assert binh_n.status == "pending"
    field(page, "accept-override_reason").fill(OVERRIDE)
    accept.click()
    expect(alert(page)).to_contain_text(vi("The nomination goes before the council of %(unit)s.", unit=DISTRICT))
    expect(page.locator("main")).to_contain_text(OVERRIDE)

    # The union's own nomination cannot be judged yet: no approved registration of the year.
    page.goto(reverse("awards:nomination_detail", args=[unit_n.pk]))
    row = checks_table(page).locator("tbody tr")
    expect(row).to_contain_text("Báo cáo đầy đủ các đợt thi đua trong năm")
    expect(row.locator(".badge.text-bg-warning")).to_have_text(vi("Unknown"))
    expect(row).to_contain_text(vi("No approved registration for %(year)s.", year=YEAR))
    expect(field(page, "accept-override_reason")).to_have_count(0)  # unknown is not a failure
    posting_to(page, reverse("awards:nomination_accept", args=[unit_n.pk])).click()
    expect(alert(page)).to_contain_text(vi("The nomination goes before the council of %(unit)s.", unit=DISTRICT))
    assert set(Nomination.objects.values_list("status", flat=True)) == {"ready"}
    assert Nomination.objects.get(pk=binh_n.pk).override_reason == OVERRIDE

    # 3. The council meets. The secretary schedules the meeting and sets its agenda.
    switch_to(page, sign_in, "phuong.thuky")
    open_awards(page, "awards:council_list")
    link_to(page, council.get_absolute_url()).click()
    expect(heading(page)).to_have_text(council.name)
    link_to(page, reverse("awards:meeting_create", args=[council.pk])).click()
    expect(field(page, "held_on")).to_be_visible()
    field(page, "held_on").fill(TODAY.isoformat())
    field(page, "place").fill("Hội trường UBND phường Xuân Hòa")
    page.locator("main form button[type=submit]").click()
    expect(alert(page)).to_contain_text(vi("The meeting was scheduled. Now put the nominations on its agenda."))
    meeting = Meeting.objects.get(council=council)
    candidates = field(page, "nominations")
    expect(candidates).to_have_count(3)
    for box in candidates.all():
        box.check()
    page.locator("main form button[type=submit]").click()
    expect(alert(page)).to_contain_text(vi("%(count)d nominations were put on the agenda.", count=3))
    on_agenda = page.locator("section[aria-labelledby=on-agenda-heading] li")
    expect(on_agenda).to_have_count(3)
    assert set(Nomination.objects.values_list("status", flat=True)) == {"in_council"}

    # It opens with everyone present and opens ballot round 1.
    page.goto(meeting.get_absolute_url())
    link_to(page, reverse("awards:meeting_open", args=[meeting.pk])).click()
    present = field(page, "present")
    expect(present).to_have_count(3)
    for box in present.all():
        box.check()
    page.locator("main form button[type=submit]").click()
    expect(alert(page)).to_contain_text(vi("The meeting is open. Open ballot round 1 when the council is ready."))
    posting_to(page, reverse("awards:meeting_round_open", args=[meeting.pk])).click()
    expect(alert(page)).to_contain_text(
        vi("Ballot round %(round)d is open: the members present can vote now.") % {"round": 1}
    )

    # Every member, the secretary too, agrees to each nominee on a secret ballot.
    def vote():
        expect(heading(page)).to_have_text(vi("My ballot (phiếu bầu)"))
        agree = page.locator("main input[type=radio][value=yes]")
        expect(agree).to_have_count(3)
        for radio in agree.all():
            radio.check()
        confirm(page, questions)
        page.locator("main form button[type=submit]").click()
        expect(alert(page)).to_contain_text(vi("Your ballot for round %(round)d was recorded.") % {"round": 1})
        assert questions.pop() == vi("Hand in your ballot? It cannot be changed afterwards.")
        expect(page.locator("main table tbody tr")).to_have_count(3)  # my own votes, and only mine

    link_to(page, reverse("awards:meeting_ballot", args=[meeting.pk])).click()
    vote()
    for username in ["phuong.chutich", "phuong.uyvien"]:
        switch_to(page, sign_in, username)
        open_awards(page, "awards:council_list")
        my_work = page.locator("section[aria-labelledby=my-work-heading]")
        my_work.locator(f"a[href='{reverse('awards:meeting_ballot', args=[meeting.pk])}']").click()
        vote()
        # A member cannot count the round: that is the secretary's.
        page.goto(meeting.get_absolute_url())
        expect(posting_to(page, reverse("awards:meeting_round_close", args=[meeting.pk]))).to_have_count(0)

    # The secretary counts the round, closes the meeting and prints the minutes.
    switch_to(page, sign_in, "phuong.thuky")
    page.goto(meeting.get_absolute_url())
    run = page.locator("section[aria-labelledby=run-heading]")
    expect(run).to_contain_text(
        vi(
            "Round %(round)s: %(voted)s of %(present)s members present have handed in their ballot.",
            round=1,
            voted=3,
            present=3,
        )
    )
    confirm(page, questions)
    posting_to(page, reverse("awards:meeting_round_close", args=[meeting.pk])).click()
    expect(alert(page)).to_contain_text(vi("Ballot round %(round)d was counted.") % {"round": 1})
    assert questions.pop() == vi("Count this round? Members who have not voted can no longer vote in it.")
    results = page.locator("main table tbody tr")
    expect(results).to_have_count(3)
    for index in range(3):
        expect(results.nth(index).locator("td").nth(1)).to_have_text("3 / 0")
        expect(results.nth(index).locator("td").last).to_have_text(vi("Passed"))
    confirm(page, questions)
    posting_to(page, reverse("awards:meeting_close", args=[meeting.pk])).click()
    expect(alert(page)).to_contain_text(vi("The meeting is closed; the minutes can be printed."))
    assert questions.pop() == vi("Close the meeting? Nominees not decided yet will have not passed.")
    filename, minutes = download(page, link_to(page, reverse("awards:meeting_minutes", args=[meeting.pk])))
    assert filename.endswith(".pdf") and minutes.startswith(b"%PDF")
    text = pdf_text(minutes)
    for name in [HOA, BINH, GRASSROOTS, "BIÊN BẢN", "Ngô Thị Thư", SIGNER]:
        assert name in text, name
    assert set(Nomination.objects.values_list("status", flat=True)) == {"passed"}
    assert NominationEvent.objects.filter(action="voted").count() == 3

    # 4. The district's staff publish the list; the grassroots chair objects to Bình.
    switch_to(page, sign_in, "phuong.quantri")
    page.goto(meeting.get_absolute_url())
    link_to(page, reverse("awards:disclosure_create", args=[meeting.pk])).click()
    expect(field(page, "starts_on")).to_have_value(TODAY.isoformat())
    expect(field(page, "ends_on")).to_have_value((TODAY + datetime.timedelta(days=10)).isoformat())
    field(page, "note").fill("Niêm yết tại trụ sở và trên cổng thông tin trong 10 ngày.")
    page.locator("main form button[type=submit]").click()
    expect(alert(page)).to_contain_text(vi("The list was published."))
    disclosure = Disclosure.objects.get(meeting=meeting)
    listed = page.get_by_role("table", name=vi("Proposed list"))
    expect(listed.locator("tbody tr")).to_have_count(3)
    expect(page.locator("main .alert-warning")).to_contain_text(vi("An award decision cannot be issued yet:"))

    switch_to(page, sign_in, "may.chutich")
    open_awards(page, "awards:disclosure_list")
    link_to(page, disclosure.get_absolute_url()).click()
    expect(page.locator("main")).to_contain_text(vi("Open for objections"))
    link_to(page, reverse("awards:objection_create", args=[disclosure.pk, binh_n.pk])).click()
    field(page, "text").fill(OBJECTION)
    page.locator("main form button[type=submit]").click()
    expect(alert(page)).to_contain_text(vi("Your objection was recorded; the unit will answer it."))
    objections = page.locator("section[aria-labelledby=objections-heading]")
    expect(objections).to_contain_text(OBJECTION)
    expect(objections).to_contain_text(vi("Not resolved yet."))

    switch_to(page, sign_in, "phuong.quantri")
    page.goto(disclosure.get_absolute_url())
    expect(page.locator("main .alert-warning")).to_contain_text(
        vi_n("%(count)d objection is not resolved yet.", "%(count)d objections are not resolved yet.", 1)
    )
    objection = Objection.objects.get()
    link_to(page, reverse("awards:objection_resolve", args=[objection.pk])).click()
    field(page, "resolution").fill(RESOLUTION)
    page.locator("input[name=upheld][value=no]").check()
    page.locator("main form button[type=submit]").click()
    expect(alert(page)).to_contain_text(vi("The objection was resolved."))
    expect(objections).to_contain_text(vi("Not upheld: the nomination stands."))
    expect(objections).to_contain_text(RESOLUTION)
    objection.refresh_from_db()
    assert (objection.upheld, objection.resolved_by) == (False, district_staff)
    assert Nomination.objects.get(pk=binh_n.pk).status == "passed"

    # The objection period passes: rather than wait ten days, move the disclosure's dates
    # into the past in the database (the portal's "today" is pinned to TODAY).
    Disclosure.objects.filter(pk=disclosure.pk).update(
        starts_on=TODAY - datetime.timedelta(days=20), ends_on=TODAY - datetime.timedelta(days=10)
    )
    page.reload()
    expect(page.locator("main .alert-success")).to_contain_text(
        vi("The period has ended and every objection is resolved: the award decision can be issued.")
    )

    # 5. The decision: the unit's issuer first, then the disclosed list, then issue and sign.
    open_awards(page, "awards:decision_list")
    page.get_by_role("button", name=vi("New decision")).click()
    page.locator(f"a.dropdown-item[href='{reverse('awards:decision_create', args=[tree.district.pk])}']").click()
    posting_to(page, reverse("awards:decision_issuer_create", args=[tree.district.pk])).click()
    expect(alert(page)).to_contain_text(
        vi("The unit's issuer was created; check its header lines on the documents page.")
    )
    disclosures = page.locator("section[aria-labelledby=disclosures-heading]")
    expect(disclosures).to_contain_text(vi("ready for a decision"))
    disclosures.locator(f"a[href='?disclosure={disclosure.pk}']").click()
    chosen = field(page, "nominations")
    expect(chosen).to_have_count(3)
    for box in chosen.all():
        expect(box).to_be_checked()
    expect(field(page, "disclosure")).to_have_value(str(disclosure.pk))
    expect(field(page, "number")).to_have_value("1")
    expect(field(page, "issued_on")).to_have_value(TODAY.isoformat())
    expect(field(page, "subject")).to_have_value(f"Về việc khen thưởng thành tích xuất sắc năm {YEAR}")
    field(page, "signer_name").fill(SIGNER)
    page.locator("main form button[type=submit]").filter(has_text=vi("Save the draft")).click()
    decision = Decision.objects.get()
    number = decision.number_line
    expect(alert(page)).to_contain_text(
        vi("The draft decision %(number)s was saved with %(count)s awardee(s).", number=number, count=3)
    )
    awardees = page.get_by_role("table", name=vi("Awardees"))
    expect(awardees.locator("tbody tr")).to_have_count(3)
    # 0,3 × 2.340.000 đ rounded up to 710.000 đ for each person; 0,6 × … = 1.410.000 đ for the union.
    expect(awardees.get_by_role("row", name=re.compile(HOA))).to_contain_text("710.000")
    expect(awardees.get_by_role("row", name=re.compile(rf"^\d+ {GRASSROOTS}"))).to_contain_text("1.410.000")
    expect(awardees.locator("tfoot")).to_contain_text("2.830.000")

    confirm(page, questions)
    posting_to(page, reverse("awards:decision_issue", args=[decision.pk])).click()
    expect(alert(page)).to_contain_text(
        vi("Decision %(number)s is issued: %(count)s awardee(s) recorded.", number=number, count=3)
    )
    assert questions.pop() == vi(
        "Issue this decision? The awardees get their titles and awards and the list can no longer be changed."
    )
    decision.refresh_from_db()
    assert decision.status == "issued"
    assert set(Nomination.objects.values_list("status", flat=True)) == {"decided"}
    assert {str(h.nominee) for h in Honour.objects.filter(decision=decision)} == {
        str(hoa),
        str(binh),
        GRASSROOTS,
    }

    link_to(page, reverse("awards:decision_sign", args=[decision.pk])).click()
    expect(field(page, "certificate")).to_have_value(str(district_certificate.pk))
    field(page, "passphrase").fill("sai-mat-khau")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form")).to_contain_text(
        vi("The passphrase is wrong, or the file is not a PKCS#12 certificate (.p12, .pfx).")
    )
    expect(field(page, "passphrase")).to_have_value("")  # never sent back to the browser
    assert not SignedDocument.objects.exists()
    field(page, "passphrase").fill(PASSPHRASE)
    page.locator("main form button[type=submit]").click()
    signed = SignedDocument.objects.get()
    expect(alert(page)).to_contain_text(
        vi("The decision is signed by %(holder)s. Its SHA-256 is %(digest)s.", holder=DISTRICT, digest=signed.sha256)
    )
    signed_name, signed_pdf = download(
        page, link_to(page, reverse("awards:decision_signed", args=[decision.pk, signed.pk]))
    )
    assert signed_name.endswith(".pdf")
    assert SignedDocument.digest(signed_pdf) == signed.sha256
    report = pdfsig(signed_pdf)
    assert "Signature is Valid." in report, report
    assert all(name in pdf_text(signed_pdf) for name in [HOA, BINH, GRASSROOTS, SIGNER])

    # Anyone, signed in or not, checks the signed file on the public verification page.
    stranger = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=DESKTOP)
    problems = []
    try:
        public = stranger.new_page()
        public.set_default_timeout(10_000)
        public.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        public.on("pageerror", lambda error: problems.append(str(error)))
        public.goto(reverse("documents:verify"))
        expect(heading(public)).to_have_text(vi("Verify a signed document"))
        path = tmp_path / signed_name
        path.write_bytes(signed_pdf)
        field(public, "file").set_input_files(path)
        public.locator("main form button[type=submit]").click()
        result = public.locator("section[aria-labelledby=result-heading]")
        expect(result.locator(".alert-success")).to_contain_text(vi("The file is intact:"))
        expect(result).to_contain_text(vi("unchanged since signing"))
        expect(result).to_contain_text(vi("issued by a certification authority the portal trusts"))
        expect(result).to_contain_text(DISTRICT)
        expect(result.locator(".alert-info")).to_contain_text(vi("This is exactly a document issued from the portal:"))
        expect(result.locator(".alert-info")).to_contain_text(number)
        expect(result).to_contain_text(signed.sha256)
        expect(result.locator(".text-danger")).to_have_count(0)
    finally:
        stranger.close()
    assert problems == []

    # 6. The certificates print: one A4 landscape sheet per awardee.
    page.goto(decision.get_absolute_url())
    link_to(page, reverse("awards:decision_certificates", args=[decision.pk])).click()
    sheets = page.locator(".certificate-sheet")
    expect(sheets).to_have_count(3)
    expect(sheets.locator(".cert-name")).to_contain_text([HOA, BINH, GRASSROOTS])  # the decision's order
    expect(sheets.first).to_contain_text("GIẤY KHEN")
    assert page.locator("link[rel=stylesheet][href*='certificate.css']").count() == 1
    page.emulate_media(media="print")
    expect(page.locator("header.d-print-none")).to_be_hidden()  # the toolbar does not print
    printed = page.pdf(prefer_css_page_size=True)
    sizes = page_sizes(printed)
    assert len(sizes) == 3, sizes  # one sheet per page
    assert all(width > height and abs(width - 842) < 2 and abs(height - 595) < 2 for width, height in sizes), sizes
    page.emulate_media(media="screen")
    _name, certificates = download(
        page, page.locator(f"a[href='{reverse('awards:decision_certificates_pdf', args=[decision.pk])}']").first
    )
    sizes = page_sizes(certificates)
    assert len(sizes) == 3 and all(width > height for width, height in sizes), sizes
    assert all(name in pdf_text(certificates) for name in [HOA, BINH, GRASSROOTS, SIGNER])


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_grassroots_chair_nominates_and_sends_up_at_phone_width(
    page, sign_in, tree, personas, people, today, tmp_path, viewport
):
    page.set_viewport_size(viewport)
    sign_in("may.chutich")
    nomination = nominate(
        page,
        tree,
        nominee=people["hoa"],
        entry=PERSON_FORM,
        summary="Hoàn thành xuất sắc nhiệm vụ được giao, vượt 15% định mức sản lượng.",
        phone=True,
    )
    attach_evidence(page, nomination, tmp_path, phone=True)
    send_up(page, nomination, tree, phone=True)
    open_awards(page, "awards:nomination_list")
    expect(page.get_by_role("row", name=re.compile(HOA))).to_contain_text(vi("Awaiting review"))
    fits(page, True)
