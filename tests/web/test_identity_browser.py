"""身份信息变更 in a real browser, after the plan was decided: the applicant asks for a new name
and account, an officer approves it, and the public notice still names the organisation as
decided; the director sees the change on the plan page. Screenshots in
``test-artifacts/identity/``."""

import pytest
from playwright.sync_api import expect

from qualityfund.core.accounts.models import Organisation
from qualityfund.core.funding import services as funding
from tests import factories
from tests.browser import Screenshots
from tests.core.funding.builders import planned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_NAME = "深圳市甲质量科技股份有限公司"


def _log_in(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("nav")).to_contain_text(user.display())


def test_a_change_after_the_decision_is_asked_approved_and_not_published(
        guide, organisation, applicant, officer, director, browser_page):
    page, shot = browser_page, Screenshots("identity")
    decided_name = organisation.name
    item = planned(guide, organisation, officer=officer, director=director, until="decided")

    _log_in(page, applicant)
    page.goto("/organisation/")
    expect(page.locator("#identity")).to_contain_text("已冻结")
    page.locator("#change-request summary").click()
    form = page.locator("#change-request form")
    for field in ("name", "account_subject_name", "bank_account_name"):
        form.locator(f"[name={field}]").fill(NEW_NAME)
    form.locator("[name=bank_account_number]").fill("6222 0000 8888 6666")
    form.locator("[name=reason]").fill("2025年7月完成工商变更登记，更名为股份有限公司，并更换基本存款账户。")
    form.get_by_role("button", name="提交变更申请").click()
    expect(page.locator("#pending-change")).to_contain_text(NEW_NAME)
    expect(page.locator("#identity")).to_contain_text(decided_name)
    shot(page, "organisation-pending-request")

    _log_in(page, officer)
    page.locator("#nav-identity-changes").click()
    expect(page.locator("#identity-changes")).to_contain_text(decided_name)
    page.get_by_role("link", name="审核", exact=True).click()
    expect(page.locator("#decided-items")).to_contain_text("决策时")
    page.fill("#reason", "已核对营业执照变更登记及银行开户证明，同意变更。")
    shot(page, "officer-decision")
    page.get_by_role("button", name="批准变更").click()
    expect(page.locator(".alert-success")).to_contain_text("已批准身份信息变更")
    assert Organisation.objects.get(pk=organisation.pk).name == NEW_NAME

    funding.publish_notice(item.plan, by=officer)
    page.context.clear_cookies()
    page.goto(f"/funding/notice/{guide.slug}/")
    expect(page.locator("#notice-honors")).to_contain_text(decided_name)
    expect(page.locator("main")).not_to_contain_text(NEW_NAME)
    shot(page, "public-notice-after-change")

    _log_in(page, director)
    page.goto(f"/funding/plans/{item.plan_id}/")
    expect(page.locator(".identity-changed")).to_contain_text("决策后身份信息已变更：单位名称")
    shot(page, "plan-identity-changed")
