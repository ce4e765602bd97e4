"""Applicants see and change only their own organisation's data: a test walks every URL and
API route as another organisation and as anonymous and expects a refusal.

Every route of the project is enumerated from the URL resolver, so a new route is covered the
day it is added. Path parameters are filled with organisation A's objects (application, file,
guide, keys). Each route is asked with GET, POST, PUT, PATCH and DELETE, carrying data that
would change A's application if a check were missing:

- anonymous: refused (401/403/404/405, or a redirect to a log-in page), unless the route is in
  ``PUBLIC``;
- an applicant of organisation B: refused (403/404/405, or a redirect to a log-in page), unless
  the route is ``PUBLIC`` or answers about the caller's own organisation (``OWN``);
- in every answer, none of A's data; after the walk, A's rows exactly as before.

A positive control asks the same routes as A, so that a refusal proves the check and not a
wrongly filled parameter.
"""

import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from PIL import Image

from qualityfund.core.accounts.models import User
from qualityfund.core.applications import services
from qualityfund.core.applications.models import Application, MaterialFile, StateChange
from qualityfund.core.common.models import AuditRecord
from tests import factories, routes

# Public by design: anyone may read them (or, for log-in and registration, post to them).
# Static files are served by WhiteNoise's middleware, not by a URL route.
PUBLIC = {
    "web:home", "web:healthz", "web:login", "web:register",
    "web:guide-list", "web:guide-detail",
    "api:openapi", "api:token", "api:guide-list", "api:guide-detail",
    "api:subprogramme-list", "api:subprogramme-detail",
    "set_language", "admin:login",
    # 社会公示 and 异议: the public reads the notice and files an objection (DESIGN.md)
    "web:funding-notice", "web:funding-objection",
}
# Answer a signed-in applicant about its own organisation (never about another).
OWN = {
    "web:organisation", "web:organisation-add-user", "web:application-list",
    "web:application-new", "api:organisation", "api:application-list",
    "web:organisation-identity-change", "api:organisation-identity-changes",
    "web:security", "web:security-start", "web:security-confirm", "web:security-disable",
    "web:password-change", "api:logout",
    "web:notification-list",
    # lists filtered to what the caller may see: an applicant sees none
    "api:panel-list",
}
# The applicant's own routes about its applications and files (the positive control).
APPLICANT_ROUTES = ("web:application-", "web:material-", "web:template-", "api:application-",
                    "api:material-")
MARKER = "甲单位绝密项目"


def _values(scene) -> dict[str, list[str]]:
    """Candidates for each path parameter, A's objects first."""
    from django.apps import apps

    application, material_file = scene.application, scene.material_file
    content_type = ContentType.objects.get_for_model(Application)
    return {
        "pk": [str(application.pk)], "id": [str(application.pk)],
        "app_pk": [str(application.pk)], "application_id": [str(application.pk)],
        "file_pk": [str(material_file.pk)], "file_id": [str(material_file.pk)],
        "slug": [application.guide.slug],
        # a template (web), a material (web upload) or a sub-programme (API)
        "key": ["pledge", application.subprogramme],
        "fmt": ["pdf"],
        "object_id": [str(application.pk)], "content_type_id": [str(content_type.pk)],
        "app_label": [config.label for config in apps.get_app_configs()],
        "url": ["no-such-page/"],
    }


@dataclass
class Scene:
    application: Application
    material_file: MaterialFile
    markers: dict[str, bytes]  # what to call it in a message → bytes that must not appear


def _secret_png() -> bytes:
    """An image no other file of the walk has."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (123, 45, 67)).save(buffer, format="PNG")
    return buffer.getvalue()


def _scene(make_application, applicant, state: str) -> Scene:
    application = make_application("qi-service", filled=True)
    application = services.save_draft(application, by=applicant,
                                      fields={"project_name": f"{MARKER}-{state}"})
    secret = services.upload_material(
        application, "evidence", SimpleUploadedFile(f"{MARKER}-照片.png", _secret_png()),
        by=applicant)
    if state == "submitted":
        application = services.submit(application, by=applicant)
    application.refresh_from_db()
    texts = [MARKER, application.organisation.name, application.organisation.credit_code]
    if application.number:
        texts.append(application.number)
    markers = {text: text.encode() for text in texts}
    markers.update({f"{text} (JSON)": json.dumps(text)[1:-1].encode() for text in texts})
    markers["the file's content"] = _secret_png()
    if application.form_pdf:
        with application.form_pdf.open("rb") as form:
            markers["the application form"] = form.read()
    return Scene(application, secret, markers)


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """The walk asks every API route five times from one address, more often than the
    anonymous rate allows (tests/api/test_throttling.py proves that limit)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}


