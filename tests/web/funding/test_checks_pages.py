"""The checks and lists pages: a check against no data says so and offers no clearance; the
page says who imports lists and links there; one officer imports, another approves."""

from django.urls import reverse

from qualityfund.core.funding import services
from qualityfund.core.funding.models import ListImport
from tests import factories
from tests.core.funding.builders import LIST_HEADER, csv_upload, reviewed


def test_the_checks_page_shows_a_missing_list_as_no_answer(guide, officer, client_of):
    application = reviewed(guide, factories.make_organisation("深圳市未导入有限公司"), "brand",
                           score=80, officer=officer)
    services.run_checks(application, by=officer)
    client = client_of(officer)
    page = client.get(reverse("web:funding-checks") + f"?guide={guide.pk}").content.decode()
    assert "严重失信主体名单：<span class=\"text-danger fw-bold\">未导入" in page
    assert "名单由受理/初审或复审人员导入，经另一名经办人员复核后生效" in page
    assert reverse("web:funding-lists") in page
    assert "未能查询5项" in page and "待判断2项" in page
    assert reverse("web:funding-application-clear", args=[application.pk]) not in page
    detail = client.get(reverse("web:funding-application-checks", args=[application.pk]))
    text = detail.content.decode()
    assert "未能查询（名单未导入/已过期）" in text and "名单尚未导入" in text
    assert "经判断不存在该情形" in text and "确认查询通过" not in text


def test_one_officer_imports_and_another_approves_on_the_lists_page(officer, rechecker,
                                                                    client_of):
    organisation = factories.make_organisation("深圳市名单页有限公司")
    client = client_of(officer)
    refused = client.post(reverse("web:funding-list-import"), {
        "kind": "dishonesty_list", "file": csv_upload("失信.csv", [LIST_HEADER])}, follow=True)
    assert "请填写名单来源" in refused.content.decode()
    client.post(reverse("web:funding-list-import"), {
        "kind": "dishonesty_list", "source": "信用中国（广东深圳）7月1日导出",
        "file": csv_upload("失信.csv", [LIST_HEADER, [
            organisation.credit_code, organisation.name, "2025-03-01", "信用中国"]])})
    batch = ListImport.objects.get()
    page = client.get(reverse("web:funding-lists")).content.decode()
    assert "1个版本待复核" in page and "待另一名经办人员复核" in page
    assert reverse("web:funding-list-review", args=[batch.pk]) not in page
    own = client.post(reverse("web:funding-list-review", args=[batch.pk]),
                      {"decision": "approve"}, follow=True)
    assert "导入人以外的另一名经办人员" in own.content.decode()
    client = client_of(rechecker)
    page = client.get(reverse("web:funding-lists")).content.decode()
    assert reverse("web:funding-list-review", args=[batch.pk]) in page
    client.post(reverse("web:funding-list-review", args=[batch.pk]), {"decision": "approve"})
    page = client.get(reverse("web:funding-lists")).content.decode()
    row = page[page.index('id="list-dishonesty_list"'):][:900]
    for words in ("生效中", "信用中国（广东深圳）7月1日导出", ">1<", officer.display(),
                  rechecker.display()):
        assert words in row, words


def test_an_admin_no_longer_imports_lists(admin_user, client_of):
    response = client_of(admin_user).post(reverse("web:funding-list-import"), {
        "kind": "dishonesty_list", "source": "x", "file": csv_upload("a.csv", [LIST_HEADER])})
    assert response.status_code == 403
    assert not ListImport.objects.exists()
