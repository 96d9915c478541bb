"""Two-step sign-in in Chromium: the QR code loads under the CSP, the code step signs in."""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect


def app_code(secret, step=None):
    """The app's code now, or at a given 30-second step."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() if step is None else step * 30
    return f"{totp.token():06d}"


def current_step():
    return int(time.time() // 30)


def test_set_up_an_authenticator_then_sign_in_with_its_code(page, sign_in, personas):
    sign_in("may.chuyenvien")
    page.goto("/account/")
    page.get_by_role("link", name="Thiết lập").click()
    page.get_by_role("link", name="Thiết lập đăng nhập hai bước").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập đăng nhập hai bước")

    qr = page.get_by_role("img", name="Mã QR để thêm cổng này vào ứng dụng xác thực")
    expect(qr).to_be_visible()
    # Served by the portal and allowed by the CSP: the image arrives and decodes.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Mã xác thực").fill(app_code(secret))
    page.get_by_role("button", name="Bật đăng nhập hai bước").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã dự phòng")
    # The code that confirmed the app cannot sign in again: the next one must be of a later step.
    setup_step = current_step()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.locator("#two-factor-status")).to_contain_text("Đăng nhập hai bước đang bật.")

    page.get_by_role("button", name="Vũ Văn Nhập").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").fill("may.chuyenvien")
    page.get_by_label("Mật khẩu").fill("pass-12345")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã đăng nhập")
    page.get_by_label("Mã xác thực").fill(app_code(secret, max(current_step(), setup_step + 1)))
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
