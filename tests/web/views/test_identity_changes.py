"""The organisation page once the organisation has applied, and the officer's identity change
pages (身份信息变更)."""

import pytest
from django.urls import reverse

from qualityfund.core.accounts.identity_changes import submit_identity_change
from qualityfund.core.accounts.models import IdentityChangeRequest, Organisation
from qualityfund.core.notifications.models import Notification

PAGE = reverse("web:organisation")
NEW_NAME = "深圳市甲质量科技股份有限公司"


@pytest.fixture
def applied(submit):
    return submit("qi-service")


def _form(organisation, **changes) -> dict:
    data = {name: getattr(organisation, name) for name in (
        "established_on", "legal_representative", "district", "industry", "address",
        "contact_name", "contact_phone", "contact_email")}
    data["established_on"] = data["established_on"].isoformat()
    return {**data, **changes}


def test_the_page_shows_the_frozen_identity_read_only_with_a_change_form(
        applied, organisation, applicant, client_of):
    page = client_of(applicant).get(PAGE).content.decode()
    assert "已冻结" in page and "申请变更" in page and "提交变更申请" in page
    details = page.split('id="details"')[1]
    assert 'name="contact_phone"' in details and 'name="name"' not in details
    assert 'name="bank_account_number"' not in details


def test_identity_values_posted_to_the_details_form_only_ask_for_a_change(
        applied, organisation, applicant, client_of):
    """An attacker posting the identity fields the page no longer shows."""
    client = client_of(applicant)
    answer = client.post(PAGE, _form(organisation, contact_phone="0755-11112222",
                                     name=NEW_NAME, credit_code=organisation.credit_code,
                                     account_subject_name=NEW_NAME,
                                     bank_account_name=NEW_NAME, bank_name="",
                                     bank_account_number="1", trust_level=5), follow=True)
    assert "已作为身份信息变更申请提交" in answer.content.decode()
    fresh = Organisation.objects.get(pk=organisation.pk)
    assert fresh.name == organisation.name and fresh.contact_phone == "0755-11112222"
    assert IdentityChangeRequest.objects.get().changes["name"]["to"] == NEW_NAME


def test_the_applicant_asks_for_a_change_and_withdraws_it(applied, organisation, applicant,
                                                          client_of):
    client = client_of(applicant)
    data = {name: getattr(organisation, name) for name in (
        "credit_code", "name", "account_subject_name", "bank_account_name", "bank_name",
        "bank_account_number", "trust_level")}
    refused = client.post(reverse("web:organisation-identity-change"),
                          {**data, "name": "深圳市甲\u200b质量科技有限公司", "reason": "更名"})
    assert "单位名称含有不可见字符 U+200B（零宽空格）" in refused.content.decode()
    answer = client.post(reverse("web:organisation-identity-change"),
                         {**data, "name": NEW_NAME, "account_subject_name": NEW_NAME,
                          "bank_account_name": NEW_NAME, "reason": "工商变更登记后更名"},
                         follow=True)
    page = answer.content.decode()
    assert "变更申请待审核" in page and f"→ <strong>{NEW_NAME}</strong>" in page
    change = IdentityChangeRequest.objects.get()
    client.post(reverse("web:organisation-identity-change-withdraw", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == "withdrawn"
    assert "已撤回" in client.get(PAGE).content.decode()


def test_the_officer_finds_decides_and_the_applicant_is_told(
        applied, organisation, applicant, officer, client_of, django_assert_max_num_queries):
    change = submit_identity_change(organisation, {"bank_account_number": "6222000099998888"},
                                    by=applicant, reason="开户行变更")
    client = client_of(officer)
    home = client.get(reverse("web:review-queue")).content.decode()
    assert 'id="nav-identity-changes"' in home and 'id="identity-changes-count">1<' in home
    for n in range(5):
        other = Organisation.objects.get(pk=organisation.pk)
        other.pk, other.credit_code, other.name = None, f"X{n}", f"深圳市队列{n}有限公司"
        other.save()
        IdentityChangeRequest.objects.create(organisation=other, changes=change.changes,
                                             requested_by=applicant,
                                             requested_at=change.requested_at)
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("web:review-identity-changes"))
    assert listing.content.decode().count('btn-primary" href="/review/identity-changes/') == 6
    detail = client.get(reverse("web:review-identity-change", args=[change.pk])).content.decode()
    assert "开户行变更" in detail and "6222000099998888" in detail and "批准变更" in detail
    assert applied.number in detail
    refused = client.post(reverse("web:review-identity-change-decide", args=[change.pk]),
                          {"decision": "approve", "reason": ""}, follow=True)
    assert "请填写审核意见" in refused.content.decode()
    client.post(reverse("web:review-identity-change-decide", args=[change.pk]),
                {"decision": "approve", "reason": "已核对开户许可证"})
    assert Organisation.objects.get(pk=organisation.pk).bank_account_number == "6222000099998888"
    assert Notification.objects.filter(recipient=applicant,
                                       kind="identity_change.approved").exists()
    mine = client_of(applicant).get(PAGE).content.decode()
    assert "已批准" in mine and "已核对开户许可证" in mine


def test_an_applicant_reaches_no_officer_page(applied, organisation, applicant, client_of):
    change = submit_identity_change(organisation, {"name": NEW_NAME}, by=applicant)
    client = client_of(applicant)
    assert client.get(reverse("web:review-identity-changes")).status_code == 403
    assert client.get(reverse("web:review-identity-change", args=[change.pk])).status_code == 403
    answer = client.post(reverse("web:review-identity-change-decide", args=[change.pk]),
                         {"decision": "approve", "reason": "自己批准"})
    assert answer.status_code == 403
    assert IdentityChangeRequest.objects.get().status == "pending"
