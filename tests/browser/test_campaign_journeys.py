"""Campaign journeys in Chromium: writing a plan by its parts, publishing and allocating it,
signing it, and two people saving the same part of a draft."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from documents.certificates import issue_ca, issue_certificate, to_pkcs12
from documents.models import SignedDocument
from documents.services import upload_certificate
from targets.models import Allocation
from tests.factories import make_membership, make_user
from tests.pdf import pdfsig

SUBJECT = "Tổ chức phong trào thi đua “Lao động giỏi, lao động sáng tạo” năm 2026"
PASSPHRASE = "mat-khau-chung-thu-2026"


def field(scope, label):
    """The input labelled exactly ``label`` (crispy appends “*” to required fields)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def rows(page):
    return page.locator(".formset-rows > .formset-row")


def add_row(page):
    """Add a formset row with the page's own button; the new row is the last one."""
    before = rows(page).count()
    page.get_by_role("button", name="Thêm dòng").click()
    expect(rows(page)).to_have_count(before + 1)
    return rows(page).last


def parts_nav(page):
    return page.get_by_role("navigation", name="Các phần của kế hoạch")


SELECTS = {"Loại", "Cách tính"}


def fill_row(row, values):
    for label, value in values.items():
        if label in SELECTS:
            field(row, label).select_option(label=value)
        else:
            field(row, label).fill(value)


def alert(page):
    return page.locator(".messages [role=alert]")


