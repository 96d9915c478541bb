"""Registration and report journeys in Chromium, at desktop and phone widths.

A grassroots officer registers (pledges, titles, people) and reports round 1 with an evidence
file; the district's leader approves the registration, returns the report with a comment on
one value and approves the correction; the district reports its own roll-up, the province's
leader approves it, and the province's board shows the grassroots figure rolled up.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Evidence, Registration, Report
from targets.services import save_allocation
from tests.browser.helpers import fits
from tests.factories import make_membership, make_user

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

GRASSROOTS = "Công đoàn cơ sở Công ty TNHH May Xuân Hòa"
DISTRICT = "Công đoàn phường Xuân Hòa"
SUBJECT = "Phát động phong trào thi đua năm 2026"
EVIDENCE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EVIDENCE_NAME = "Danh sách kết nạp đoàn viên.pdf"
# Five days after round 1's report was due (05/7/2026), with round 2 under way.
TODAY = datetime.date(2026, 7, 10)


@pytest.fixture
def today(monkeypatch):
    """Pin the portal's "today" (the live server runs in this process): what is due, what is
    late and which round is open then do not depend on when the tests run."""
    localdate = timezone.localdate

    def pinned(value=None, timezone=None):
        return TODAY if value is None else localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", pinned)
    return TODAY


@pytest.fixture
def district_leader(tree):
    """The district's leader: reviews what the district's units send (the district officer cannot)."""
    leader = make_user("phuong.lanhdao", full_name="Đinh Thị Duyệt")
    make_membership(leader, tree.district, "approver", position="Chủ tịch")
    return leader


@pytest.fixture
def plan(tree, personas, published_plan, district_leader):
    """The province's plan, with 40 of the district's 70 for CT01 given to May Xuân Hòa."""
    staff = make_user("phuong.quantri", full_name="Đỗ Văn Quận")
    make_membership(staff, tree.district, "staff")
    ct01 = published_plan.targets.get(code="CT01")
    save_allocation(
        published_plan,
        tree.district,
        actor=staff,
        values={(tree.grassroots.pk, ct01.pk): 40},
        expected_version=None,
    )
    # CT03 counts state-sector grassroots unions only: make May Xuân Hòa one, so it answers CT03.
    tree.grassroots.sector = "dnnn"
    tree.grassroots.save(update_fields=["sector"])
    return published_plan


def field(scope, label):
    """The input labelled exactly ``label`` (crispy appends “*” to required fields)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def alert(page):
    return page.locator(".messages [role=alert]")


def status(page):
    """The status badges beside the page's heading."""
    return page.locator("main h1 + div")


def heading(page):
    return page.get_by_role("heading", level=1)


def target(page, code):
    """A target's block on the report page (a region named by its code and text)."""
    return page.get_by_role("region", name=re.compile(rf"^{code}\b"))


def pledge_card(page, code):
    return page.locator(".registration-form .card").filter(
        has=page.locator(".badge", has_text=re.compile(rf"^{code}$"))
    )


def switch_to(page, sign_in, username):
    page.context.clear_cookies()
    sign_in(username)


def open_plan(page):
    """From any page: the main menu (behind its button at phone width), the plans, this plan."""
    toggler = page.get_by_role("button", name="Hiện trình đơn")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("navigation", name="Trình đơn chính").get_by_role("link", name="Phong trào thi đua").click()
    page.get_by_role("row", name=re.compile(SUBJECT)).get_by_role("link").click()
    expect(heading(page)).to_contain_text(SUBJECT)


def accept_confirm(page, questions):
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))


def todo(page):
    return page.get_by_role("region", name="Việc cần làm")


