"""Every funding export carries an applicant's text as text: organisation and project names
that start with = + - @ tab or CR are written intact and never as a formula."""

import pytest

from qualityfund.core.accounts.models import Role
from qualityfund.core.funding import exports, queries, renderers, services
from qualityfund.core.funding.models import ItemStatus
from tests import factories
from tests.core.funding.builders import clear, reviewed
from tests.spreadsheets import HOSTILE, assert_inert
from tests.web.funding.conftest import advance

NAMES = [f'=HYPERLINK("http://x","深圳市{i}")' if i == 0 else f"{HOSTILE[i]}深圳市{i}有限公司"
         for i in range(3)]
PROJECTS = [f"{HOSTILE[3 + i]}项目{i}" for i in range(3)]


@pytest.fixture
def year(guide, officer):
    """Three brand applications of hostile names, through a final plan and a payment batch."""
    director, finance = factories.make_user(Role.DIRECTOR), factories.make_user(Role.FINANCE)
    for i in range(3):
        application = reviewed(guide, factories.make_organisation(NAMES[i]), "brand",
                               score=95 - i, officer=officer, name=PROJECTS[i],
                               requested=200_000)
        clear(application, officer)
    plan = advance(services.draft_plan(guide, "brand", by=officer), officer, director, "final")
    funded = list(plan.items.filter(status=ItemStatus.FUNDED))
    services.create_batch(guide, "=第一批", funded, by=finance)
    return queries.Filters(guide=guide, subprogramme="brand"), plan


def test_the_review_and_check_exports(year):
    filters, _ = year
    assert_inert(exports.applications_xlsx(filters), NAMES + PROJECTS)
    assert_inert(exports.checks_xlsx(filters), NAMES + PROJECTS)


def test_the_plan_final_plan_and_payment_exports(year):
    filters, plan = year
    assert_inert(exports.plans_xlsx(filters), NAMES + PROJECTS)
    assert_inert(renderers.final_plan_xlsx(plan), NAMES + PROJECTS)
    assert_inert(exports.payments_xlsx(filters), [*NAMES, *PROJECTS, "=第一批"])
