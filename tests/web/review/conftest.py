"""Clients signed in as the people of formal review, and submitted applications."""

import pytest

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services
from tests import factories


@pytest.fixture
def rechecker(db):
    return factories.make_user(Role.RECHECKER)


@pytest.fixture
def signed_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def submit(make_application, applicant):
    def make(subprogramme="qi-service", user=None):
        user = user or applicant
        application = make_application(subprogramme, filled=True, user=user)
        return services.submit(application, by=user)

    return make
