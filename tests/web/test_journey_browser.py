"""The applicant's journey in a real browser: register → fill → self-check → upload → submit →
progress, leaving a screenshot of every step in ``test-artifacts/`` for a person to look at."""

import io
import re
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from qualityfund.core.applications.models import Application
from qualityfund.core.common.tasks import run_deferred
from qualityfund.domain.credit_code import make_valid
from tests import factories
from tests.browser import Screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG_NAME = "深圳市丙质量服务有限公司"
PASSWORD = "Journey-pass-2025"


def _fill_registration(page, code: str) -> None:
    page.fill("#id_org-credit_code", code)
    for field in ("name", "account_subject_name", "bank_account_name"):
        page.fill(f"#id_org-{field}", ORG_NAME)
    page.fill("#id_org-established_on", "2016-04-18")
    page.fill("#id_org-legal_representative", "陈志强")
    page.select_option("#id_org-district", "龙华区")
    page.fill("#id_org-industry", "专业技术服务业")
    page.fill("#id_org-address", "深圳市龙华区民治街道质量大道8号")
    page.fill("#id_org-contact_name", "周小燕")
    page.fill("#id_org-contact_phone", "0755-28000000")
    page.fill("#id_org-contact_email", "zhou@example.cn")
    page.fill("#id_org-bank_name", "中国工商银行深圳龙华支行")
    page.fill("#id_org-bank_account_number", "4000 0000 0000 0008")
    page.select_option("#id_org-trust_level", "5")
    page.fill("#id_user-username", "bing-zhou")
    page.fill("#id_user-last_name", "周")
    page.fill("#id_user-first_name", "小燕")
    page.fill("#id_user-email", "zhou@example.cn")
    page.fill("#id_user-phone", "13800000000")
    page.fill("#id_user-password1", PASSWORD)
    page.fill("#id_user-password2", PASSWORD)


def _autosave(page, selector: str, value: str, *, select: bool = False) -> None:
    """Change one field as a person would (type, then leave it) and wait for the draft save."""
    with page.expect_response(re.compile(r"/save/$")):
        if select:
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
            page.locator(selector).blur()
    expect(page.locator("#application-form")).not_to_have_class(re.compile("htmx-request"))
    expect(page.locator("#save-status")).to_contain_text("已自动保存")
    expect(page.locator(selector)).to_have_value(value)


def _upload(page, key: str, name: str) -> None:
    slot = page.locator(f"#material-{key}")
    slot.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": factories.pdf_bytes()})
    with page.expect_navigation():
        slot.get_by_role("button", name=re.compile("上传|替换")).click()
    expect(page.locator("main > .alert-success")).to_contain_text(f"已上传：{name}")


