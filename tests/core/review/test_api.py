"""The review endpoints of the REST API: the same services, the same rules."""


from qualityfund.core.applications import services as applications
from tests import factories


def test_an_officer_works_through_the_queue_by_api(submit, officer, rechecker, applicant,
                                                   client_for):
    application = submit("brand")
    staff = client_for(officer)

    queue = staff.get("/api/v1/review/queue/", {"subprogramme": "brand"}).json()
    assert queue["count"] == 1 and queue["state_counts"] == {"submitted": 1}
    assert queue["results"][0]["number"] == application.number

    asked = staff.post(f"/api/v1/review/applications/{application.pk}/supplementation/",
                       {"items": [{"key": "material:pledge", "reason": "未盖章"}]},
                       format="json")
    assert asked.status_code == 201, asked.json()
    assert asked.json()["deadline"].endswith("18:00:00+08:00")

    mine = client_for(applicant)
    refused = mine.post(f"/api/v1/applications/{application.pk}/resubmit/")
    assert refused.status_code == 400
    assert "以下补正事项尚未修改" in refused.json()["detail"]
    applications.upload_material(application, "pledge", factories.upload("盖章.pdf"),
                                 by=applicant)
    assert mine.post(f"/api/v1/applications/{application.pk}/resubmit/").json()[
        "state"] == "submitted"
    rounds = mine.get(f"/api/v1/applications/{application.pk}/supplementations/").json()
    assert rounds[0]["status"] == "met"
    assert rounds[0]["changes"]["files"][0]["name"] == "盖章.pdf"

    accepted = staff.post(f"/api/v1/review/applications/{application.pk}/accept/", {})
    assert accepted.json()["public_state"] == "已受理"
    same = client_for(rechecker)
    assert same.post(f"/api/v1/review/applications/{application.pk}/recheck/"
                     ).json()["state"] == "rechecked"


def test_refusal_reasons_and_refusing_need_staff(submit, officer, applicant, client_for):
    application = submit()
    assert client_for(applicant).get("/api/v1/review/queue/").status_code == 403
    reasons = client_for(officer).get("/api/v1/review/refusal-reasons/").json()
    assert reasons[0]["label"] == "不符合申报条件"
    answer = client_for(applicant).post(f"/api/v1/review/applications/{application.pk}/refuse/",
                                    {"reason": "late"})
    assert answer.status_code == 403
    answer = client_for(officer).post(f"/api/v1/review/applications/{application.pk}/refuse/",
                                  {"reason": "other"})
    assert answer.status_code == 400 and answer.json()["field"] == "note"
