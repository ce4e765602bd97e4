import pytest

from qualityfund.core.panels import services
from tests.core.panels.conftest import _fast_passwords, chief, innovation_apps, pool  # noqa: F401


@pytest.fixture
def drawn(guide, chief, pool):  # noqa: F811
    panel = services.create_panel(guide=guide, subprogramme="innovation", size=7,
                                  expertise=["质量技术攻关"], by=chief)
    return services.draw(panel, by=chief)