def test_register_fill_check_upload_submit_and_follow(guide, browser_page):
    page, shot = browser_page, Screenshots("journey")

    # 单位注册: a wrong check digit is refused with a message naming it.
    page.goto("/register/")
    good = make_valid("91440300MA5H7K2Q3")
    wrong_digit = "0" if good[-1] != "0" else "1"
    _fill_registration(page, good[:17] + wrong_digit)
    shot(page, "register-filled")
    page.get_by_role("button", name="注册").click()
    error = page.locator("#feedback-org-credit_code")
    expect(error).to_contain_text(f"校验位错误：第18位应为{good[-1]}")
    expect(page.locator("#id_org-credit_code")).to_have_class(re.compile("is-invalid"))
    shot(page, "register-invalid-credit-code")

    page.fill("#id_org-credit_code", good.lower()[:9] + " " + good[9:])  # normalised
    page.fill("#id_user-password1", PASSWORD)
    page.fill("#id_user-password2", PASSWORD)
    page.get_by_role("button", name="注册").click()
    expect(page.locator("main > .alert-success")).to_contain_text(f"注册成功：{ORG_NAME}")
    shot(page, "registered")

    # 选择办理情形 on the demo copy of the guide.
    page.get_by_role("link", name=re.compile("新建申请")).click()
    expect(page.locator(".demo-badge").first).to_have_text("演示副本")
    page.get_by_label(re.compile("质量基础设施优质服务子项目")).check()
    shot(page, "choose-subprogramme")
    page.get_by_role("button", name="开始填报").click()
    expect(page.locator("h1")).to_have_text("质量基础设施优质服务子项目")
    application = Application.objects.get(organisation__name=ORG_NAME)
    assert application.guide == guide
    shot(page, "form-empty")

    # The form, saved on every change; the self-check follows live.
    _autosave(page, "#id_project_name", "中小企业质量技术帮扶一站式服务")
    _autosave(page, "#id_summary", "面向龙华区中小制造企业开展计量、标准、检验检测和质量管理"
                                   "体系建设的综合帮扶，2024年内阶段性实施完毕。")
    _autosave(page, "#id_implementation_district", "龙华区", select=True)
    _autosave(page, "#id_started_on", "2024-02-01")
    _autosave(page, "#id_requested_amount", "280000")
    # Two changes in quick succession, the second while the first is being saved: neither is
    # lost on the page nor in the draft.
    def saves_both(response):
        sent = parse_qs(response.request.post_data or "")
        return (response.url.endswith("/save/")
                and sent.get("contact_name") == ["周小燕（项目）"]
                and sent.get("figure_is_one_stop_platform") == ["false"])

    with page.expect_response(saves_both):
        page.fill("#id_contact_name", "周小燕（项目）")
        page.locator("#id_contact_name").blur()
        page.select_option("#id_figure_is_one_stop_platform", "false")
    expect(page.locator("#application-form")).not_to_have_class(re.compile("htmx-request"))
    expect(page.locator("#id_contact_name")).to_have_value("周小燕（项目）")
    expect(page.locator("#id_figure_is_one_stop_platform")).to_have_value("false")
    page.reload()
    expect(page.locator("#id_contact_name")).to_have_value("周小燕（项目）")
    expect(page.locator("#id_figure_is_one_stop_platform")).to_have_value("false")
    _autosave(page, "#id_figure_completed_on", "2024-11-30")
    _autosave(page, "#id_figure_is_one_stop_platform", "true", select=True)
    _autosave(page, "#id_figure_smes_served", "一百二十六")  # not a number: named at the field
    expect(page.locator("#feedback-figure_smes_served")).to_contain_text("「服务的中小企业数量」")
    shot(page, "figure-error-at-the-field")
    _autosave(page, "#id_figure_smes_served", "126")
    expect(page.locator("#feedback-figure_smes_served")).to_be_empty()
    _autosave(page, "#id_figure_quality_loss_reduction_percent", "12")
    _autosave(page, "#id_figure_typical_cases", "4")
    _autosave(page, "#id_figure_labour_productivity_gain_percent", "3")
    threshold = page.locator('#checklist li[data-condition="qi-service-4a"]')
    expect(threshold).to_have_class(re.compile("check-not_met"))
    expect(threshold).to_contain_text("不符合")
    threshold.scroll_into_view_if_needed()
    shot(page, "self-check-threshold-not-met")

    # 检查并提交 while incomplete: refused, with the reasons.
    page.get_by_role("link", name="检查并提交").click()
    refusal = page.locator("#blocking")
    expect(refusal).to_contain_text("暂不能提交")
    expect(refusal).to_contain_text("平均劳动生产率提高5%")
    expect(refusal).to_contain_text("未上传“承诺书（含廉洁承诺书及合规承诺书）”")
    expect(page.get_by_role("button", name="确认提交")).to_be_disabled()
    shot(page, "submit-refused-with-reasons")
    refusal.get_by_role("link", name="返回修改").click()
    expect(page.locator("#id_started_on")).to_have_value("2024-02-01")  # the draft resumes

    _autosave(page, "#id_figure_labour_productivity_gain_percent", "8.5")
    expect(threshold).to_have_class(re.compile("check-met"))
    expect(threshold).to_contain_text("符合")
    threshold.scroll_into_view_if_needed()
    shot(page, "self-check-threshold-met")

    # One file per required material, two pieces of evidence.
    _upload(page, "pledge", "承诺书（盖章）.pdf")
    _upload(page, "report", "项目成果报告.pdf")
    _upload(page, "evidence", "工作总结.pdf")
    _upload(page, "evidence", "满意度调查表.pdf")
    run_deferred()  # the automatic material checks, as the background worker would
    page.reload()
    expect(page.locator("#material-evidence li")).to_have_count(2)
    page.locator("#materials").scroll_into_view_if_needed()
    shot(page, "materials-uploaded")

    page.get_by_role("link", name="检查并提交").click()
    expect(page.locator(".alert-success").first).to_contain_text("全部硬性条件已满足")
    shot(page, "submit-ready")
    page.get_by_role("button", name="确认提交").click()

    # The progress page: the timeline, and the 申请表 PDF.
    expect(page.locator("#current-state")).to_have_text("已提交，待受理")
    expect(page.locator("#timeline")).to_contain_text("草稿")
    expect(page.locator("#timeline")).to_contain_text("已提交，待受理")
    application.refresh_from_db()
    assert application.number
    expect(page.locator("body")).to_contain_text(application.number)
    shot(page, "progress")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载申请表")).click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert ORG_NAME in text
    assert application.number in text
    assert download.value.suggested_filename == f"{application.number}-申请表.pdf"


def test_demo_applicant_sees_the_demo_guide(guide, browser_page):
    page, shot = browser_page, Screenshots("demo")
    call_command("seed_demo", stdout=io.StringIO())

    page.goto("/login/")
    page.fill("#id_username", "applicant")
    page.fill("#id_password", "demo-pass-2025")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("本单位的申请")
    shot(page, "applications")

    page.get_by_role("link", name=re.compile("新建申请")).click()
    expect(page.locator("form .demo-badge")).to_have_text("演示副本")
    expect(page.locator("input[name=subprogramme]")).to_have_count(7)
    shot(page, "new-application")

    page.get_by_label(re.compile("粤港澳大湾区")).check()
    page.get_by_role("button", name="开始填报").click()
    expect(page.locator(".demo-badge")).to_have_text("演示副本")
    shot(page, "gba-form")

    # The pages in English keep their layout (translations themselves come later).
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, "gba-form-en")
    page.goto("/applications/new/")
    shot(page, "new-application-en")
    page.goto("/applications/")
    shot(page, "applications-en")
