"""Done when (issue 3): an officer works through a queue of submitted applications in the
browser — previews, findings, accept, refuse, supplementation with a working-day deadline that
the applicant meets or misses — and a second officer rechecks.

Debian's Chromium through Playwright against the live server; screenshots of every step go
to ``test-artifacts/review/`` for a person to look at. Background jobs wait in the deferred
queue until the test runs them, as a worker would pick them up.
"""

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.states import State
from qualityfund.core.common.tasks import run_deferred
from qualityfund.domain.workdays import deadline_after
from tests import factories
from tests.domain.inspection import samples

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "review"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def as_user(browser, live_server):
    """A page signed in as ``user`` (its own browser context, its own session)."""
    contexts = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                      timezone_id="Asia/Shanghai",
                                      viewport={"width": 1366, "height": 900})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def shot():
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    count = iter(range(1, 100))

    def take(page, name):
        page.screenshot(path=str(SHOTS / f"{next(count):02d}-{name}.png"), full_page=True)

    return take


def _file(name, data):
    return {"name": name, "mimeType": "application/pdf", "buffer": data}


def _submitted(guide, name, subprogramme):
    organisation = factories.make_organisation(name)
    user = factories.make_user(Role.APPLICANT, organisation)
    application = applications.create_application(guide=guide, subprogramme=subprogramme,
                                                  by=user)
    factories.fill_application(application, user)
    run_deferred()
    return applications.submit(application, by=user), user


