"""Submitted applications and the bureau staff who review them."""

import pytest

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services
from tests import factories


@pytest.fixture
def rechecker(db):
    return factories.make_user(Role.RECHECKER)


@pytest.fixture
def second_rechecker(db):
    return factories.make_user(Role.RECHECKER)


@pytest.fixture
def submit(make_application, applicant):
    """A filled and submitted application of ``subprogramme``."""

    def make(subprogramme="qi-service", user=None):
        user = user or applicant
        application = make_application(subprogramme, filled=True, user=user)
        return services.submit(application, by=user)

    return make
