"""The Content-Security-Policy in Debian's Chromium: the main pages of every role load and
behave (htmx autosave and live results, confirmations, the language switch, Bootstrap's
accordion, the panel form's expertise defaults) with no violation reported; the 403, 404 and
500 pages are Chinese in the site's frame (screenshots in test-artifacts/errors/).
"""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from playwright.sync_api import expect

from qualityfund.core.accounts.models import Role
from tests import factories
from tests.browser import Screenshots
from tests.core.panels.support import rechecked_applications

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("tests.web.views.crash_urls")]

VIOLATION = re.compile(r"Content[- ]Security[- ]Policy|Refused to|Permissions[- ]Policy")
# Reported by the page itself for whatever the console might word differently.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  "Content-Security-Policy violation: " + event.violatedDirective + " " + event.blockedURI));
"""


class Watch:
    """Every CSP (or Permissions-Policy) complaint and every script error of the walk."""

    def __init__(self, page):
        self.problems = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        self.page = page

    def _console(self, message):
        if VIOLATION.search(message.text):
            self.problems.append(f"{self.page.url}: {message.text}")

    def visit(self, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, path
        self.page.wait_for_load_state("networkidle")


def sign_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "domain": urlparse(page.url).hostname, "path": "/"}])


def test_the_roles_main_pages_under_the_policy(browser_page, guide, applicant, officer,
                                               auditor, submit, make_application):
    page, shot = browser_page, Screenshots("errors")
    watch = Watch(page)
    draft = make_application("qi-service")
    submitted = submit("brand")
    rechecked_applications(guide, "innovation", 1, officer=officer)
    expert = factories.make_user(Role.EXPERT)

    # Anyone: the home page, the guide with Bootstrap's accordion, the 404 page.
    watch.visit("/")
    watch.visit(f"/guides/{guide.slug}/")
    page.locator(".accordion-button").first.click()
    expect(page.locator(".accordion-collapse").first).to_have_class(re.compile("show"))
    watch.visit("/no-such-page/", 404)
    expect(page.locator("h1")).to_have_text("页面不存在")
    shot(page, "404")
    watch.visit("/broken/", 500)
    expect(page.locator("h1")).to_have_text("服务器出错")
    shot(page, "500")

    # The applicant: autosave through htmx, the withdraw confirmation, a bureau page (403).
    sign_in(page, applicant)
    watch.visit("/applications/")
    watch.visit(f"/applications/{draft.pk}/")
    with page.expect_response(re.compile(r"/save/$")):
        page.fill("#id_project_name", "质量提升公共服务平台")
        page.locator("#id_project_name").blur()
    expect(page.locator("#save-status")).to_contain_text("已自动保存")
    watch.visit(f"/applications/{submitted.pk}/progress/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="撤回申请").click()
    assert asked == ["确定撤回该申请？"]
    expect(page).to_have_url(re.compile(r"/progress/$"))  # dismissed: nothing was sent
    watch.visit("/organisation/")
    watch.visit("/review/", 403)
    expect(page.locator("h1")).to_have_text("无权访问")
    shot(page, "403")

    # The language switch submits itself, and back.
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    # The officer: the queue, an application, the funding pages with the live what-if, and
    # the panel form whose sub-programme choice ticks its default expertise.
    sign_in(page, officer)
    for path in ("/review/", f"/review/applications/{submitted.pk}/", "/funding/",
                 "/funding/plans/", "/funding/checks/", "/panels/"):
        watch.visit(path)
    watch.visit(f"/funding/plans/whatif/?guide={guide.pk}")
    with page.expect_response(re.compile(r"/funding/plans/whatif/")):
        page.locator("#whatif-form input[id^=budget_]").first.fill("1000000")
    watch.visit("/panels/new/")
    page.select_option("#choice", f"{guide.pk}:innovation")
    expect(page.locator("input[name=expertise]:checked").first).to_be_visible()

    # The auditor's trail and an expert's panels.
    sign_in(page, auditor)
    watch.visit("/audit/")
    sign_in(page, expert)
    watch.visit("/panels/")

    assert watch.problems == []
