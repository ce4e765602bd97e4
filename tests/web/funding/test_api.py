"""POST /api/v1/plan/simulate: the same contract as the command, for bureau staff."""

import json

import pytest
from rest_framework.test import APIClient

from qualityfund.core.funding import services
from qualityfund.domain.plan import simulate

from .conftest import brand_year

PAYLOAD = {"budgets": {"brand": 300_000}, "applications": [
    {"id": "a", "subprogramme": "brand", "org": "X1", "score": 90},
    {"id": "b", "subprogramme": "brand", "org": "X2", "score": 80}]}


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_simulate_answers_what_the_engine_answers(api):
    response = api.post("/api/v1/plan/simulate", PAYLOAD, format="json")
    assert response.status_code == 200
    assert response.json() == simulate(PAYLOAD)
    assert response.json()["totals"]["brand"] == 300_000


def test_malformed_input_is_a_400_naming_the_field(api):
    response = api.post("/api/v1/plan/simulate", {"applications": [{"id": "a"}]}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "applications[0].subprogramme"


def test_applicants_and_strangers_are_refused(applicant):
    assert APIClient().post("/api/v1/plan/simulate", PAYLOAD, format="json").status_code in (
        401, 403)
    client = APIClient()
    client.force_authenticate(applicant)
    assert client.post("/api/v1/plan/simulate", PAYLOAD, format="json").status_code == 403


def test_the_plans_with_rank_amount_and_rule(api, guide, officer):
    brand_year(guide, officer, 2)
    services.draft_plan(guide, "brand", by=officer)
    data = api.get(f"/api/v1/funding/plans/?guide={guide.pk}").json()
    (plan,) = data["plans"]
    assert [i["rank"] for i in plan["items"]] == [1, 2]
    assert plan["items"][0]["reason"] == "排名第1，在资助名额内，按标准予以资助20万元"
    assert json.dumps(data, ensure_ascii=False)
