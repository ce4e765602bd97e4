"""The panel endpoints of the REST API: same rules as the pages, 404 for a conflict."""

import json

from django.core.management import call_command
from rest_framework.test import APIClient

from qualityfund.core.panels import services
from tests.core.panels.support import full_values, score_all


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_expert_autosaves_confirms_and_the_chair_reads_the_ranking(drawn, chief):
    member = drawn.members.first()
    services.appoint_chair(drawn, member.expert, by=chief)
    client = api(member.expert.user)
    [listed] = client.get("/api/v1/panels/").json()
    assert listed["id"] == drawn.pk and listed["seed_hash"] == drawn.seed_hash
    assert listed["scoring_deadline"] and listed["vacant_seats"] == []
    assignments = client.get(f"/api/v1/panels/{drawn.pk}/assignments/").json()
    assert len(assignments) == 20 and assignments[0]["sheet_status"] is None
    application = assignments[0]["application"]
    url = f"/api/v1/panels/{drawn.pk}/applications/{application}/sheet/"
    answer = client.patch(url, {"scores": {"practicality": "80"}}, format="json")
    assert answer.status_code == 400 and "确认回避情况" in answer.json()["detail"]
    assert client.post(url + "confirm/").status_code == 400
    assert not drawn.sheets.exists()  # locked on the server, not only in the page
    services.clear_conflicts(drawn, by=member.expert.user)
    answer = client.patch(url, {"scores": {"practicality": "80", "techno-economic-effect": "x"}},
                          format="json")
    assert answer.status_code == 200 and answer.json()["scores"] == {"practicality": "80"}
    assert answer.json()["problems"] == ["“技术经济效果”的评分应为数字"]
    confirm = client.post(url + "confirm/")
    assert confirm.status_code == 400 and confirm.json()["problems"]
    client.patch(url, full_values(drawn, 90), format="json")
    assert client.post(url + "confirm/").json()["total"] == "90.00"
    score_all(drawn, lambda m, a: (75 + m.seat, True))
    ranking = client.get(f"/api/v1/panels/{drawn.pk}/ranking/").json()
    assert len(ranking["rows"]) == 20 and ranking["rows"][0]["complete"]
    assert set(ranking["rows"][0]["criteria"]) == {"实用性", "技术经济效果", "示范推广价值"}
    assert set(ranking["leniency"]) == {f"专家{i}" for i in range(1, 8)}
    assert api(drawn.members.last().expert.user).get(
        f"/api/v1/panels/{drawn.pk}/ranking/").status_code == 403


def test_a_conflicted_expert_gets_404(drawn):
    member = drawn.members.first()
    application = drawn.entries.first().application
    services.declare_conflict(application, by=member.expert.user, reason="曾任该单位顾问")
    client = api(member.expert.user)
    assert client.get("/api/v1/panels/").json() == []
    for url in (f"/api/v1/panels/{drawn.pk}/assignments/",
                f"/api/v1/panels/{drawn.pk}/applications/{application.pk}/sheet/"):
        assert client.get(url).status_code == 404


def test_the_panel_endpoints_are_in_a_valid_openapi_document(tmp_path, db):
    target = tmp_path / "openapi.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 "--file", str(target))
    paths = json.loads(target.read_text())["paths"]
    assert "/api/v1/panels/{id}/applications/{application_id}/sheet/" in paths


def test_nobody_sets_a_seed_through_the_api(drawn, chief):
    client = api(chief)
    for method in (client.post, client.put, client.patch):
        answer = method("/api/v1/panels/", {"seed": "chosen"}, format="json")
        assert answer.status_code == 405
    seed = drawn.seed
    drawn.refresh_from_db()
    assert drawn.seed == seed and drawn.seed != "chosen"
