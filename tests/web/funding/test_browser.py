"""In a real browser: the public notice with an objection, and the officer's plan page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from qualityfund.core.funding import services
from qualityfund.core.funding.models import Objection
from qualityfund.domain.identity import with_check_digit
from tests import factories

from .conftest import advance, brand_year

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "funding"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture
def page():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 1360, "height": 1000},
                                      locale="zh-CN")
        yield context.new_page()
        browser.close()


def _login(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit], form .btn-primary")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_notice_and_an_objection(page, live_server, guide, officer):
    director = factories.make_user("director")
    brand_year(guide, officer, 4)
    advance(services.draft_plan(guide, "brand", by=officer), officer, director, "noticed")
    page.goto(f"{live_server.url}/funding/notice/{guide.slug}/")
    expect(page.locator("#notice-brand tbody tr")).to_have_count(4)
    expect(page.locator("#notice-brand")).to_contain_text("20.00")
    page.screenshot(path=str(ARTIFACTS / "notice.png"), full_page=True)

    page.click("text=提出异议")
    page.select_option("#item", index=2)
    page.check("input[value=person]")
    page.fill("#content", "该项目活动覆盖范围与申报材料不符。")
    page.click("text=提交异议")
    expect(page.locator(".alert-danger")).to_contain_text("匿名异议不予受理")
    page.fill("#filer_name", "张三")
    page.fill("#filer_id", with_check_digit("44030519800101123"))
    page.fill("#phone", "13800000000")
    page.screenshot(path=str(ARTIFACTS / "objection-form.png"), full_page=True)
    page.click("text=提交异议")
    expect(page.locator(".alert-success")).to_contain_text("异议已提交")
    assert Objection.objects.get().filer_name == "张三"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_plan_page_and_the_what_if_budget(page, live_server, guide):
    officer = factories.make_user("officer")
    brand_year(guide, officer, 12)
    plan = services.draft_plan(guide, "brand", by=officer)
    _login(page, live_server, officer)
    page.goto(f"{live_server.url}/funding/plans/{plan.pk}/")
    expect(page.locator("#plan-items tbody tr")).to_have_count(12)
    expect(page.locator("#plan-total")).to_have_text("2,000,000")
    row = page.locator("#plan-items tbody tr").first
    row.locator("input[name=amount]").fill("180000")
    row.locator("input[name=reason]").fill("按预算统一调整")
    row.locator("text=调整").last.click()
    expect(page.locator(".alert-success")).to_contain_text("理由已记录")
    expect(page.locator("#plan-total")).to_have_text("1,980,000")
    page.screenshot(path=str(ARTIFACTS / "plan.png"), full_page=True)

    page.goto(f"{live_server.url}/funding/plans/whatif/?guide={guide.pk}")
    expect(page.locator("#whatif-brand .group-total")).to_have_text("200.00")
    page.fill("#budget_brand", "1000000")
    expect(page.locator("#whatif-brand .group-total")).to_have_text("100.00")
    page.screenshot(path=str(ARTIFACTS / "whatif.png"), full_page=True)