@pytest.fixture(params=["draft", "submitted"])
def scene(request, make_application, applicant):
    return _scene(make_application, applicant, request.param)


def snapshot(application: Application) -> dict:
    """Everything of A that a stranger could change."""
    organisation = application.organisation
    return {
        "application": model_to_dict(Application.objects.get(pk=application.pk)),
        "updated_at": Application.objects.get(pk=application.pk).updated_at,
        "files": list(MaterialFile.objects.filter(application=application).values()),
        "timeline": list(StateChange.objects.filter(application=application).values()),
        "organisation": model_to_dict(organisation.__class__.objects.get(pk=organisation.pk)),
        "users": list(User.objects.filter(organisation=organisation).values()),
        "applications": list(Application.objects.filter(organisation=organisation)
                             .values_list("pk", "state")),
        "audit": AuditRecord.objects.filter(object_id__in=[
            str(application.pk), str(organisation.pk)]).count(),
    }


PDF = factories.pdf_bytes()


def _payload(method: str):
    """Data that would change A's application if a route let it through."""
    if method in ("put", "patch"):
        return {"data": json.dumps({
            "project_name": "HACKED", "name": "HACKED", "figures": {"smes_served": "1"},
            "reason": "HACKED"}), "content_type": "application/json"}
    if method == "post":
        return {"data": {
            "project_name": "HACKED", "summary": "HACKED", "reason": "HACKED",
            "material": "report", "subprogramme": "qi-service",
            "opens_at": "2025-01-01T09:00", "closes_at": "2025-12-31T18:00",
            "file": SimpleUploadedFile("HACKED.pdf", PDF),
        }}
    return {}


def walk(scene: Scene, user, refused: set[int], allowed: set[str]) -> list[str]:
    """Every route and method as ``user`` (None: anonymous); what went wrong, one per line."""
    problems = []
    values = _values(scene)
    client = Client()
    for route in routes.all_routes():
        url = routes.build_url(route, values)
        for method in routes.METHODS:
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)  # again, after a log-out route
            response = getattr(client, method)(url, **_payload(method))
            content = routes.content(response)
            leaked = [name for name, marker in scene.markers.items() if marker in content]
            if leaked:
                problems.append(f"{method.upper()} {url} ({route.name}) shows A's {leaked}")
            if route.name in allowed:
                continue
            if response.status_code in refused or routes.is_login_redirect(client, response):
                continue
            problems.append(f"{method.upper()} {url} ({route.name}) answered "
                            f"{response.status_code}, expected a refusal")
    return problems


def test_anonymous_is_refused_everywhere_but_public_routes(make_application, applicant):
    scene = _scene(make_application, applicant, "submitted")
    before = snapshot(scene.application)
    problems = walk(scene, None, {401, 403, 404, 405}, PUBLIC)
    assert problems == [], "\n".join(problems)
    assert snapshot(scene.application) == before


def test_another_organisation_is_refused_everything_of_a(scene, other_applicant):
    before = snapshot(scene.application)
    problems = walk(scene, other_applicant, {403, 404, 405}, PUBLIC | OWN)
    assert problems == [], "\n".join(problems)
    assert snapshot(scene.application) == before


def test_the_owner_reaches_every_route_of_its_objects(scene, applicant):
    """The positive control: the same URLs answer A, so the refusals above are real."""
    values = _values(scene)
    not_yet = {"web:application-form-pdf", "api:application-form-pdf"}
    problems = []
    for route in routes.all_routes():
        if not (route.name.startswith(APPLICANT_ROUTES) and route.params):
            continue
        if scene.application.state == "draft" and route.name in not_yet:
            continue
        client = Client()
        client.force_login(applicant)
        url = routes.build_url(route, values)
        status = client.get(url).status_code
        if status in (403, 404):
            problems.append(f"GET {url} ({route.name}) answered {status} to its owner")
    assert problems == [], "\n".join(problems)


def test_the_allow_lists_name_existing_routes():
    names = {route.name for route in routes.all_routes()}
    assert PUBLIC | OWN <= names, (PUBLIC | OWN) - names
    assert {"api:application-detail", "web:application-edit", "api:material-download"} <= names
