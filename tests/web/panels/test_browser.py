"""The issue's "Done when" in Debian's Chromium: the officer draws a panel of 7 from a pool of
30 for 20 applications with the planted conflicts avoided, an expert autosaves a sheet, the
chair sees the trimmed-mean ranking with an outlier flagged and finalises, the replay agrees.

Screenshots go to test-artifacts/panels/ to be looked at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.panels.models import Panel
from tests import factories
from tests.core.panels.support import score_all

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "panels"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@pytest.fixture
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def login(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{live_server.url}/**")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_done_when_in_the_browser(browser, live_server, guide, chief, pool):
    page = login(browser, live_server, chief)
    page.goto(f"{live_server.url}/panels/new/")
    page.select_option("#choice", f"{guide.pk}:innovation")
    page.fill("#size", "7")
    for box in page.locator("input[name=expertise]").all():
        box.set_checked(box.get_attribute("value") == "质量技术攻关")
    page.click("button:has-text('组建专家组')")
    expect(page.locator(".alert-success")).to_contain_text("共 20 个申请")
    page.fill("#seed", "browser-done-when-2025")
    page.click("#draw-button")
    expect(page.locator(".alert-success")).to_contain_text("已随机抽取 7 名专家")
    expect(page.locator("#members tbody tr")).to_have_count(7)
    excluded = page.locator("#excluded")
    expect(excluded).to_contain_text("同单位专家")
    expect(excluded).to_contain_text("与申报单位为同一工作单位，须回避")
    expect(excluded).to_contain_text("关联专家")
    expect(excluded).to_contain_text("与申报单位存在关联关系，须回避")
    members_text = page.locator("#members").inner_text()
    assert "同单位专家" not in members_text and "关联专家" not in members_text
    page.select_option("#chair", index=0)
    page.click("button:has-text('指定为组长')")
    page.screenshot(path=ARTIFACTS / "01-drawn-panel.png", full_page=True)

    panel = Panel.objects.get()
    members = list(panel.members.select_related("expert__user"))
    expert = members[1].expert.user
    expert_page = login(browser, live_server, expert)
    expert_page.goto(f"{live_server.url}/panels/{panel.pk}/")
    expert_page.click("#clear-button")
    expect(expert_page.locator(".alert-success")).to_contain_text("已确认回避情况")
    expect(expert_page.locator("#assignments tbody tr")).to_have_count(20)
    first = panel.entries.order_by("application_id").first().application
    expert_page.goto(f"{live_server.url}/panels/{panel.pk}/applications/{first.pk}/")
    expert_page.fill("#score-d1", "86")
    expert_page.fill("#score-d2", "105")
    expert_page.locator("#comment-d1").fill("选题聚焦行业共性质量问题，意义明确。")
    expert_page.locator("#comment-d1").blur()
    expect(expert_page.locator("#sheet-status")).to_contain_text("已自动保存")
    expect(expert_page.locator("#sheet-problems")).to_contain_text("评分应在 0–100 分之间")
    expert_page.screenshot(path=ARTIFACTS / "02-score-sheet-autosave.png", full_page=True)
    expert_page.context.close()

    harsh = members[-1]

    def score_of(member, application):
        if member == harsh and application == first:
            return 25, False
        return 68 + application.pk % 8 * 3 + member.seat % 3, True

    score_all(panel, score_of)

    chair_page = login(browser, live_server, members[0].expert.user)
    chair_page.goto(f"{live_server.url}/panels/{panel.pk}/ranking/")
    expect(chair_page.locator("#ranking tbody tr")).to_have_count(20)
    expect(chair_page.locator("#ranking td.score-outlier")).to_have_count(1)
    expect(chair_page.locator("body")).to_contain_text("去掉1个最高分和1个最低分后取平均")
    expect(chair_page.locator(".rank-tie").first).to_be_visible()
    chair_page.screenshot(path=ARTIFACTS / "03-chair-ranking.png", full_page=True)
    chair_page.on("dialog", lambda dialog: dialog.accept())
    chair_page.click("#finalise-button")
    expect(chair_page.locator(".alert-success").first).to_contain_text("评审结果已定稿")
    chair_page.screenshot(path=ARTIFACTS / "04-finalised.png", full_page=True)
    report = chair_page.request.get(f"{live_server.url}/panels/{panel.pk}/report.pdf")
    assert report.ok and report.body()[:4] == b"%PDF"
    (ARTIFACTS / "report.pdf").write_bytes(report.body())
    assert set(Application.objects.values_list("state", flat=True)) == {State.REVIEWED}

    page.goto(f"{live_server.url}/panels/{panel.pk}/replay/")
    expect(page.locator("#replay-result")).to_contain_text("复核一致")
    page.screenshot(path=ARTIFACTS / "05-replay.png", full_page=True)