def test_an_officer_works_through_the_queue(guide, applicant, officer, as_user, shot):
    rechecker = factories.make_user(Role.RECHECKER)
    mine = applications.create_application(guide=guide, subprogramme="qi-service", by=applicant)
    factories.fill_application(mine, applicant)
    run_deferred()
    refused, _ = _submitted(guide, "深圳市乙检测服务有限公司", "qi-service")
    missed, _ = _submitted(guide, "深圳市丙品牌管理有限公司", "brand")

    # The applicant uploads a careless scan of the pledge and sees the findings before submitting.
    me = as_user(applicant)
    me.goto(f"/applications/{mine.pk}/")
    slot = me.locator("#material-pledge")
    slot.locator('input[type="file"]').set_input_files(
        _file("承诺书-扫描件.pdf", samples.careless_pledge_pdf()))
    slot.get_by_role("button", name="替换").click()
    expect(me.locator("#material-pledge")).to_contain_text("自动检查中")
    run_deferred()  # the worker picks the job up; the page polls for the result
    expect(me.locator("#material-pledge")).to_contain_text("第1页内容倒置", timeout=30_000)
    expect(me.locator("#material-pledge")).to_contain_text("未检测到红色公章")
    me.locator("#material-pledge").scroll_into_view_if_needed()
    shot(me, "applicant-sees-findings-before-submitting")
    me.get_by_role("link", name="检查并提交").click()
    me.get_by_role("button", name="确认提交").click()
    expect(me.locator("#current-state")).to_have_text("已提交，待受理")

    # The officer's queue: sub-programmes, counts by state, search.
    desk = as_user(officer)
    desk.goto("/review/")
    expect(desk.locator("#queue tbody tr")).to_have_count(3)
    shot(desk, "queue")
    desk.locator("#subprogramme-tabs").get_by_role("link", name="质量基础设施优质服务").click()
    expect(desk.locator("#queue tbody tr")).to_have_count(2)
    desk.fill("#q", "甲质量")
    desk.get_by_role("button", name="筛选").click()
    expect(desk.locator("#queue tbody tr")).to_have_count(1)
    mine.refresh_from_db()
    desk.get_by_role("link", name=mine.number).click()

    # Previews and findings on the staff page.
    strip = desk.locator('#material-pledge .material-file').first
    strip.scroll_into_view_if_needed()
    desk.wait_for_function("""() => {
        const images = [...document.querySelectorAll('#material-pledge .page-strip img')];
        return images.length === 2 && images.every(i => i.complete && i.naturalWidth > 300);
    }""")
    expect(desk.locator("#material-pledge figure.flagged")).to_have_count(2)
    expect(desk.locator("#material-pledge")).to_contain_text("第2页落款处未检测到红色公章")
    shot(desk, "staff-page-previews-and-findings")

    # Supplementation with a working-day deadline.
    desk.locator("#supplement summary").click()
    desk.locator('input[name="item"][value="material:pledge"]').check()
    desk.fill('input[name="reason:material:pledge"]',
              "承诺书倒置扫描且未加盖公章，请盖章后正向扫描上传")
    shot(desk, "supplementation-request-form")
    desk.get_by_role("button", name="发出补正通知").click()
    expected = timezone.localtime(deadline_after(timezone.now(), 5))
    expect(desk.locator("[role=alert].alert-success")).to_contain_text(
        f"补正截止时间 {expected:%Y-%m-%d} 18:00")
    expect(desk.locator("#current-state")).to_have_text("待补正")

    # The applicant is told, changes only the pledge and resubmits in time.
    me.goto("/applications/")
    expect(me.locator("#unread-count")).to_have_text("1")
    me.goto(f"/applications/{mine.pk}/progress/")
    expect(me.locator("#supplementation-notice")).to_contain_text("承诺书倒置扫描且未加盖公章")
    shot(me, "applicant-progress-with-request")
    me.get_by_role("link", name="前往补正").click()
    expect(me.locator('input[type="file"]')).to_have_count(1)
    expect(me.locator("#id_project_name")).to_be_disabled()
    me.locator('#material-pledge input[type="file"]').set_input_files(
        _file("承诺书-盖章.pdf", samples.sealed_pledge_pdf()))
    me.locator("#material-pledge").get_by_role("button", name="替换").click()
    run_deferred()
    expect(me.locator("#material-pledge")).to_contain_text("自动检查完成", timeout=30_000)
    shot(me, "applicant-supplementing")
    me.get_by_role("link", name="检查并提交补正").click()
    me.get_by_role("button", name="确认提交补正").click()
    expect(me.locator("[role=alert].alert-success")).to_contain_text("补正已提交")

    # The officer sees what changed and accepts.
    desk.reload()
    expect(desk.locator("#supplementations")).to_contain_text("承诺书-盖章.pdf")
    expect(desk.locator("#supplementations")).to_contain_text("已补正")
    desk.locator("#supplementations").scroll_into_view_if_needed()
    shot(desk, "staff-page-sees-what-changed")
    desk.get_by_role("button", name="受理").click()
    expect(desk.locator("#current-state")).to_have_text("已受理")

    # Another application is refused for a reason from the guide.
    desk.goto(f"/review/applications/{refused.pk}/")
    desk.locator("#refuse summary").click()
    desk.select_option("#reason", "not-eligible")
    desk.fill("#refuse-note", "实施单位不是经认定的质量基础设施“一站式”服务平台")
    desk.get_by_role("button", name="作出不予受理决定").click()
    expect(desk.locator("#current-state")).to_have_text("不予受理")
    expect(desk.locator("#history")).to_contain_text("不符合申报条件（指南七（一））")

    # A third is asked to supplement and misses the deadline: 视为放弃.
    desk.goto(f"/review/applications/{missed.pk}/")
    desk.locator("#supplement summary").click()
    desk.locator('input[name="item"][value="field:summary"]').check()
    desk.fill('input[name="reason:field:summary"]', "项目简介过于简单，请补充实施内容")
    desk.fill("#workdays", "2")
    desk.get_by_role("button", name="发出补正通知").click()
    missed.refresh_from_db()
    deadline = missed.supplementations.get().deadline
    call_command("abandon_overdue", "--now", (deadline + timedelta(minutes=1)).isoformat(),
                 stdout=StringIO())
    desk.goto("/review/?state=abandoned")
    expect(desk.locator("#queue tbody tr")).to_have_count(1)
    expect(desk.locator("#queue")).to_contain_text("深圳市丙品牌管理有限公司")
    shot(desk, "queue-abandoned")

    # A second officer rechecks.
    second = as_user(rechecker)
    second.goto(f"/review/applications/{mine.pk}/")
    second.get_by_role("button", name="复审通过").click()
    expect(second.locator("#current-state")).to_have_text("已复审")
    shot(second, "rechecked")
    mine.refresh_from_db()
    missed.refresh_from_db()
    assert (mine.state, missed.state) == (State.RECHECKED, State.ABANDONED)
