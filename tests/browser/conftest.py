"""Real Chromium journeys (Playwright) against pytest-django's live server."""

import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    # CSP violations and script errors show up as console errors.
    assert [p for p in problems if "404" not in p] == []


@pytest.fixture
def sign_in(page):
    def _sign_in(username, password="pass-12345"):
        page.goto("/account/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        return page

    return _sign_in
