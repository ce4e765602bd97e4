"""Each refusal of the applications API: its status, and a Chinese message naming the field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qualityfund.core.applications.models import Application
from tests import factories


@pytest.fixture
def draft(make_application):
    return make_application("qi-service")


@pytest.fixture
def filled(make_application):
    return make_application("qi-service", filled=True)


def _patch(api, application, body):
    return api.patch(f"/api/v1/applications/{application.pk}/", body, format="json")


def _upload(api, application, material, upload):
    return api.post(f"/api/v1/applications/{application.pk}/materials/",
                    {"material": material, "file": upload}, format="multipart")


def _error(answer, status, field=None):
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert body["detail"]
    if field is not None:
        assert body["field"] == field, body
    return body


# --- creating -------------------------------------------------------------------------------

def test_create_with_an_unknown_guide(api, guide):
    body = _error(api.post("/api/v1/applications/", {"guide": "1999", "subprogramme": "gba"}),
                  400, "guide")
    assert body["detail"] == "申报指南“1999”不存在"


def test_create_with_an_unknown_subprogramme(api, guide):
    body = _error(api.post("/api/v1/applications/",
                           {"guide": guide.slug, "subprogramme": "nobel"}), 400, "subprogramme")
    assert "nobel" in body["detail"] and "qi-service" in body["detail"]


def test_create_with_nothing(api, guide):
    body = _error(api.post("/api/v1/applications/", {}), 400)
    assert set(body["errors"]) == {"guide", "subprogramme"}
    assert body["errors"]["guide"][0].startswith("申报指南：")


def test_create_after_the_window_closed(api, guide_2025):
    body = _error(api.post("/api/v1/applications/",
                           {"guide": guide_2025.slug, "subprogramme": "gba"}), 400, "guide")
    assert "已截止" in body["detail"]
    assert not Application.objects.exists()


def test_create_by_an_officer_is_forbidden(client_for, officer, guide):
    answer = client_for(officer).post("/api/v1/applications/",
                                      {"guide": guide.slug, "subprogramme": "gba"})
    _error(answer, 403)


# --- saving a draft -------------------------------------------------------------------------

def test_patch_with_an_invalid_date(api, draft):
    body = _error(_patch(api, draft, {"started_on": "2024-02-30"}), 400, "started_on")
    assert body["detail"].startswith("项目开始日期：")


def test_patch_with_an_amount_above_the_cap(api, draft):
    body = _error(_patch(api, draft, {"requested_amount": 300_001}), 400, "requested_amount")
    assert body["detail"] == (
        "申请资助金额（元）：不能超过指南规定的最高资助金额 300000 元（30万元）")


@pytest.mark.parametrize("amount", [0, -5, 12.5, "三十万"])
def test_patch_with_an_amount_that_is_not_a_positive_whole_number(api, draft, amount):
    body = _error(_patch(api, draft, {"requested_amount": amount}), 400, "requested_amount")
    assert body["detail"].startswith("申请资助金额（元）：")


def test_patch_with_an_amount_for_a_fixed_award(api, make_application):
    honors = make_application("honors")
    body = _error(_patch(api, honors, {"requested_amount": 200_000}), 400, "requested_amount")
    assert "无需填写" in body["detail"]


def test_patch_with_a_district_outside_shenzhen(api, draft):
    body = _error(_patch(api, draft, {"implementation_district": "天河区"}), 400,
                  "implementation_district")
    assert body["detail"].startswith("项目实施地：")


def test_patch_with_an_invalid_figure(api, draft):
    body = _error(_patch(api, draft, {"figures": {"smes_served": "很多", "typical_cases": "4"}}),
                  400, "figures.smes_served")
    assert body["detail"] == "「服务的中小企业数量」须为数字"
    draft.refresh_from_db()
    assert draft.figures == {}, "nothing of a refused request is kept"


def test_patch_with_a_figure_out_of_range(api, draft):
    body = _error(_patch(api, draft, {"figures": {"quality_loss_reduction_percent": "120"}}),
                  400, "figures.quality_loss_reduction_percent")
    assert "「服务对象质量损失减少幅度」不能大于" in body["detail"]


def test_patch_with_an_unknown_figure(api, draft):
    body = _error(_patch(api, draft, {"figures": {"award_year": 2024}}), 400,
                  "figures.award_year")
    assert "award_year" in body["detail"]


def test_patch_with_figures_that_are_not_an_object(api, draft):
    _error(_patch(api, draft, {"figures": ["120"]}), 400, "figures")


def test_patch_keeps_an_emptied_figure(api, draft):
    assert _patch(api, draft, {"figures": {"smes_served": 35}}).status_code == 200
    answer = _patch(api, draft, {"figures": {"smes_served": None}})
    assert answer.status_code == 200
    assert answer.json()["figures"]["smes_served"] == ""


def test_patch_a_submitted_application(api, filled):
    api.post(f"/api/v1/applications/{filled.pk}/submit/")
    body = _error(_patch(api, filled, {"project_name": "改名"}), 400, "state")
    assert "不能修改" in body["detail"]


def test_patch_by_an_officer_is_forbidden(client_for, officer, draft):
    _error(_patch(client_for(officer), draft, {"project_name": "x"}), 403)


# --- materials ------------------------------------------------------------------------------

def test_upload_a_file_whose_content_is_not_accepted(api, draft):
    answer = _upload(api, draft, "pledge", factories.upload("承诺书.pdf", factories.png_bytes()))
    body = _error(answer, 400, "pledge")
    assert "只接受PDF" in body["detail"] and "PNG" in body["detail"]


def test_upload_to_an_unknown_material(api, draft):
    _error(_upload(api, draft, "diploma", factories.upload()), 400, "material")


def test_upload_to_the_generated_form(api, draft):
    _error(_upload(api, draft, "application-form", factories.upload()), 400, "material")


def test_upload_an_empty_file(api, draft):
    body = _error(_upload(api, draft, "report", factories.upload("空.pdf", b"")), 400, "report")
    assert "文件为空" in body["detail"]


def test_upload_without_a_file(api, draft):
    answer = api.post(f"/api/v1/applications/{draft.pk}/materials/", {"material": "report"},
                      format="multipart")
    body = _error(answer, 400, "file")
    assert body["detail"].startswith("文件：")


def test_upload_as_json_is_unsupported(api, draft):
    answer = api.post(f"/api/v1/applications/{draft.pk}/materials/", {"material": "report"},
                      format="json")
    assert answer.status_code == 415


def test_a_file_of_another_application_is_not_found(api, make_application):
    one, two = make_application("qi-service"), make_application("qi-service")
    file_id = _upload(api, one, "report", factories.upload()).json()["id"]
    _error(api.get(f"/api/v1/applications/{two.pk}/materials/{file_id}/download"), 404)
    _error(api.get(f"/api/v1/applications/{two.pk}/materials/{file_id}/"), 404)


def test_remove_a_file_keeps_it_as_superseded(api, draft):
    file_id = _upload(api, draft, "report", factories.upload()).json()["id"]
    answer = api.delete(f"/api/v1/applications/{draft.pk}/materials/{file_id}/")
    assert answer.status_code == 204
    listed = api.get(f"/api/v1/applications/{draft.pk}/materials/").json()
    assert [(f["id"], f["superseded"]) for f in listed] == [(file_id, True)]
    assert api.get(f"/api/v1/applications/{draft.pk}/").json()["materials"] == []
    _error(api.delete(f"/api/v1/applications/{draft.pk}/materials/{file_id}/"), 404)


# --- submitting and withdrawing -------------------------------------------------------------

def test_submit_with_unmet_conditions_lists_them(api, draft):
    body = _error(api.post(f"/api/v1/applications/{draft.pk}/submit/"), 400)
    assert body["detail"].startswith("以下条件未满足，不能提交：")
    ids = {p["condition_id"] for p in body["problems"]}
    assert {"form:project_name", "qi-service-1", "material:pledge"} <= ids
    assert all(p["blocking"] and p["status"] in {"missing", "not_met"} for p in body["problems"])
    draft.refresh_from_db()
    assert (draft.state, draft.number, draft.submitted_at) == ("draft", None, None)


def test_submit_after_the_window_closed(api, filled, guide):
    guide.closes_at = timezone.now() - timedelta(minutes=1)
    guide.save(update_fields=["closes_at"])
    body = _error(api.post(f"/api/v1/applications/{filled.pk}/submit/"), 400, "guide")
    assert "超过申报时间提交的不予受理" in body["detail"]


def test_submit_twice(api, filled):
    assert api.post(f"/api/v1/applications/{filled.pk}/submit/").status_code == 200
    body = _error(api.post(f"/api/v1/applications/{filled.pk}/submit/"), 400, "state")
    assert "不能提交" in body["detail"]


def test_submit_by_an_officer_is_forbidden(client_for, officer, filled):
    _error(client_for(officer).post(f"/api/v1/applications/{filled.pk}/submit/"), 403)


def test_withdraw_a_draft(api, draft):
    body = _error(api.post(f"/api/v1/applications/{draft.pk}/withdraw/"), 400, "state")
    assert "受理后不能撤回" in body["detail"] or "草稿" in body["detail"]


def test_withdraw_twice(api, filled):
    api.post(f"/api/v1/applications/{filled.pk}/submit/")
    assert api.post(f"/api/v1/applications/{filled.pk}/withdraw/").status_code == 200
    _error(api.post(f"/api/v1/applications/{filled.pk}/withdraw/"), 400, "state")


def test_form_pdf_before_submission(api, draft):
    body = _error(api.get(f"/api/v1/applications/{draft.pk}/form.pdf",
                          HTTP_ACCEPT="application/pdf"), 404)
    assert body["detail"] == "申请提交后自动生成申请表"


# --- who asks -------------------------------------------------------------------------------

def test_anonymous_must_authenticate(anonymous, draft):
    for url in ("/api/v1/applications/", f"/api/v1/applications/{draft.pk}/",
                "/api/v1/organisation/"):
        _error(anonymous.get(url), 401)


def test_an_invalid_token_is_refused(draft):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    _error(client.get("/api/v1/applications/"), 401)


def test_another_organisation_application_is_not_found(client_for, other_applicant, draft):
    other = client_for(other_applicant)
    assert other.get("/api/v1/applications/").json() == []
    for answer in (other.get(f"/api/v1/applications/{draft.pk}/"),
                   _patch(other, draft, {"project_name": "x"}),
                   other.get(f"/api/v1/applications/{draft.pk}/self-check/"),
                   other.post(f"/api/v1/applications/{draft.pk}/submit/")):
        body = _error(answer, 404)
        assert body["detail"] == "没有找到该申请"
    assert _error(other.get("/api/v1/applications/999999/"), 404) == body


def test_an_officer_reads_but_does_not_change(client_for, officer, draft):
    client = client_for(officer)
    assert client.get(f"/api/v1/applications/{draft.pk}/").status_code == 200
    assert [a["id"] for a in client.get("/api/v1/applications/").json()] == [draft.pk]
    _error(client.post(f"/api/v1/applications/{draft.pk}/withdraw/"), 403)
