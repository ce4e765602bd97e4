import pytest

from qualityfund.core.accounts.models import Role
from tests import factories

from .support import make_expert, rechecked_applications


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Dozens of accounts per test: Argon2 at 0.5 s each would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chief(db):
    """The officer who moves applications and manages panels."""
    return factories.make_user(Role.OFFICER)


@pytest.fixture
def innovation_apps(guide, chief):
    return rechecked_applications(guide, "innovation", 20, officer=chief)


@pytest.fixture
def pool(innovation_apps):
    """30 experts: one employed by an applicant, one with a declared relation to another."""
    experts = [make_expert(f"专家{i:02d}") for i in range(1, 29)]
    employed = make_expert("同单位专家", employer_code=innovation_apps[0].organisation.credit_code,
                           employer_name=innovation_apps[0].organisation.name)
    related = make_expert("关联专家", relations=[innovation_apps[1].organisation.credit_code])
    return {"all": [*experts, employed, related], "employed": employed, "related": related}
