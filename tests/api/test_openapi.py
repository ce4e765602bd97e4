"""The OpenAPI document: complete, and valid without a single warning."""

import json

from django.core.management import call_command

PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/auth/logout/": {"post"},
    "/api/v1/guides/": {"get"},
    "/api/v1/guides/{slug}/": {"get"},
    "/api/v1/guides/{slug}/subprogrammes/": {"get"},
    "/api/v1/guides/{slug}/subprogrammes/{key}/": {"get"},
    "/api/v1/organisation/": {"get", "patch"},
    "/api/v1/applications/": {"get", "post"},
    "/api/v1/applications/{id}/": {"get", "patch"},
    "/api/v1/applications/{id}/materials/": {"get", "post"},
    "/api/v1/applications/{id}/materials/{file_id}/": {"get", "delete"},
    "/api/v1/applications/{id}/materials/{file_id}/download": {"get"},
    "/api/v1/applications/{id}/self-check/": {"get"},
    "/api/v1/applications/{id}/submit/": {"post"},
    "/api/v1/applications/{id}/withdraw/": {"post"},
    "/api/v1/applications/{id}/timeline/": {"get"},
    "/api/v1/applications/{id}/form.pdf": {"get"},
}


def test_spectacular_validates_without_warnings(tmp_path, db):
    target = tmp_path / "openapi.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 "--file", str(target))
    document = json.loads(target.read_text())
    assert document["openapi"].startswith("3.")


def test_the_served_document_has_every_route(anonymous, db):
    answer = anonymous.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document = json.loads(answer.content)
    paths = {path: set(item) - {"parameters"} for path, item in document["paths"].items()}
    assert {path: paths.get(path) for path in PATHS} == PATHS
    upload = document["paths"]["/api/v1/applications/{id}/materials/"]["post"]["requestBody"]
    assert set(upload["content"]) == {"multipart/form-data"}
    form = document["paths"]["/api/v1/applications/{id}/form.pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in form["content"]
