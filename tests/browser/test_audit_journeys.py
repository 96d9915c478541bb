"""The audit trail in Chromium: a change made through a form, read back by the province staff.

The chair of May Xuân Hòa corrects the union's member count and phone number through the unit's
form. The province staff find the change from the unit's page (its “Full history”, then
everything changed in the unit), filter the global journal to units changed by the chair
(submitting with Enter) and open the chair's own journal from the row. A district officer, who
holds no audit right, is refused the journal; a sibling union's chair does not even see that
the chair's journal or the unit's history exist.
"""

import re
from contextlib import contextmanager

from django.urls import reverse
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 900}
GRASSROOTS = "Công đoàn cơ sở Công ty TNHH May Xuân Hòa"
CHAIR = "Phạm Văn May"
PHONE_NUMBER = "0236 3821 456"
MEMBERS = "Số đoàn viên: 420 → 435"
PHONE = f"Điện thoại: — → {PHONE_NUMBER}"


def heading(page):
    return page.get_by_role("heading", level=1)


def menu(page):
    return page.get_by_role("navigation", name="Trình đơn chính")


def rows(page):
    return page.locator("main table tbody tr")


def sign_out(page):
    page.locator(".portal-navbar .dropdown-toggle").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)


@contextmanager
def second_browser(browser, live_server, username):
    """A browser of its own for a user the journey does not follow, signed in; error pages allowed."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=DESKTOP)
    problems = []
    try:
        other = context.new_page()
        other.set_default_timeout(10_000)
        other.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        other.on("pageerror", lambda error: problems.append(str(error)))
        other.goto(reverse("accounts:login"))
        other.get_by_label("Tên đăng nhập").fill(username)
        other.get_by_label("Mật khẩu").fill("pass-12345")
        other.get_by_role("button", name="Đăng nhập").click()
        expect(heading(other)).to_contain_text("Xin chào")
        yield other
    finally:
        context.close()
    # The refusals themselves are logged as failed loads; nothing else may go wrong.
    assert [p for p in problems if not re.search(r"status of 40[34]", p)] == []


def test_staff_trace_a_units_change_to_its_author(page, sign_in, tree, personas):
    # The chair corrects the union's details through its form.
    sign_in("may.chutich")
    menu(page).get_by_role("link", name="Đơn vị").click()
    page.get_by_role("link", name=GRASSROOTS, exact=True).first.click()
    expect(heading(page)).to_contain_text(GRASSROOTS)
    page.get_by_role("button", name="Quản lý").click()
    page.get_by_role("link", name="Sửa thông tin").click()
    expect(heading(page)).to_have_text("Sửa đơn vị")
    page.get_by_label("Số đoàn viên").fill("435")
    page.get_by_label("Điện thoại").fill(PHONE_NUMBER)
    page.get_by_label("Điện thoại").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu các thay đổi.")
    expect(heading(page)).to_contain_text(GRASSROOTS)
    sign_out(page)

    # The province staff find the unit and read its recent changes on its page.
    sign_in("tinh.quantri")
    menu(page).get_by_role("link", name="Đơn vị").click()
    page.get_by_label("Tên hoặc mã").fill("CDCS-MXH")
    page.get_by_label("Tên hoặc mã").press("Enter")
    page.get_by_role("link", name=GRASSROOTS, exact=True).click()
    recent = page.locator("section[aria-labelledby=audit-heading]")
    expect(recent.get_by_role("heading", name="Lịch sử thay đổi")).to_be_visible()
    expect(recent.locator("tbody tr").first).to_contain_text(CHAIR)
    expect(recent.locator("tbody tr").first).to_contain_text(MEMBERS)

    # Its full history, then everything changed in the unit: the chair's change comes first.
    recent.get_by_role("link", name="Toàn bộ lịch sử").click()
    expect(heading(page)).to_have_text(f"Lịch sử thay đổi: {GRASSROOTS}")
    page.get_by_role("link", name=re.compile("^Mọi thay đổi trong đơn vị này")).click()
    expect(page).to_have_url(re.compile(rf"/audit/organizations\.organization/{tree.grassroots.pk}/$"))
    expect(heading(page)).to_have_text(f"Lịch sử thay đổi: Đơn vị “{GRASSROOTS}”")
    expect(page.locator("main")).to_contain_text("Thay đổi của chính hồ sơ này và của các hồ sơ thuộc về nó")
    expect(page.get_by_role("columnheader")).to_have_text(["Thời điểm", "Người thực hiện", "Nội dung", "Thay đổi"])
    change = rows(page).first
    cells = change.get_by_role("cell")
    expect(cells.nth(1)).to_have_text(CHAIR)
    expect(cells.nth(2)).to_contain_text("Sửa đổi đơn vị")
    expect(cells.nth(2).get_by_role("link")).to_have_text(GRASSROOTS)
    expect(cells.nth(3).get_by_role("listitem")).to_have_text([MEMBERS, PHONE])
    expect(cells.nth(3).locator("del")).to_have_text(["420", "—"])
    expect(cells.nth(3).locator("ins")).to_have_text(["435", PHONE_NUMBER])
    # The creation stays below it, with the count as it was then.
    created = rows(page).filter(has_text="Tạo mới đơn vị")
    expect(created).to_have_count(1)
    expect(created).to_contain_text("Số đoàn viên: — → 420")
    expect(created.get_by_role("cell").nth(1)).to_have_text("hệ thống")
    expect(page.get_by_role("link", name="Mở hồ sơ")).to_have_attribute("href", f"/units/{tree.grassroots.pk}/")

    # The global journal from the menu, filtered to units changed by the chair.
    menu(page).get_by_role("link", name="Nhật ký thay đổi").click()
    expect(heading(page)).to_have_text("Nhật ký thay đổi")
    filters = page.get_by_role("form", name="Lọc nhật ký thay đổi")
    filters.get_by_label("Loại hồ sơ").select_option(label="Đơn vị")
    filters.get_by_label("Tên đăng nhập").fill("giay.chutich")
    filters.get_by_label("Tên đăng nhập").press("Enter")
    expect(page.locator("main")).to_contain_text("Chưa có thay đổi nào được ghi nhận.")
    expect(rows(page)).to_have_count(0)
    filters.get_by_label("Tên đăng nhập").fill("may.chutich")
    filters.get_by_label("Tên đăng nhập").press("Enter")
    expect(page).to_have_url(re.compile(r"kind=organizations\.organization&user=may\.chutich"))
    expect(filters.get_by_label("Loại hồ sơ")).to_have_value("organizations.organization")
    expect(filters.get_by_label("Tên đăng nhập")).to_have_value("may.chutich")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).get_by_role("cell").nth(1)).to_have_text(CHAIR)
    expect(rows(page).get_by_role("listitem")).to_have_text([MEMBERS, PHONE])

    # From the row, the chair's own journal: only the chair's changes.
    rows(page).get_by_role("link", name=CHAIR).click()
    expect(page).to_have_url(re.compile(rf"/audit/users/{personas.grassroots_chair.pk}/$"))
    expect(heading(page)).to_have_text(f"Thay đổi do {CHAIR} thực hiện")
    expect(page.locator("main")).to_contain_text("Mọi thay đổi người dùng này thực hiện trong các đơn vị bạn được")
    expect(page.get_by_role("form", name="Lọc nhật ký thay đổi")).to_have_count(0)
    authors = rows(page).locator("td:nth-child(2)")
    expect(authors.first).to_have_text(CHAIR)
    assert set(authors.all_inner_texts()) == {CHAIR}
    unit_change = rows(page).filter(has_text="Sửa đổi đơn vị")
    expect(unit_change).to_have_count(1)
    expect(unit_change.get_by_role("listitem")).to_have_text([MEMBERS, PHONE])
    unit_change.get_by_role("link", name=GRASSROOTS).click()
    expect(heading(page)).to_have_text(f"Lịch sử thay đổi: Đơn vị “{GRASSROOTS}”")


def test_the_journal_is_refused_without_the_right_and_hidden_outside_the_subtree(browser, live_server, tree, personas):
    user_journal = reverse("audit:user_journal", args=[personas.grassroots_chair.pk])
    unit_journal = reverse("audit:object_journal", args=["organizations.organization", tree.grassroots.pk])

    # A district officer holds no audit right: no menu entry, and the journal says why.
    with second_browser(browser, live_server, "phuong.chuyenvien") as officer:
        expect(menu(officer).get_by_role("link", name="Nhật ký thay đổi")).to_have_count(0)
        for url in [reverse("audit:journal"), user_journal]:
            officer.goto(url)
            expect(heading(officer)).to_have_text("Không được phép")
            expect(officer.locator("main")).to_contain_text("Vai trò của bạn không cho phép thao tác này.")
            expect(officer.locator("main table")).to_have_count(0)
            expect(officer.get_by_role("link", name="Về trang chủ")).to_be_visible()

    # The sibling union's chair audits their own union, but May Xuân Hòa is beyond their reach.
    with second_browser(browser, live_server, "giay.chutich") as sibling:
        sibling.goto(reverse("audit:journal"))
        expect(heading(sibling)).to_have_text("Nhật ký thay đổi")
        expect(rows(sibling).first).to_be_visible()
        expect(sibling.locator("main table")).to_contain_text(tree.other_grassroots.name)
        expect(sibling.locator("main")).not_to_contain_text(GRASSROOTS)
        for url in [user_journal, unit_journal]:
            sibling.goto(url)
            expect(heading(sibling)).to_have_text("Không tìm thấy trang")
            expect(sibling.locator("main")).to_contain_text("nằm ngoài phạm vi các đơn vị bạn được xem")
            expect(sibling.locator("main")).not_to_contain_text(CHAIR)
            expect(sibling.locator("main")).not_to_contain_text(GRASSROOTS)