def boards_card(page):
    return page.get_by_role("region", name="Đơn vị cấp dưới: bảng theo dõi")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_grassroots_unit_registers_and_reports_and_the_province_sees_it_rolled_up(
    page, sign_in, tree, personas, plan, district_leader, today, tmp_path, viewport
):
    phone = viewport["width"] < 600
    page.set_viewport_size(viewport)
    targets = {t.code: t for t in plan.targets.all()}
    questions = []

    # 1. The grassroots officer finds the registration among the things to do.
    sign_in("may.chuyenvien")
    registration_todo = todo(page).get_by_role("listitem").filter(has_text="Đăng ký thi đua")
    expect(registration_todo.get_by_role("link", name="Đăng ký thi đua")).to_be_visible()
    expect(registration_todo).to_contain_text("Hạn 15/3/2026")
    expect(registration_todo).to_contain_text("Quá hạn")
    expect(todo(page).get_by_role("link", name="Báo cáo sơ kết đợt 1")).to_be_visible()
    expect(todo(page).get_by_role("link", name="Báo cáo sơ kết đợt 2")).to_be_visible()
    fits(page, phone)
    open_plan(page)
    mine = page.get_by_role("region", name=f"{GRASSROOTS}: đăng ký và báo cáo")
    expect(mine.get_by_role("listitem").filter(has_text="Đăng ký thi đua")).to_contain_text("Chưa gửi")
    fits(page, phone)
    mine.get_by_role("link", name="Đăng ký thi đua").click()
    expect(heading(page)).to_have_text("Đăng ký thi đua")
    fits(page, phone)

    # The pledge starts from the share the district gave; lowering it needs a reason.
    ct01 = pledge_card(page, "CT01")
    pledge = ct01.get_by_label(re.compile("^CT01 – Đăng ký"))
    expect(pledge).to_have_value("40")
    expect(ct01).to_contain_text("Được giao: 40")
    pledge.fill("35")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(alert(page)).to_contain_text("Một số nội dung chưa hợp lệ; đã được đánh dấu dưới đây.")
    ct01 = pledge_card(page, "CT01")
    expect(ct01).to_contain_text("Mức đăng ký thấp hơn 40 được giao: hãy nêu lý do.")
    expect(ct01.get_by_label(re.compile("^CT01 – Đăng ký"))).to_have_value("35")
    assert not Registration.objects.exists()
    fits(page, phone)

    ct01.get_by_label("Lý do (nếu thấp hơn mức được giao)").fill("Doanh nghiệp giảm 30 lao động trong quý I.")
    field(page, "Danh hiệu tập thể đăng ký").select_option(label="Công đoàn cơ sở vững mạnh")
    people = page.locator('[data-formset-prefix="aims"] > .formset-row')
    before = people.count()
    page.get_by_role("button", name="Thêm người").click()
    expect(people).to_have_count(before + 1)
    person = people.last
    expect(field(person, "Họ và tên")).to_be_focused()
    field(person, "Họ và tên").fill("Nguyễn Thị Hoa")
    field(person, "Chức vụ").fill("Tổ trưởng tổ may 3")
    field(person, "Danh hiệu").select_option(label="Lao động tiên tiến")
    fits(page, phone)
    accept_confirm(page, questions)
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(alert(page)).to_contain_text(f"Đã gửi bản đăng ký tới {DISTRICT} để duyệt.")
    assert questions.pop() == "Gửi bản đăng ký để duyệt? Trong khi chờ duyệt sẽ không sửa được."
    expect(status(page)).to_contain_text("Chờ duyệt")
    pledged = page.get_by_role("table", name="Chỉ tiêu đăng ký")
    expect(pledged.get_by_role("row", name=re.compile("^CT01"))).to_contain_text("35")
    expect(page.locator("main")).to_contain_text("Nguyễn Thị Hoa (Tổ trưởng tổ may 3) – Lao động tiên tiến")
    expect(page.get_by_role("button", name="Gửi duyệt")).to_have_count(0)
    registration = Registration.objects.get(organization=tree.grassroots)
    assert registration.status == "submitted"
    assert registration.collective_title.name == "Công đoàn cơ sở vững mạnh"
    assert {(p.target.code, p.value, p.reason) for p in registration.pledges.select_related("target")} >= {
        ("CT01", Decimal("35"), "Doanh nghiệp giảm 30 lao động trong quý I.")
    }
    assert [(a.person.full_name, a.title.name) for a in registration.title_aims.all()] == [
        ("Nguyễn Thị Hoa", "Lao động tiên tiến")
    ]

    # 2. The district's leader opens the registrations board from the plan and approves.
    switch_to(page, sign_in, "phuong.lanhdao")
    expect(todo(page).get_by_role("link", name="Bản đăng ký chờ bạn duyệt")).to_be_visible()
    open_plan(page)
    boards_card(page).get_by_role("listitem").filter(has_text=DISTRICT).get_by_role("link", name="bản đăng ký").click()
    expect(heading(page)).to_have_text(f"Đăng ký thi đua của các đơn vị thuộc {DISTRICT}")
    counts = page.get_by_role("navigation", name="Lọc theo trạng thái")
    expect(counts.get_by_role("link", name="Tất cả")).to_contain_text("2")
    expect(counts.get_by_role("link", name="Chưa đăng ký")).to_contain_text("1")
    expect(counts.get_by_role("link", name="Chờ duyệt")).to_contain_text("1")
    expect(page.get_by_role("row", name=re.compile(GRASSROOTS))).to_contain_text("Chờ duyệt")
    fits(page, phone)
    page.get_by_role("link", name=GRASSROOTS).click()
    expect(heading(page)).to_have_text("Đăng ký thi đua")
    fits(page, phone)
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(alert(page)).to_contain_text(f"Đã duyệt bản đăng ký của {GRASSROOTS}.")
    expect(status(page)).to_contain_text("Đã duyệt")
    registration.refresh_from_db()
    assert (registration.status, registration.reviewed_by) == ("approved", district_leader)

    # 3. The officer reports round 1: a count, a fraction, a yes/no, and a file as evidence.
    switch_to(page, sign_in, "may.chuyenvien")
    expect(todo(page).get_by_role("link", name="Đăng ký thi đua")).to_have_count(0)  # done
    todo(page).get_by_role("link", name="Báo cáo sơ kết đợt 1").click()
    expect(heading(page)).to_have_text("Báo cáo sơ kết đợt 1")
    expect(target(page, "CT01")).to_contain_text("được giao 40")
    expect(target(page, "CT01")).to_contain_text("đăng ký 35")
    fits(page, phone)
    target(page, "CT01").get_by_label(re.compile("^CT01 – Kết quả")).fill("18")
    target(page, "CT03").get_by_label("Tử số").fill("5")
    target(page, "CT03").get_by_label("Mẫu số").fill("4")
    target(page, "CT04").get_by_label("Đã thực hiện").select_option(label="Có")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(alert(page)).to_contain_text("Một số số liệu chưa hợp lệ; đã được đánh dấu dưới đây.")
    expect(target(page, "CT03")).to_contain_text("Tử số (5) lớn hơn mẫu số (4).")
    expect(target(page, "CT03").get_by_label("Tử số")).to_have_value("5")
    expect(target(page, "CT03").get_by_label("Mẫu số")).to_have_value("4")
    expect(target(page, "CT01").get_by_label(re.compile("^CT01 – Kết quả"))).to_have_value("18")
    expect(target(page, "CT04").get_by_label("Đã thực hiện").locator("option:checked")).to_have_text("Có")
    assert not Report.objects.exists()
    fits(page, phone)

    target(page, "CT03").get_by_label("Mẫu số").fill("6")
    evidence_file = tmp_path / EVIDENCE_NAME
    evidence_file.write_bytes(EVIDENCE)
    target(page, "CT01").get_by_label("Minh chứng (PDF, ảnh hoặc tệp Office)").set_input_files(evidence_file)
    accept_confirm(page, questions)
    page.get_by_role("button", name="Gửi duyệt").click()
    # Round 1 was due on 05/7/2026: sending it five days later is allowed, and marked late.
    expect(alert(page)).to_contain_text(f"Đã gửi báo cáo tới {DISTRICT}, chậm 5 ngày so với hạn.")
    assert questions.pop() == "Gửi báo cáo để duyệt? Trong khi chờ duyệt sẽ không sửa được."
    expect(status(page)).to_contain_text("Chờ duyệt")
    expect(status(page)).to_contain_text("Chậm 5 ngày")
    expect(target(page, "CT01")).to_contain_text("Kết quả: 18")
    expect(target(page, "CT03")).to_contain_text("Kết quả: 5/6")
    expect(target(page, "CT04")).to_contain_text("Kết quả: Có")
    expect(target(page, "CT01").get_by_role("link", name=EVIDENCE_NAME)).to_be_visible()
    fits(page, phone)
    report = Report.objects.get(organization=tree.grassroots, round__number=1)
    assert (report.status, report.late_days) == ("submitted", 5)
    evidence = Evidence.objects.get(value__report=report)
    assert (evidence.original_name, evidence.content_type, evidence.value.target.code) == (
        EVIDENCE_NAME,
        "application/pdf",
        "CT01",
    )

    # 4. The district's leader returns it with a comment on the CT01 figure. The to-do names the
    # round and opens its board filtered to what waits.
    switch_to(page, sign_in, "phuong.lanhdao")
    todo(page).get_by_role("link", name="Báo cáo sơ kết đợt 1: chờ bạn duyệt").click()
    expect(heading(page)).to_have_text(f"Báo cáo của các đơn vị thuộc {DISTRICT}")
    expect(page.get_by_role("navigation", name="Kỳ báo cáo").get_by_role("link", name="Đợt 1")).to_have_attribute(
        "aria-current", "page"
    )
    counts = page.get_by_role("navigation", name="Lọc theo trạng thái")
    expect(counts.get_by_role("link", name="Chờ duyệt")).to_contain_text("1")
    expect(counts.get_by_role("link", name="Chờ duyệt")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("row", name=re.compile(GRASSROOTS))).to_contain_text("Chờ duyệt")
    fits(page, phone)
    page.get_by_role("link", name=GRASSROOTS).click()
    expect(heading(page)).to_have_text("Báo cáo sơ kết đợt 1")
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)  # the leader reviews, not enters
    fits(page, phone)

    # The evidence downloads for the reviewer, with its name.
    with page.expect_download() as download_info:
        target(page, "CT01").get_by_role("link", name=EVIDENCE_NAME).click()
    download = download_info.value
    assert download.suggested_filename == EVIDENCE_NAME
    assert download.path().read_bytes() == EVIDENCE
    evidence_url = reverse("reports:evidence_download", args=[plan.pk, tree.grassroots.pk, "1", evidence.pk])
    response = page.request.get(evidence_url)
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert response.headers["cache-control"] == "private, no-store"

    review = page.get_by_role("region", name="Cấp trên xem xét")
    review.get_by_text("Ý kiến cho từng chỉ tiêu (khi trả lại)").click()
    comment = "Danh sách minh chứng chỉ có 16 người, đề nghị sửa lại số kết nạp."
    review.get_by_label(re.compile(r"^\s*CT01 – ")).fill(comment)
    review.get_by_role("button", name="Trả lại kèm ý kiến").click()
    expect(alert(page)).to_contain_text(f"Đã trả lại báo cáo cho {GRASSROOTS} kèm ý kiến của bạn.")
    expect(status(page)).to_contain_text("Trả lại")
    fits(page, phone)

    # 5. The officer sees the comment on the value, corrects it and sends it again.
    switch_to(page, sign_in, "may.chuyenvien")
    returned = todo(page).get_by_role("listitem").filter(has_text="Báo cáo sơ kết đợt 1")
    expect(returned).to_contain_text("Trả lại")
    returned.get_by_role("link", name="Báo cáo sơ kết đợt 1").click()
    expect(status(page)).to_contain_text("Trả lại")
    expect(target(page, "CT01")).to_contain_text(f"Cần sửa: {comment}")
    expect(target(page, "CT01").get_by_label(re.compile("^CT01 – Kết quả"))).to_have_value("18")
    expect(target(page, "CT01").get_by_role("link", name=EVIDENCE_NAME)).to_be_visible()
    expect(target(page, "CT01").get_by_role("button", name="Gỡ")).to_be_visible()  # editable again
    fits(page, phone)
    target(page, "CT01").get_by_label(re.compile("^CT01 – Kết quả")).fill("16")
    accept_confirm(page, questions)
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(alert(page)).to_contain_text(f"Đã gửi báo cáo tới {DISTRICT}, chậm 5 ngày so với hạn.")
    assert questions.pop() == "Gửi báo cáo để duyệt? Trong khi chờ duyệt sẽ không sửa được."
    expect(status(page)).to_contain_text("Chờ duyệt")
    expect(target(page, "CT01")).to_contain_text("Kết quả: 16")

    switch_to(page, sign_in, "phuong.lanhdao")
    page.goto(reverse("reports:report_detail", args=[plan.pk, tree.grassroots.pk, "1"]))
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(alert(page)).to_contain_text(f"Đã duyệt báo cáo của {GRASSROOTS}; báo cáo được khóa.")
    expect(status(page)).to_contain_text("Đã duyệt")
    expect(page.get_by_role("button", name="Mở lại để sửa")).to_be_visible()

    # Approved is locked: the officer reads the figures, with nothing left to type or send.
    switch_to(page, sign_in, "may.chuyenvien")
    page.goto(reverse("reports:report_detail", args=[plan.pk, tree.grassroots.pk, "1"]))
    expect(status(page)).to_contain_text("Đã duyệt")
    expect(target(page, "CT01")).to_contain_text("Kết quả: 16")
    expect(target(page, "CT01")).not_to_contain_text("Cần sửa")  # approving clears the comments
    expect(page.locator("form.report-form").locator("input:not([type=hidden]), select, textarea")).to_have_count(0)
    expect(page.get_by_role("button", name="Gửi duyệt")).to_have_count(0)
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    expect(target(page, "CT01").get_by_role("button", name="Gỡ")).to_have_count(0)  # the evidence stays too
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.values.get(target=targets["CT01"]).value == Decimal("16")

    # The sibling unit's chair cannot see the report, nor its evidence.
    switch_to(page, sign_in, "giay.chutich")
    report_url = reverse("reports:report_detail", args=[plan.pk, tree.grassroots.pk, "1"])
    assert page.goto(report_url).status == 404
    assert page.request.get(evidence_url).status == 404

    # 6. The district reports its own round 1, starting from the roll-up of its approved units.
    switch_to(page, sign_in, "phuong.chuyenvien")
    open_plan(page)
    own = page.get_by_role("region", name=f"{DISTRICT}: đăng ký và báo cáo")
    expect(boards_card(page)).to_have_count(0)  # an officer enters, but does not review
    own.get_by_role("link", name="Báo cáo sơ kết đợt 1").click()
    expect(heading(page)).to_have_text("Báo cáo sơ kết đợt 1")
    expect(target(page, "CT01")).to_contain_text("tổng các đơn vị trực thuộc 16 (1 báo cáo)")
    expect(target(page, "CT01").get_by_label(re.compile("^CT01 – Kết quả"))).to_have_value("16")
    expect(target(page, "CT03").get_by_label("Tử số")).to_have_value("5")
    expect(target(page, "CT03").get_by_label("Mẫu số")).to_have_value("6")
    expect(target(page, "CT04").get_by_label("Tử số")).to_have_value("1")
    expect(target(page, "CT04").get_by_label("Mẫu số")).to_have_value("1")
    fits(page, phone)
    accept_confirm(page, questions)
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(alert(page)).to_contain_text("Đã gửi báo cáo tới Liên đoàn Lao động tỉnh An Phú, chậm 5 ngày so với hạn.")
    assert questions.pop() == "Gửi báo cáo để duyệt? Trong khi chờ duyệt sẽ không sửa được."
    expect(status(page)).to_contain_text("Chờ duyệt")

    # The province's leader approves the district's report from the province's board.
    switch_to(page, sign_in, "tinh.lanhdao")
    todo(page).get_by_role("link", name="Báo cáo sơ kết đợt 1: chờ bạn duyệt").click()
    page.get_by_role("link", name=DISTRICT).click()
    expect(heading(page)).to_have_text("Báo cáo sơ kết đợt 1")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(alert(page)).to_contain_text(f"Đã duyệt báo cáo của {DISTRICT}; báo cáo được khóa.")

    # The province's staff read the statuses and the rolled-up figures of round 1.
    switch_to(page, sign_in, "tinh.quantri")
    open_plan(page)
    fits(page, phone)
    boards_card(page).get_by_role("listitem").filter(has_text="LĐLĐ tỉnh An Phú").get_by_role(
        "link", name="báo cáo"
    ).click()
    expect(heading(page)).to_have_text("Báo cáo của các đơn vị thuộc LĐLĐ tỉnh An Phú")
    page.get_by_role("navigation", name="Kỳ báo cáo").get_by_role("link", name="Đợt 1").click()
    expect(page.get_by_role("link", name="Đợt 1")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("row", name=re.compile(DISTRICT))).to_contain_text("Đã duyệt")
    expect(page.get_by_role("row", name=re.compile("Công đoàn phường Đông Sơn"))).to_contain_text("Chưa gửi")
    figures = page.get_by_role("table", name="Số liệu tổng hợp")
    expect(figures.get_by_role("row", name=re.compile("^CT01")).locator("td")).to_have_text(
        [re.compile("CT01"), "120", "16", "13,3%"]
    )
    expect(figures.get_by_role("row", name=re.compile("^CT03")).locator("td").nth(2)).to_have_text("5/6 = 83,3%")
    expect(figures.get_by_role("row", name=re.compile("^CT04")).locator("td").nth(2)).to_have_text("1/1 = 100%")
    fits(page, phone)
