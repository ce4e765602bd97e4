import pytest

from qualityfund.domain.guide import GUIDE_2025, Guide, load_guide


@pytest.fixture(scope="session")
def guide() -> Guide:
    return load_guide(GUIDE_2025)


@pytest.fixture(scope="session")
def guide_text() -> str:
    return GUIDE_2025.read_text(encoding="utf-8")
