"""The funding pages: each answers its role, refuses the others, and reads a fixed number of
queries however many projects a plan holds."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from qualityfund.core.common.models import AuditRecord
from qualityfund.core.funding import services
from qualityfund.core.funding.models import ItemStatus, Objection
from qualityfund.domain.identity import with_check_digit
from tests import factories

from .conftest import advance, brand_year


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_plan_page_reads_a_fixed_number_of_queries(guide, officer, director, client_of):
    apps = brand_year(guide, officer, 3)
    plan = services.draft_plan(guide, "brand", by=officer)
    client = client_of(officer)
    url = reverse("web:funding-plan", args=[plan.pk])
    small = _queries(client, url)
    brand_year(guide, officer, 9, start=3)
    plan = services.draft_plan(guide, "brand", by=officer)
    large = _queries(client, url)
    assert large == small
    page = client.get(url).content.decode()
    assert "排名第1，在资助名额内，按标准予以资助20万元" in page
    assert apps[0].organisation.name in page


def test_the_public_notice_reads_a_fixed_number_of_queries(guide, officer, director, client):
    brand_year(guide, officer, 3)
    plan = advance(services.draft_plan(guide, "brand", by=officer), officer, director,
                   "noticed")
    url = reverse("web:funding-notice", args=[guide.slug])
    small = _queries(client, url)
    plan.refresh_from_db()
    assert client.get(url).status_code == 200  # no log-in
    brand_year(guide, officer, 9, start=3, subprogramme="qi-service")
    advance(services.draft_plan(guide, "qi-service", by=officer), officer, director, "noticed")
    large = _queries(client, url)
    assert large == small  # one more plan and nine more rows, not one more query
    page = client.get(url).content.decode()
    assert "25.00" in page and "20.00" in page and "匿名异议不予受理" in page


def test_no_notice_no_page(guide, client):
    assert client.get(reverse("web:funding-notice", args=[guide.slug])).status_code == 404


def test_an_objection_through_the_public_form(guide, officer, director, client):
    brand_year(guide, officer, 2)
    plan = advance(services.draft_plan(guide, "brand", by=officer), officer, director,
                   "noticed")
    item = plan.items.first()
    url = reverse("web:funding-objection", args=[guide.slug])
    anonymous = client.post(url, {"item": item.pk, "filer_kind": "person", "content": "有问题"},
                            follow=True)
    assert "匿名异议不予受理" in anonymous.content.decode()
    assert not Objection.objects.exists()
    no_scan = client.post(url, {"item": item.pk, "filer_kind": "organisation",
                                "filer_name": "深圳市某协会", "filer_id": item.application
                                .organisation.credit_code, "phone": "0755-1",
                                "content": "有问题"}, follow=True)
    assert "单位提出异议须上传加盖公章的异议书扫描件" in no_scan.content.decode()
    done = client.post(url, {"item": item.pk, "filer_kind": "person", "filer_name": "李四",
                             "filer_id": with_check_digit("44030419900202002"),
                             "phone": "13900000000", "content": "项目名称与实际不符"},
                       follow=True)
    assert "异议已提交" in done.content.decode()
    assert Objection.objects.get().item == item


def test_the_sealed_scan_of_an_objection_is_downloaded_on_the_record(guide, officer, director,
                                                                     client_of):
    brand_year(guide, officer, 1)
    plan = advance(services.draft_plan(guide, "brand", by=officer), officer, director,
                   "noticed")
    item = plan.items.first()
    objection = services.file_objection(
        plan, item=item, filer_kind="organisation", filer_name="深圳市某协会",
        filer_id=item.application.organisation.credit_code, phone="0755-1", content="有问题",
        sealed_scan=SimpleUploadedFile("异议书.pdf", factories.pdf_bytes()))
    client = client_of(officer)
    assert client.get(reverse("web:funding-objection-scan", args=[objection.pk])
                      ).status_code == 200
    record = AuditRecord.objects.get(action="access.download")
    assert (record.actor, record.object_id) == (officer, str(objection.pk))


def test_bureau_pages_send_visitors_to_log_in_and_refuse_applicants(guide, officer, applicant,
                                                                    client_of, client):
    brand_year(guide, officer, 1)
    plan = services.draft_plan(guide, "brand", by=officer)
    urls = [reverse("web:funding-home"), reverse("web:funding-checks"),
            reverse("web:funding-plans"), reverse("web:funding-plan", args=[plan.pk]),
            reverse("web:funding-whatif"), reverse("web:funding-payments"),
            reverse("web:funding-lists")]
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("web:login"))
    client = client_of(applicant)
    for url in urls:
        assert client.get(url).status_code == 403, url  # not a loop through the log-in page
    client = client_of(officer)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_finance_user_cannot_adjust_a_plan(guide, officer, finance, client_of):
    brand_year(guide, officer, 1)
    plan = services.draft_plan(guide, "brand", by=officer)
    item = plan.items.get()
    response = client_of(finance).post(reverse("web:funding-item-adjust", args=[item.pk]),
                                       {"amount": "1000", "reason": "试试"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.amount == 200_000


def test_the_officer_adjusts_an_amount_on_the_page(guide, officer, client_of):
    brand_year(guide, officer, 2)
    plan = services.draft_plan(guide, "brand", by=officer)
    item = plan.items.order_by("rank").first()
    client = client_of(officer)
    url = reverse("web:funding-item-adjust", args=[item.pk])
    refused = client.post(url, {"amount": "150000", "reason": ""}, follow=True)
    assert "调整资助金额须填写调整理由" in refused.content.decode()
    client.post(url, {"amount": "15万", "reason": "按预算统一调整"})
    item.refresh_from_db()
    assert (item.amount, item.status) == (150_000, ItemStatus.FUNDED)
    page = client.get(reverse("web:funding-plan", args=[plan.pk])).content.decode()
    assert "按预算统一调整" in page


def test_the_what_if_page_moves_with_the_budget_and_saves_nothing(guide, officer, client_of):
    brand_year(guide, officer, 4)
    client = client_of(officer)
    url = reverse("web:funding-whatif")
    full = client.post(url, {"guide": guide.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "80.00" in full
    cut = client.post(url, {"guide": guide.pk, "budget_brand": "500000"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "50.00" in cut and "预算不足，按预算额度折算分配，予以资助12.5万元" in cut
    assert "<html" not in cut  # the htmx answer is the fragment only
    bad = client.post(url, {"guide": guide.pk, "budget_brand": "五十"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "特色品牌培育预算" in bad
    assert not guide.funding_plans.exists()


def test_exports_carry_the_filters_of_their_page(guide, officer, client_of):
    brand_year(guide, officer, 2)
    services.draft_plan(guide, "brand", by=officer)
    client = client_of(officer)
    for url, title in (
            (reverse("web:funding-checks") + f"?guide={guide.pk}&subprogramme=brand"
             "&state=cleared&export=xlsx", "评审结果与查询情况"),
            (reverse("web:funding-checks") + f"?guide={guide.pk}&subprogramme=brand"
             "&export=checks", "不予资助情形查询"),
            (reverse("web:funding-plans") + f"?guide={guide.pk}&subprogramme=brand&export=xlsx",
             "拟资助方案"),
            (reverse("web:funding-payments") + f"?guide={guide.pk}&subprogramme=brand"
             "&export=xlsx", "资金拨付")):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
        assert cells[0] == [title]
        assert ["筛选条件：子项目", "特色品牌培育项目"] in cells
        if "state=cleared" in url:
            assert ["筛选条件：状态", "不予资助情形查询通过"] in cells
            assert sum(1 for row in cells if "特色品牌培育" in row) == 2


def test_the_final_plan_downloads(guide, officer, director, client_of):
    brand_year(guide, officer, 2)
    plan = advance(services.draft_plan(guide, "brand", by=officer), officer, director, "final")
    client = client_of(officer)
    pdf = client.get(reverse("web:funding-plan-final-pdf", args=[plan.pk]))
    assert pdf.content.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(client.get(
        reverse("web:funding-plan-final-xlsx", args=[plan.pk])).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "合计" and rows[-1][6] == "肆拾万元整"
    assert rows[3][6] == "贰拾万元整" and rows[3][5] == 200000


def test_the_final_plan_pdf_reads_in_chinese_with_upper_case_amounts(guide, officer, director,
                                                                       client_of):
    """Saved for a look: test-artifacts/funding/final-plan.pdf (pdftoppm -r 60)."""
    from pathlib import Path

    from pypdf import PdfReader

    brand_year(guide, officer, 3)
    plan = advance(services.draft_plan(guide, "brand", by=officer), officer, director, "final")
    pdf = client_of(officer).get(reverse("web:funding-plan-final-pdf", args=[plan.pk])).content
    out = Path(__file__).resolve().parents[3] / "test-artifacts" / "funding"
    out.mkdir(parents=True, exist_ok=True)
    (out / "final-plan.pdf").write_bytes(pdf)
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "2025年度深圳市质量品牌领域专项资金资助计划" in text
    assert "200,000.00" in text and "贰拾万元整" in text
    assert "合计：3个项目" in text and "600,000.00" in text and "陆拾万元整" in text
