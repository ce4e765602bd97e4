"""In Chromium, as the officers and the director work: checks against lists never imported,
a list imported by one officer and approved by another, a plan refused while a panel still
scores, a round drafted on purpose, the new-panel page taking part of a round, and the
director's flag. Pictures under test-artifacts/rounds-and-checks/."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from qualityfund.core.accounts.models import Role
from qualityfund.core.funding import services
from qualityfund.core.panels import services as panels
from tests import factories
from tests.browser import Screenshots
from tests.core.funding.builders import clear, lists_in_force, reviewed
from tests.core.panels.support import rechecked_applications


def _login(page, user):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _issued(guide, subprogramme, officer, director, **review):
    application = clear(reviewed(guide, factories.make_organisation("深圳市湾区下达有限公司"),
                                 subprogramme, officer=officer, **review), officer)
    plan = services.draft_plan(guide, subprogramme, by=officer)
    services.send_for_consultation(plan, ["市财政局"], by=officer)
    for consultation in plan.consultations.all():
        services.record_opinion(consultation, "同意", by=officer)
    services.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                             minutes=SimpleUploadedFile("纪要.pdf", factories.pdf_bytes()),
                             by=director)
    plan = services.publish_notice(plan, by=officer)
    services.finalise_plan(plan, by=officer, at=plan.notice_ends_at + timedelta(seconds=1))
    return application


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rounds_and_checks_through_the_pages(browser_page, guide):
    page, shot = browser_page, Screenshots("rounds-and-checks")
    officer, rechecker = factories.make_user(Role.OFFICER), factories.make_user(Role.RECHECKER)
    director = factories.make_user(Role.DIRECTOR)
    unchecked = reviewed(guide, factories.make_organisation("深圳市未导入名单有限公司"), "brand",
                         score=88, officer=officer)
    services.run_checks(unchecked, by=officer)

    # Checks against lists never imported: 未能查询, no clearance, who imports and where.
    _login(page, officer)
    page.goto(f"/funding/checks/?guide={guide.pk}")
    expect(page.locator("#list-status")).to_contain_text("严重失信主体名单：未导入")
    expect(page.locator("#check-table")).to_contain_text("未能查询5项")
    expect(page.locator("#check-table button:has-text('查询通过')")).to_have_count(0)
    shot(page, "checks-without-lists")
    page.goto(f"/funding/applications/{unchecked.pk}/checks/")
    expect(page.locator("#check-nf-4")).to_contain_text("未能查询（名单未导入/已过期）")
    expect(page.locator("#check-nf-1")).to_contain_text("经判断不存在该情形")
    shot(page, "application-checks-unavailable")

    # One officer imports the dishonesty list, another approves it.
    page.click("text=导入名单后重新查询 >> nth=0")
    page.fill("#source", "信用中国（广东深圳）2025年7月1日导出")
    page.set_input_files("#list-file", files=[{
        "name": "失信名单.csv", "mimeType": "text/csv",
        "buffer": ("统一社会信用代码,名称,日期,来源\n"
                   f"{factories.make_organisation('深圳市失信样本有限公司').credit_code},"
                   "深圳市失信样本有限公司,2025-03-01,信用中国\n").encode()}])
    page.click("text=导入名单（待复核）")
    expect(page.locator(".alert-success")).to_contain_text("待另一名经办人员复核后生效")
    expect(page.locator(".pending-list")).to_contain_text("待另一名经办人员复核")
    _login(page, rechecker)
    page.goto("/funding/lists/")
    page.click(".pending-list >> text=复核通过，生效")
    expect(page.locator("#list-dishonesty_list")).to_contain_text("生效中")
    expect(page.locator("#list-dishonesty_list")).to_contain_text("信用中国（广东深圳）")
    shot(page, "lists-approved")

    # A plan waits for the whole field: two brand applications are still on a panel.
    lists_in_force()
    for i in range(3):
        clear(reviewed(guide, factories.make_organisation(f"深圳市第一批{i}品牌有限公司"), "brand",
                       score=92 - i, officer=officer), officer)
    on_panel = rechecked_applications(guide, "brand", 2, officer=officer)
    panels.create_panel(guide=guide, subprogramme="brand", size=5, expertise=["品牌建设"],
                        by=officer, applications=on_panel[:1])
    _issued(guide, "gba", officer, director, score=85, tier=2)
    _login(page, officer)
    page.goto(f"/funding/plans/?guide={guide.pk}&subprogramme=brand")
    expect(page.locator("#plans tbody tr")).to_have_count(1)
    page.click("#plans-brand .not-ready summary")
    expect(page.locator("#plans-brand .not-ready")).to_contain_text(on_panel[0].number)
    shot(page, "plans-brand-not-ready")
    page.click("#plans-brand button:has-text('分批次拟定')")
    expect(page.locator(".alert-danger")).to_contain_text("尚有3个项目未完成评审或不予资助情形查询")
    page.fill("#plans-brand input[name=round_name]", "第一批")
    page.fill("#plans-brand textarea[name=reason]", "第二批专家组尚在评审，先行拟定已完成评审的项目")
    page.click("#plans-brand button:has-text('分批次拟定')")
    expect(page.locator("#round")).to_contain_text("批次：第一批")
    expect(page.locator("#places-left")).to_contain_text("剩余名额 7 个")
    expect(page.locator("#left-for-next")).to_contain_text("留待后续批次：3 个项目")
    shot(page, "plan-first-round")
    page.goto(f"/funding/plans/?guide={guide.pk}")
    expect(page.locator("#plans-gba .plan-progress")).to_have_text("资助计划已下达")
    shot(page, "plans-all")

    # The new-panel page: the waiting brand application, named as the second round.
    page.goto("/panels/new/")
    page.select_option("#choice", f"{guide.pk}:brand")
    expect(page.locator(f"#app-{on_panel[1].pk}")).to_be_checked()
    page.fill("#round", "第二批")
    shot(page, "new-panel-round")

    # Reviewed after gba's plan was issued: the director sees it.
    clear(reviewed(guide, factories.make_organisation("深圳市湾区迟到有限公司"), "gba",
                   score=80, tier=3, officer=officer), officer)
    _login(page, director)
    page.goto("/")
    expect(page.locator("#stranded")).to_contain_text("评审完成但未纳入任何资助方案")
    expect(page.locator("#stranded")).to_contain_text("深圳市湾区迟到有限公司")
    shot(page, "director-flag")
