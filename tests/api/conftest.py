"""API clients: anonymous, or authenticated with a token as a given user."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def client_for(db):
    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def api(client_for, applicant):
    """The applicant of organisation A, by token."""
    return client_for(applicant)
