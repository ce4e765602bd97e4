"""A Playwright page on Debian's Chromium against pytest-django's ``live_server``.

``tests/conftest.py`` registers this module as a plugin, so any test may ask for
``browser_page`` (mark it ``browser``; the live server needs a transactional database)::

    from tests.browser import Screenshots

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True)
    def test_something(browser_page):
        browser_page.goto("/")

``browser_page`` has ``base_url`` set to the live server, so ``goto("/login/")`` works, a
Chinese locale, downloads accepted and a 15 s default timeout. Chromium is the system's
(``/usr/bin/chromium``); ``playwright install`` is never needed. ``Screenshots`` numbers the
pictures of one walk under ``test-artifacts/<walk>/`` for a person to look at.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A fresh browser context (no cookies) on its own Chromium, closed after the test."""
    # Playwright's sync API runs an event loop in this thread; Django would refuse database
    # access from the test body while it runs. Allowed for this test only, not the session.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
            viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


class Screenshots:
    """``shots(page, "register")`` saves ``test-artifacts/<walk>/01-register.png`` (full page)."""

    def __init__(self, walk: str):
        self.folder = ARTIFACTS / walk
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
