"""Users of the funding steps, and a year of panel results to start from."""

import pytest

from qualityfund.core.accounts.models import Role
from tests import factories


@pytest.fixture
def director(db):
    return factories.make_user(Role.DIRECTOR)


@pytest.fixture
def finance(db):
    return factories.make_user(Role.FINANCE)


@pytest.fixture
def auditor(db):
    return factories.make_user(Role.AUDITOR)
