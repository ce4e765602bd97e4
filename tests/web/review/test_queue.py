"""The officer's queue: per sub-programme, counts by state, filters, search, sorting,
pagination, and a query count that does not grow with the rows."""

import pytest
from django.urls import reverse

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.review import services
from qualityfund.core.review.services import ItemRequest
from tests import factories


def _many(guide, n, subprogramme="brand"):
    """``n`` submitted applications of ``n`` organisations, built without rendering PDFs."""
    created = []
    for i in range(n):
        organisation = factories.make_organisation(f"深圳市第{i:03d}号质量科技有限公司")
        user = factories.make_user(Role.APPLICANT, organisation)
        application = applications.create_application(guide=guide, subprogramme=subprogramme,
                                                      by=user)
        applications.upload_material(application, "pledge", factories.upload(), by=user)
        Application.objects.filter(pk=application.pk).update(
            state=State.SUBMITTED, number=f"ZLPP-2025-X-{i:06d}",
            project_name=f"品牌培育项目{i:03d}", submitted_at=application.created_at)
        application.refresh_from_db()
        created.append(application)
    return created


def test_the_queue_lists_submitted_applications_with_counts_by_state(
        submit, officer, client_of, other_applicant):
    first = submit("qi-service")
    second = submit("qi-service", user=other_applicant)
    submit("honors")
    services.request_supplementation(second, by=officer,
                                     items=[ItemRequest("material:pledge", "未盖章")])

    html = client_of(officer).get(reverse("web:review-queue"), {"sub": "qi-service"}
                                  ).content.decode()

    assert first.number in html and second.number in html
    assert "ZLPP-2025-HONORS" not in html
    assert 'data-state="submitted"' in html and 'data-state="supplementing"' in html
    assert "已提交，待受理 <strong>1</strong>" in html
    assert "待补正 <strong>1</strong>" in html
    assert "优质服务" in html and "<span class=\"badge bg-light text-dark\">2</span>" in html


def test_search_by_organisation_credit_code_and_project_name(submit, officer, client_of,
                                                             other_applicant):
    mine = submit("brand")
    theirs = submit("brand", user=other_applicant)
    client = client_of(officer)
    for query in ("甲质量", mine.organisation.credit_code.lower(), mine.number):
        html = client.get(reverse("web:review-queue"), {"q": query}).content.decode()
        assert mine.number in html and theirs.number not in html, query
    Application.objects.filter(pk=theirs.pk).update(project_name="数字化计量服务")
    html = client.get(reverse("web:review-queue"), {"q": "计量"}).content.decode()
    assert theirs.number in html and mine.number not in html


def test_filter_by_state_and_sort(submit, officer, client_of, other_applicant):
    older = submit("brand")
    newer = submit("brand", user=other_applicant)
    services.accept(older, by=officer)
    client = client_of(officer)

    html = client.get(reverse("web:review-queue"), {"state": "accepted"}).content.decode()
    assert older.number in html and newer.number not in html

    html = client.get(reverse("web:review-queue"), {"sort": "-submitted"}).content.decode()
    assert html.index(newer.number) < html.index(older.number)
    html = client.get(reverse("web:review-queue"), {"sort": "submitted"}).content.decode()
    assert html.index(older.number) < html.index(newer.number)


def test_the_findings_filter_finds_files_that_failed(guide, officer, client_of):
    ok, bad = _many(guide, 2)
    ok_file, bad_file = ok.material_files.get(), bad.material_files.get()
    ok_file.findings = [{"check": "seal", "status": "pass", "page": 2, "message": "已盖章"}]
    bad_file.findings = [{"check": "seal", "status": "fail", "page": 2, "message": "未盖章"}]
    for f in (ok_file, bad_file):
        f.inspection = "done"
        f.save()
    html = client_of(officer).get(reverse("web:review-queue"), {"findings": "fail"}
                                  ).content.decode()
    assert bad.number in html and ok.number not in html
    assert "✘ 1 个文件不通过" in html


def test_pagination(guide, officer, client_of):
    _many(guide, 27)
    client = client_of(officer)
    first = client.get(reverse("web:review-queue"), {"sub": "brand"}).content.decode()
    second = client.get(reverse("web:review-queue"), {"sub": "brand", "page": 2}
                        ).content.decode()
    assert "共 27 件 · 第 1/2 页" in first
    assert first.count("data-application=") == 25 and second.count("data-application=") == 2


@pytest.mark.parametrize("rows", [5, 50])
def test_the_number_of_queries_does_not_grow_with_the_rows(guide, officer, client_of, rows,
                                                           django_assert_max_num_queries):
    _many(guide, rows)
    client = client_of(officer)
    client.get(reverse("web:review-queue"))  # session and first-use costs
    with django_assert_max_num_queries(9):
        response = client.get(reverse("web:review-queue"), {"sub": "brand", "sort": "problems"})
    assert response.content.decode().count("data-application=") == min(rows, 25)


def test_applicants_have_no_queue(applicant, client_of):
    assert client_of(applicant).get(reverse("web:review-queue")).status_code == 403