def test_province_staff_write_publish_and_allocate_a_plan_and_the_district_sees_its_share(
    page, sign_in, tree, personas
):
    sign_in("tinh.quantri")
    page.get_by_role("navigation", name="Trình đơn chính").get_by_role("link", name="Phong trào thi đua").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phong trào thi đua")
    expect(page.get_by_text("Chưa có kế hoạch nào.")).to_be_visible()
    page.get_by_role("link", name="Xây dựng kế hoạch").click()

    # The header: the unit's issuer and the plan type come preselected.
    expect(page.get_by_role("heading", level=1)).to_have_text("Kế hoạch mới của Liên đoàn Lao động tỉnh An Phú")
    expect(field(page, "Cơ quan ban hành").locator("option:checked")).to_have_text(
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM – LĐLĐ TỈNH AN PHÚ"
    )
    expect(field(page, "Loại văn bản").locator("option:checked")).to_have_text("Kế hoạch (KH)")
    field(page, "Trích yếu").fill(SUBJECT)
    field(page, "Năm thi đua").fill("2026")
    field(page, "Hình thức thi đua").select_option(label="Thi đua thường xuyên")
    field(page, "Họ tên người ký").fill("Nguyễn Văn Thử")
    page.get_by_role("button", name="Lưu").click()

    expect(alert(page)).to_contain_text("Đã tạo dự thảo kế hoạch. Hãy viết các phần theo danh sách bên trái.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    plan = Campaign.objects.get(subject=SUBJECT)
    assert (plan.status, plan.year, plan.owner, plan.number) == ("draft", 2026, tree.province, None)
    publish_card = page.locator("section", has=page.get_by_role("heading", name="Ban hành"))
    for problem in [
        "Kế hoạch chưa có số.",
        "Kế hoạch chưa có ngày ban hành.",
        "Kế hoạch chưa có nội dung.",
        "Chưa có nơi nhận.",
    ]:
        expect(publish_card).to_contain_text(problem)
    expect(publish_card.get_by_role("button", name="Ban hành")).to_have_count(0)

    # Sections that print the rounds and the targets.
    parts_nav(page).get_by_role("link", name="Các phần và mục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Các phần của kế hoạch")
    fill_row(add_row(page), {"Loại": "Các đợt thi đua (in từ danh sách đợt)", "Số": "I.", "Tiêu đề": "CÁC ĐỢT THI ĐUA"})
    second = add_row(page)
    fill_row(second, {"Loại": "Chỉ tiêu (in từ danh sách chỉ tiêu)", "Số": "II.", "Tiêu đề": "CHỈ TIÊU THI ĐUA"})
    expect(field(second, "Thứ tự")).to_have_value("2")
    page.get_by_role("button", name="Lưu").click()
    expect(alert(page)).to_contain_text("Đã lưu: Các phần của kế hoạch.")
    expect(rows(page)).to_have_count(2)
    assert list(plan.sections.values_list("kind", "label")) == [("rounds", "I."), ("targets", "II.")]

    # Two rounds, added with the formset's own button.
    parts_nav(page).get_by_role("link", name="Các đợt thi đua").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Các đợt thi đua")
    expect(rows(page)).to_have_count(0)
    fill_row(
        add_row(page),
        {
            "Số": "1",
            "Tên": "Đợt 1",
            "Tiêu đề in trên văn bản": "**Đợt 1** (từ 01/01/2026 đến 30/6/2026):",
            "Bắt đầu": "2026-01-01",
            "Kết thúc": "2026-06-30",
            "Hạn báo cáo sơ kết": "2026-07-05",
            "Nội dung của đợt": "Thi đua lập thành tích chào mừng Đại hội Công đoàn tỉnh.",
        },
    )
    fill_row(
        add_row(page),
        {
            "Số": "2",
            "Tên": "Đợt 2",
            "Tiêu đề in trên văn bản": "**Đợt 2** (từ 01/7/2026 đến 31/12/2026):",
            "Bắt đầu": "2026-07-01",
            "Kết thúc": "2026-12-31",
            "Nội dung của đợt": "Thi đua hoàn thành vượt mức kế hoạch năm.",
        },
    )
    page.get_by_role("button", name="Lưu").click()
    expect(alert(page)).to_contain_text("Đã lưu: Các đợt thi đua.")
    expect(rows(page)).to_have_count(2)
    assert [(r.number, str(r.start), str(r.end)) for r in plan.rounds.all()] == [
        (1, "2026-01-01", "2026-06-30"),
        (2, "2026-07-01", "2026-12-31"),
    ]

    # A group of targets, then five targets of every kind.
    parts_nav(page).get_by_role("link", name="Chỉ tiêu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhóm chỉ tiêu")
    fill_row(add_row(page), {"Số": "1.", "Tiêu đề": "Chỉ tiêu về phát triển đoàn viên và hoạt động"})
    page.get_by_role("button", name="Lưu").click()
    expect(alert(page)).to_contain_text("Đã lưu: Nhóm chỉ tiêu.")
    page.get_by_role("link", name="Các chỉ tiêu của nhóm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1. Chỉ tiêu về phát triển đoàn viên và hoạt động")
    targets = [
        {"Mã ngắn": "CT01", "Số dòng": "1.", "Nội dung như trong văn bản": "Kết nạp mới 1.200 đoàn viên.",
         "Loại": "Số lượng", "Giá trị kế hoạch": "1200", "Đơn vị tính": "đoàn viên"},
        {"Mã ngắn": "CT02", "Số dòng": "2.", "Nội dung như trong văn bản": "Vận động 500.000.000 đồng Quỹ Mái ấm công đoàn.",
         "Loại": "Tiền (đồng)", "Giá trị kế hoạch": "500000000", "Đơn vị tính": "đồng"},
        {"Mã ngắn": "CT03", "Số dòng": "3.", "Nội dung như trong văn bản": "85% CĐCS khu vực nhà nước đạt loại tốt.",
         "Loại": "Tỷ lệ (tử số / mẫu số)", "Giá trị kế hoạch": "85", "Đơn vị tính": "%"},
        {"Mã ngắn": "CT04", "Số dòng": "4.", "Nội dung như trong văn bản": "100% CĐCS tổ chức Tháng Công nhân.",
         "Loại": "Tỷ lệ đơn vị (mỗi đơn vị có/không)", "Giá trị kế hoạch": "100", "Đơn vị tính": "%",
         "Cách tính": "Tính theo từng đợt"},
        {"Mã ngắn": "CT05", "Số dòng": "5.", "Nội dung như trong văn bản": "Tổ chức hội nghị sơ kết giữa năm.",
         "Loại": "Có / không"},
    ]  # fmt: skip
    for values in targets:
        fill_row(add_row(page), values)
    expect(field(rows(page).last, "Thứ tự")).to_have_value("5")
    page.get_by_role("button", name="Lưu").click()
    expect(alert(page)).to_contain_text("Đã lưu: 1. Chỉ tiêu về phát triển đoàn viên và hoạt động.")
    expect(rows(page)).to_have_count(5)
    expect(page.locator(".alert-warning")).to_have_count(0)  # every plan value is written in its text
    assert list(plan.targets.values_list("code", "kind", "plan_value", "period")) == [
        ("CT01", "count", Decimal("1200"), "year"),
        ("CT02", "money", Decimal("500000000"), "year"),
        ("CT03", "percentage", Decimal("85"), "year"),
        ("CT04", "coverage", Decimal("100"), "round"),
        ("CT05", "yes_no", None, "year"),
    ]

    # Recipients, then the number and the date in the header.
    parts_nav(page).get_by_role("link", name="Nơi nhận").click()
    fill_row(add_row(page), {"Nơi nhận": "Tổng LĐLĐ Việt Nam;", "Ghi chú nhóm": "B/c"})
    fill_row(add_row(page), {"Nơi nhận": "Lưu: VT, Ban Tuyên giáo."})
    page.get_by_role("button", name="Lưu").click()
    expect(alert(page)).to_contain_text("Đã lưu: Nơi nhận.")
    parts_nav(page).get_by_role("link", name="Thông tin chung, phạm vi và người ký").click()
    expect(page.get_by_text("Số tiếp theo còn trống: 1")).to_be_visible()
    field(page, "Số").fill("1")
    field(page, "Ngày ban hành").fill("2026-01-15")
    page.get_by_role("button", name="Lưu").click()
    expect(alert(page)).to_contain_text("Đã lưu các thay đổi.")

    # The preview on the detail page prints the rounds and the targets.
    preview = page.locator(".plan-paper")
    expect(preview).to_contain_text("Số: 01/KH-LĐLĐ")
    expect(preview).to_contain_text("An Phú, ngày 15 tháng 01 năm 2026")
    expect(preview).to_contain_text("I. CÁC ĐỢT THI ĐUA")
    expect(preview.locator("strong", has_text="Đợt 1")).to_be_visible()
    expect(preview).to_contain_text(
        "Đợt 1 (từ 01/01/2026 đến 30/6/2026): Thi đua lập thành tích chào mừng Đại hội Công đoàn tỉnh."
    )
    expect(preview).to_contain_text("Đợt 2 (từ 01/7/2026 đến 31/12/2026): Thi đua hoàn thành vượt mức kế hoạch năm.")
    expect(preview).to_contain_text("II. CHỈ TIÊU THI ĐUA")
    for values in targets:
        expect(preview).to_contain_text(f"{values['Số dòng']} {values['Nội dung như trong văn bản']}")
    expect(preview).to_contain_text("Nguyễn Văn Thử")

    # Publish (the page asks first).
    expect(publish_card).to_contain_text("Kế hoạch đã đủ nội dung.")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    publish_card.get_by_role("button", name="Ban hành").click()
    expect(alert(page)).to_contain_text("Kế hoạch đã ban hành và được khóa; nội dung được lưu làm phiên bản 1.")
    assert questions == ["Ban hành kế hoạch? Kế hoạch sẽ bị khóa."]
    plan.refresh_from_db()
    assert plan.status == "published" and plan.versions.count() == 1
    expect(page.get_by_role("link", name="Các đợt thi đua")).to_have_count(0)  # locked: no editing links

    # The province splits the count and money targets between its two districts.
    page.get_by_role("tab", name="Chỉ tiêu và giao chỉ tiêu").click()
    page.get_by_role("link", name="LĐLĐ tỉnh An Phú").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giao chỉ tiêu của Liên đoàn Lao động tỉnh An Phú")
    table = page.get_by_role("table", name="Bảng giao chỉ tiêu")
    expect(table.locator("thead th")).to_have_text(["Đơn vị", re.compile("CT01"), re.compile("CT02")])
    ct01, ct02 = plan.targets.get(code="CT01"), plan.targets.get(code="CT02")

    def total(target):
        return table.locator(f'.alloc-total[data-target="{target.pk}"]')

    def remainder(target):
        return table.locator(f'.alloc-remainder[data-target="{target.pk}"]')

    expect(total(ct01)).to_have_text("0")
    expect(remainder(ct01)).to_contain_text("1.200")
    page.wait_for_load_state()  # allocation.js listens only once loaded; typing earlier goes unseen
    page.get_by_label("Công đoàn phường Xuân Hòa – CT01").fill("700")
    expect(total(ct01)).to_have_text("700")
    page.get_by_label("Công đoàn phường Đông Sơn – CT01").fill("500")
    page.get_by_label("Công đoàn phường Xuân Hòa – CT02").fill("300.000.000")
    # allocation.js keeps the totals in step before anything is saved.
    expect(total(ct01)).to_have_text("1.200")
    expect(remainder(ct01)).to_have_text("0", use_inner_text=True)  # the “short” hint is hidden again
    expect(remainder(ct01)).not_to_have_class(re.compile("text-danger"))
    expect(total(ct02)).to_have_text("300.000.000")
    expect(remainder(ct02)).to_have_text("200.000.000 (chưa giao đủ kế hoạch)", use_inner_text=True)
    expect(remainder(ct02)).to_have_class(re.compile("text-danger"))
    page.get_by_label("Công đoàn phường Đông Sơn – CT02").fill("-5")
    expect(total(ct02)).to_have_text("?")
    expect(page.get_by_label("Công đoàn phường Đông Sơn – CT02")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Công đoàn phường Đông Sơn – CT02").fill("")
    expect(total(ct02)).to_have_text("300.000.000")
    page.get_by_role("button", name="Lưu việc giao chỉ tiêu").click()
    expect(alert(page)).to_contain_text("Đã lưu việc giao chỉ tiêu (thay đổi 3 giá trị).")
    expect(page.get_by_label("Công đoàn phường Xuân Hòa – CT02")).to_have_value("300000000")
    expect(remainder(ct02)).to_contain_text("200.000.000 (chưa giao đủ kế hoạch)")
    assert {
        (a.target.code, a.organization.code): a.value
        for a in Allocation.objects.filter(target__campaign=plan, allocated_by=tree.province)
    } == {
        ("CT01", "CDP-XH"): Decimal("700"),
        ("CT01", "CDP-DS"): Decimal("500"),
        ("CT02", "CDP-XH"): Decimal("300000000"),
    }

    # The district officer sees the share the province gave to their unit, and only theirs.
    page.context.clear_cookies()
    sign_in("phuong.chuyenvien")
    page.get_by_role("navigation", name="Trình đơn chính").get_by_role("link", name="Phong trào thi đua").click()
    page.get_by_role("row", name=re.compile("Lao động giỏi, lao động sáng tạo")).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    expect(page.get_by_role("button", name="Quản lý")).to_have_count(0)
    page.get_by_role("tab", name="Chỉ tiêu và giao chỉ tiêu").click()
    units = page.get_by_role("tabpanel", name="Chỉ tiêu và giao chỉ tiêu").get_by_role("link")
    expect(units).to_have_text(["Công đoàn phường Xuân Hòa"])
    units.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giao chỉ tiêu của Công đoàn phường Xuân Hòa")
    table = page.get_by_role("table", name="Bảng giao chỉ tiêu")
    expect(table.get_by_role("row", name=re.compile("^Cần giao")).locator("td")).to_have_text(["700", "300.000.000"])
    expect(table.locator("tbody th")).to_have_text(
        ["Công đoàn cơ sở Công ty TNHH Giày Bình Minh", "Công đoàn cơ sở Công ty TNHH May Xuân Hòa"]
    )
    expect(page.locator("main")).not_to_contain_text("Đông Sơn")  # the other district's share stays out of sight
    expect(page.get_by_role("button", name="Lưu việc giao chỉ tiêu")).to_have_count(0)
    expect(table.locator("input")).to_have_count(0)  # an officer reads the figures; only staff type them


def test_the_allocation_table_is_usable_at_phone_width(page, sign_in, tree, published_plan):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in("tinh.quantri")
    page.goto(f"/campaigns/{published_plan.pk}/allocation/{tree.province.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Giao chỉ tiêu của Liên đoàn Lao động tỉnh An Phú")
    box = page.locator(".allocation-table")
    ct02 = published_plan.targets.get(code="CT02")
    total = page.locator(f'.alloc-total[data-target="{ct02.pk}"]')

    # The table scrolls sideways inside its box, the unit column stays in view, the page does not scroll.
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert box.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth")
    # The visually hidden labels of the cells are absolutely positioned: unless the scrolling box is
    # positioned too, they escape its clipping and widen the page.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, "the page scrolls sideways"

    cell = page.get_by_label("Công đoàn phường Đông Sơn – CT02")
    cell.fill("2")  # the last column is reachable and typable
    expect(total).to_have_text("5")
    assert cell.evaluate("e => e.getBoundingClientRect().width") >= 80
    assert box.evaluate("e => e.scrollLeft") > 0
    unit = page.get_by_role("rowheader", name="Công đoàn phường Đông Sơn")
    assert unit.evaluate(
        "e => e.getBoundingClientRect().left >= e.closest('.allocation-table').getBoundingClientRect().left - 1"
    )  # sticky: still beside the cell
    page.get_by_role("button", name="Lưu việc giao chỉ tiêu").click()
    expect(alert(page)).to_contain_text("Đã lưu việc giao chỉ tiêu (thay đổi 1 giá trị).")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, "the page scrolls sideways"
    assert Allocation.objects.get(target=ct02, organization=tree.other_district).value == Decimal("2")


@pytest.fixture
def province_certificate(tree, personas):
    ca, ca_key = issue_ca()
    certificate, key = issue_certificate(ca, ca_key, "Liên đoàn Lao động tỉnh An Phú", "LĐLĐ tỉnh An Phú")
    return upload_certificate(
        actor=personas.province_staff,
        unit=tree.province,
        data=to_pkcs12(certificate, key, [ca], PASSPHRASE),
        passphrase=PASSPHRASE,
        label="Chứng thư số LĐLĐ tỉnh An Phú",
    )


def test_province_staff_sign_a_published_plan_and_download_the_signed_pdf(
    page, sign_in, published_plan, province_certificate
):
    sign_in("tinh.quantri")
    page.goto(published_plan.get_absolute_url())
    page.get_by_role("tab", name="Phiên bản và tệp đã ký").click()
    expect(page.get_by_role("tabpanel", name="Phiên bản và tệp đã ký")).to_contain_text("Chưa ký số.")
    page.get_by_role("link", name="Ký số", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ký số")
    expect(page.get_by_label("Chứng thư số").locator("option:checked")).to_contain_text("Chứng thư số LĐLĐ tỉnh An Phú")

    page.get_by_label("Mật khẩu chứng thư số").fill("sai-mat-khau")
    page.get_by_role("button", name="Ký số").click()
    expect(
        page.get_by_text("Mật khẩu không đúng, hoặc tệp không phải chứng thư số PKCS#12 (.p12, .pfx).")
    ).to_be_visible()
    expect(page.get_by_label("Mật khẩu chứng thư số")).to_have_value("")  # never sent back to the browser
    assert not SignedDocument.objects.exists()

    page.get_by_label("Mật khẩu chứng thư số").fill(PASSPHRASE)
    page.get_by_role("button", name="Ký số").click()
    expect(alert(page)).to_contain_text("Kế hoạch đã được ký số bởi Liên đoàn Lao động tỉnh An Phú. Mã SHA-256:")
    signed = SignedDocument.objects.get()
    expect(alert(page)).to_contain_text(signed.sha256)

    page.get_by_role("tab", name="Phiên bản và tệp đã ký").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF đã ký số (phiên bản 1)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    data = download.path().read_bytes()
    assert data.startswith(b"%PDF")
    assert SignedDocument.digest(data) == signed.sha256
    report = pdfsig(data)
    assert "Signature is Valid." in report, report
    assert "Liên đoàn Lao động tỉnh An Phú" in report


def test_a_second_save_of_the_same_rounds_shows_the_conflict_and_keeps_the_input(
    page, sign_in, browser, live_server, tree, personas, draft_plan
):
    colleague = make_user("tinh.thuky", full_name="Đỗ Thị Thư")
    make_membership(colleague, tree.province, "staff")
    url = f"/campaigns/{draft_plan.pk}/rounds/"

    sign_in("tinh.quantri")
    page.goto(url)
    # A second browser, as the page fixture sets one up, for the colleague.
    other_context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    problems = []
    try:
        other = other_context.new_page()
        other.set_default_timeout(10_000)
        other.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        other.on("pageerror", lambda error: problems.append(str(error)))
        other.goto("/account/login/")
        other.get_by_label("Tên đăng nhập").fill("tinh.thuky")
        other.get_by_label("Mật khẩu").fill("pass-12345")
        other.get_by_role("button", name="Đăng nhập").click()
        expect(other.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        other.goto(url)
        expect(rows(other)).to_have_count(2)

        # The first person saves a new name for round 1.
        field(rows(page).nth(0), "Tên").fill("Đợt 1 – cao điểm Tháng Công nhân")
        page.get_by_role("button", name="Lưu").click()
        expect(alert(page)).to_contain_text("Đã lưu: Các đợt thi đua.")

        # The second, still on the page as it was, rewrites round 2 and saves.
        description = "Thi đua hoàn thành vượt mức các chỉ tiêu, chào mừng Đại hội Công đoàn tỉnh."
        field(rows(other).nth(1), "Nội dung của đợt").fill(description)
        other.get_by_role("button", name="Lưu").click()
        expect(alert(other)).to_contain_text("Người khác đã lưu bản ghi này trong lúc bạn đang sửa.")
        expect(other.get_by_role("link", name="Tải lại trang để xem thay đổi của người khác.")).to_be_visible()
        expect(field(rows(other).nth(1), "Nội dung của đợt")).to_have_value(description)
        round_1, round_2 = draft_plan.rounds.all()
        assert round_1.name == "Đợt 1 – cao điểm Tháng Công nhân"
        assert round_2.description == "Thi đua hoàn thành vượt mức kế hoạch năm."

        # Saving again, knowingly, goes through.
        other.get_by_role("button", name="Lưu").click()
        expect(alert(other)).to_contain_text("Đã lưu: Các đợt thi đua.")
        round_2.refresh_from_db()
        assert round_2.description == description
    finally:
        other_context.close()
    assert problems == []
