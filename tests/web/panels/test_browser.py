"""Panels in Debian's Chromium, one walk per person's view, screenshots to look at in
test-artifacts/panels/:

- the officer draws a panel of 7 from 30 for 20 applications — no seed to type, the seed's
  hash shown beside the seed — with the planted conflicts avoided; an expert lands on the
  reviews waiting with the deadline, finds the sheet locked until they declare no conflict,
  scores the guide's criteria with the bands beside them; the chair ranks by criterion and
  finalises; the replay checks the draw and the seed's hash; the report PDF has the rubric.
- an empty seat: the officer fills it from a wider field.
"""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.panels import services
from qualityfund.core.panels.models import Panel
from tests import factories
from tests.browser import ARTIFACTS, Screenshots
from tests.core.panels.support import make_expert, rechecked_applications, score_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, user):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_load_state()


def test_draw_score_rank_and_replay(guide, chief, pool, browser_page):
    page, shot = browser_page, Screenshots("panels")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, chief)
    page.goto("/panels/new/")
    page.select_option("#choice", f"{guide.pk}:innovation")
    page.fill("#size", "7")
    for box in page.locator("input[name=expertise]").all():
        box.set_checked(box.get_attribute("value") == "质量技术攻关")
    page.click("button:has-text('组建专家组')")
    expect(page.locator(".alert-success")).to_contain_text("共 20 个申请")
    expect(page.locator("#seed")).to_have_count(0)  # nobody types a seed
    expect(page.locator("body")).to_contain_text("任何人不能指定")
    page.fill("#workdays", "10")
    page.click("#draw-button")
    expect(page.locator(".alert-success")).to_contain_text("已随机抽取 7 名专家")
    expect(page.locator("#members tbody tr")).to_have_count(7)
    panel = Panel.objects.get()
    expect(page.locator("#seed-hash")).to_contain_text(f"SM3：{panel.seed_hash}")
    expect(page.locator("#seed-value")).to_have_text(panel.seed)
    excluded = page.locator("#excluded")
    expect(excluded).to_contain_text("同单位专家")
    expect(excluded).to_contain_text("与申报单位为同一工作单位，须回避")
    expect(excluded).to_contain_text("关联专家")
    page.select_option("#chair", index=0)
    page.click("button:has-text('指定为组长')")
    shot(page, "officer-drawn-panel")

    members = list(panel.members.select_related("expert__user"))
    login(page, members[1].expert.user)
    expect(page).to_have_url(re.compile(r"/panels/$"))  # the expert lands on their reviews
    expect(page.locator(f"#waiting-{panel.pk}")).to_contain_text("评分截止：")
    expect(page.locator("#to-do")).to_contain_text("待完成评分表 20 份")
    shot(page, "expert-landing-reviews-waiting")
    first = panel.entries.order_by("application_id").first().application
    page.goto(f"/panels/{panel.pk}/applications/{first.pk}/")
    expect(page.locator("#sheet-locked")).to_be_visible()
    expect(page.locator("#score-practicality")).to_be_disabled()
    shot(page, "expert-sheet-locked-before-declaring")
    page.goto(f"/panels/{panel.pk}/")
    page.click("#clear-button")
    expect(page.locator(".alert-success")).to_contain_text("已确认回避情况")
    page.goto(f"/panels/{panel.pk}/applications/{first.pk}/")
    expect(page.locator("#criterion-practicality")).to_contain_text("报告中的依据：")
    page.fill("#score-practicality", "86")
    expect(page.locator("#band-practicality")).to_contain_text("良好")  # marked as typed
    expect(page.locator("#criterion-practicality tr.band-current")).to_contain_text("75–89.5")
    page.fill("#score-techno-economic-effect", "105")
    page.locator("#comment-practicality").fill("选题聚焦行业共性质量问题，实施系统。")
    page.locator("#comment-practicality").blur()
    expect(page.locator("#sheet-status")).to_contain_text("已自动保存")
    expect(page.locator("#sheet-problems")).to_contain_text("评分应在 0–100 分之间")
    page.reload()  # the server marks the same band
    expect(page.locator("#criterion-practicality tr.band-current")).to_contain_text("75–89.5")
    shot(page, "expert-score-sheet-criteria")

    harsh = members[-1]

    def score_of(member, application):
        if member == harsh and application == first:
            return 25, False
        return 68 + application.pk % 8 * 3 + member.seat % 3, True

    score_all(panel, score_of)
    login(page, members[0].expert.user)
    page.goto(f"/panels/{panel.pk}/ranking/")
    expect(page.locator("#ranking tbody tr")).to_have_count(20)
    expect(page.locator("#ranking td.score-outlier")).to_have_count(1)
    expect(page.locator("#criteria thead")).to_contain_text("技术经济效果")
    expect(page.locator("#criteria tbody tr")).to_have_count(20)
    shot(page, "chair-ranking-by-criterion")
    page.click("#finalise-button")  # panels.js asks first; the dialog is accepted
    expect(page.locator(".alert-success").first).to_contain_text("评审结果已定稿")
    assert set(Application.objects.values_list("state", flat=True)) == {State.REVIEWED}
    report = page.request.get(f"/panels/{panel.pk}/report.pdf")
    assert report.ok and report.body()[:4] == b"%PDF"
    pdf = ARTIFACTS / "panels" / "report.pdf"
    pdf.write_bytes(report.body())
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf),
                    str(ARTIFACTS / "panels" / "report")], check=True)

    login(page, chief)
    page.goto(f"/panels/{panel.pk}/replay/")
    expect(page.locator("#replay-result")).to_contain_text("复核一致")
    expect(page.locator("#seed-checks")).to_contain_text("✔ 相符")
    shot(page, "replay-with-seed-check")


def test_an_empty_seat_filled_from_a_wider_field(guide, chief, browser_page):
    page, shot = browser_page, Screenshots("panels-vacancy")
    experts = [make_expert(f"计量专家{i}", expertise=["计量"]) for i in range(5)]
    rechecked_applications(guide, "digital", 2, officer=chief)
    panel = services.draw(services.create_panel(guide=guide, subprogramme="digital", size=5,
                                                expertise=["计量"], by=chief), by=chief)
    services.declare_conflict(panel.entries.first().application, by=experts[2].user,
                              reason="本人近亲属在该单位任职")
    make_expert("新入库专家", expertise=["数字化转型"])
    login(page, chief)
    page.goto("/panels/")
    expect(page.locator("body")).to_contain_text("缺 1 席，待补缺")
    page.goto(f"/panels/{panel.pk}/")
    expect(page.locator("#vacancy")).to_contain_text("席空缺")
    page.locator("#fill-form input[value='数字化转型']").check()
    shot(page, "officer-vacancy")
    page.click("#fill-button")
    expect(page.locator(".alert-success")).to_contain_text("已补缺抽取")
    expect(page.locator("#steps")).to_contain_text("补缺抽取（专业领域：数字化转型、计量）")
    shot(page, "officer-vacancy-filled")
