"""Submitted applications and the bureau staff who review them."""

import pytest

from qualityfund.core.accounts.models import Role
from tests import factories


@pytest.fixture
def second_rechecker(db):
    return factories.make_user(Role.RECHECKER)
