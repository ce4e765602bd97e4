"""The applicant's whole journey through the API, from a token to a withdrawal."""

import hashlib

from rest_framework.test import APIClient

from qualityfund.core.common.tasks import run_deferred
from tests import factories


def _upload(client, pk, material, name, content=None):
    return client.post(f"/api/v1/applications/{pk}/materials/",
                       {"material": material, "file": factories.upload(name, content)},
                       format="multipart")


def test_token_create_fill_upload_check_submit_follow_withdraw(guide, applicant):
    client = APIClient()

    # 1. A token for the applicant's username and password.
    answer = client.post("/api/v1/auth/token/",
                         {"username": applicant.username, "password": factories.PASSWORD})
    assert answer.status_code == 200, answer.json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")

    # 2. 选择办理情形: a draft in 质量基础设施优质服务.
    answer = client.post("/api/v1/applications/",
                         {"guide": guide.slug, "subprogramme": "qi-service"})
    assert answer.status_code == 201, answer.json()
    created = answer.json()
    pk = created["id"]
    assert answer["Location"].endswith(f"/api/v1/applications/{pk}/")
    assert (created["state"], created["public_state"]) == ("draft", "草稿")
    assert created["organisation"]["id"] == applicant.organisation_id
    assert created["requested_amount_cap"] == 300_000
    assert created["contact_name"] == applicant.organisation.contact_name
    assert created["form_pdf"] is None and created["editable"] is True
    listed = client.get("/api/v1/applications/").json()
    assert [row["id"] for row in listed] == [pk]

    # 3. The form: common fields and the declared figures (JSON numbers and booleans too).
    answer = client.patch(f"/api/v1/applications/{pk}/", {
        "project_name": "中小企业质量提升综合服务", "summary": "帮扶中小企业防风险稳增长。",
        "implementation_district": "南山区", "started_on": "2024-02-01",
        "requested_amount": 280_000,
        "figures": {"completed_on": "2024-11-30", "is_one_stop_platform": True,
                    "smes_served": 120, "labour_productivity_gain_percent": "8.5%",
                    "quality_loss_reduction_percent": 12, "typical_cases": "4"},
    }, format="json")
    assert answer.status_code == 200, answer.json()
    saved = answer.json()
    assert saved["started_on"] == "2024-02-01" and saved["requested_amount"] == 280_000
    assert saved["figures"]["is_one_stop_platform"] == "true"
    assert saved["figures"]["smes_served"] == "120"

    # 4. Self-check: the form and figures pass, the materials are missing.
    check = client.get(f"/api/v1/applications/{pk}/self-check/").json()
    assert check["passes"] is False
    blocking = {r["condition_id"] for r in check["blocking"]}
    assert blocking == {"material:pledge", "material:report", "material:evidence"}
    assert all(r["status"] == "missing" and r["reason"] for r in check["blocking"])
    assert check["counts"]["met"] > 0

    # 5. Materials: real PDFs; a second pledge replaces the first, which is kept.
    first = _upload(client, pk, "pledge", "承诺书.pdf")
    assert first.status_code == 201, first.json()
    assert first.json()["file_type"] == "pdf" and first.json()["superseded"] is False
    second = _upload(client, pk, "pledge", "承诺书（盖章）.pdf", factories.pdf_bytes(2))
    assert second.status_code == 201 and second.json()["replaces"] == first.json()["id"]
    report = _upload(client, pk, "report", "成果报告.pdf")
    evidence = _upload(client, pk, "evidence", "现场照片.png", factories.png_bytes())
    assert report.status_code == evidence.status_code == 201
    assert evidence.json()["file_type"] == "png"

    files = client.get(f"/api/v1/applications/{pk}/materials/").json()
    assert len(files) == 4
    pledges = [f for f in files if f["material"] == "pledge"]
    assert [f["superseded"] for f in pledges] == [True, False]
    assert pledges[0]["material_title"] == "承诺书（含廉洁承诺书及合规承诺书）"
    assert all(len(f["sha256"]) == 64 and "findings" in f for f in files)
    current = client.get(f"/api/v1/applications/{pk}/").json()["materials"]
    assert {f["id"] for f in current} == {second.json()["id"], report.json()["id"],
                                          evidence.json()["id"]}

    download = client.get(second.json()["download_url"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == second.json()["sha256"]

    # 6. Self-check passes now.
    check = client.get(f"/api/v1/applications/{pk}/self-check/").json()
    assert check["passes"] is True and check["blocking"] == []

    # 7. Submit: numbered, the 申请表 generated, nothing editable any more.
    answer = client.post(f"/api/v1/applications/{pk}/submit/")
    assert answer.status_code == 200, answer.json()
    submitted = answer.json()
    assert (submitted["state"], submitted["public_state"]) == ("submitted", "已提交，待受理")
    assert submitted["number"] == f"ZLPP-2025-QI-SERVICE-{pk:06d}"
    assert submitted["submitted_at"] and submitted["editable"] is False
    assert submitted["withdrawable"] is True
    assert {r["condition_id"] for r in submitted["self_check"]} >= {"qi-service-1"}
    form = client.get(submitted["form_pdf"], HTTP_ACCEPT="application/pdf")
    assert form.status_code == 200 and form["Content-Type"] == "application/pdf"
    assert b"".join(form.streaming_content).startswith(b"%PDF")

    # 8. Timeline: the public names the applicant sees.
    timeline = client.get(f"/api/v1/applications/{pk}/timeline/").json()
    assert [(s["state"], s["public_name"]) for s in timeline] == [
        ("draft", "草稿"), ("submitted", "已提交，待受理")]
    assert timeline[1]["by"] == applicant.display()

    # 9. Withdraw, with a reason; the timeline says so.
    answer = client.post(f"/api/v1/applications/{pk}/withdraw/", {"reason": "材料需重新准备"})
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["state"], answer.json()["public_state"]) == ("withdrawn", "已撤回")
    last = client.get(f"/api/v1/applications/{pk}/timeline/").json()[-1]
    assert (last["state"], last["note"]) == ("withdrawn", "材料需重新准备")


def test_the_automatic_findings_of_a_file(api, make_application,
                                         django_capture_on_commit_callbacks):
    """A blank pledge has no seal; the finding reaches the applicant through the API."""
    draft = make_application("qi-service")
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = _upload(api, draft.pk, "pledge", "承诺书.pdf").json()
    assert (uploaded["inspection"], uploaded["findings"]) == ("pending", [])
    assert run_deferred() == 1
    body = api.get(f"/api/v1/applications/{draft.pk}/materials/{uploaded['id']}/").json()
    assert (body["inspection"], body["inspection_label"]) == ("done", "已检查")
    assert body["findings"], "a blank page carries no seal"
    listed = api.get(f"/api/v1/applications/{draft.pk}/materials/").json()
    assert listed[0]["findings"] == body["findings"]
