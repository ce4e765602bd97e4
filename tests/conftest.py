"""Fixtures shared by the whole suite."""

import pytest
from rest_framework.test import APIClient

from qualityfund.core.accounts import tokens
from qualityfund.core.accounts.models import Role
from qualityfund.core.common.tasks import discard_deferred
from qualityfund.core.guides.services import load_guide, open_demo_copy
from qualityfund.domain.guide import GUIDE_2025

from . import factories

# The shared Playwright fixture ``browser_page`` for the tests marked ``browser``; the
# shared database of tests that start a server or a worker.
pytest_plugins = ["tests.browser", "tests.processes"]


@pytest.fixture
def guide_2025(db):
    """The real 2025 guide, with its real (past) window."""
    return load_guide(GUIDE_2025)


@pytest.fixture
def guide(guide_2025):
    """The demo copy of the 2025 guide, whose window is open now."""
    return open_demo_copy(guide_2025)


@pytest.fixture
def organisation(db):
    return factories.make_organisation("深圳市甲质量科技有限公司")


@pytest.fixture
def other_organisation(db):
    return factories.make_organisation("深圳市乙检测服务有限公司")


@pytest.fixture
def applicant(organisation):
    return factories.make_user(Role.APPLICANT, organisation)


@pytest.fixture
def other_applicant(other_organisation):
    return factories.make_user(Role.APPLICANT, other_organisation)


@pytest.fixture
def officer(db):
    return factories.make_user(Role.OFFICER)


@pytest.fixture
def admin_user(db):
    return factories.make_user(Role.ADMIN)


@pytest.fixture
def rechecker(db):
    return factories.make_user(Role.RECHECKER)


@pytest.fixture
def director(db):
    return factories.make_user(Role.DIRECTOR)


@pytest.fixture
def finance(db):
    return factories.make_user(Role.FINANCE)


@pytest.fixture
def auditor(db):
    return factories.make_user(Role.AUDITOR)


@pytest.fixture
def client_of(client):
    """``client_of(user)``: the test client, logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def client_for(db):
    """``client_for(user)``: an API client authenticated with a new token of ``user``'s, issued
    on the password alone (as on a server without STAFF_REQUIRE_2FA)."""

    def make(user) -> APIClient:
        api_client = APIClient()
        _, key = tokens.issue(user, second_factor=False)
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api_client

    return make


@pytest.fixture
def make_application(guide, applicant):
    """Create an application in a sub-programme; ``filled=True`` meets every hard condition."""
    from qualityfund.core.applications import services

    def make(subprogramme="qi-service", *, filled=False, user=None, with_materials=True):
        user = user or applicant
        application = services.create_application(guide=guide, subprogramme=subprogramme,
                                                   by=user)
        if filled:
            application = factories.fill_application(application, user,
                                                     with_materials=with_materials)
        return application

    return make


@pytest.fixture
def submit(make_application, applicant):
    """A filled and submitted application of ``subprogramme``."""
    from qualityfund.core.applications import services

    def make(subprogramme="qi-service", user=None):
        user = user or applicant
        application = make_application(subprogramme, filled=True, user=user)
        return services.submit(application, by=user)

    return make


@pytest.fixture(autouse=True)
def _isolated_runtime(settings, tmp_path):
    """Each test writes its files in its own folder and counts rate limits in its own cache;
    background jobs wait in a queue (``run_deferred`` runs them) so that only the tests about
    them pay for OCR."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}
    settings.TASKS_MODE = "deferred"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "media", "base_url": None}}}
    yield
    discard_deferred()
