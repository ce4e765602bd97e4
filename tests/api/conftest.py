"""API clients: anonymous, or authenticated with a token as a given user."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def api(client_for, applicant):
    """The applicant of organisation A, by token."""
    return client_for(applicant)
