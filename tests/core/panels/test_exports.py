"""The panel report and the expert pool exports carry names as text, never as formulas."""

from qualityfund.core.accounts.models import Organisation
from qualityfund.core.applications.models import Application
from qualityfund.core.panels import pool as expert_pool
from qualityfund.core.panels import report, services
from qualityfund.core.panels.models import Expert
from tests.spreadsheets import HOSTILE, assert_inert

from .support import make_expert, score_all


def test_the_panel_report(guide, chief, innovation_apps, pool):
    first, second = innovation_apps[:2]
    Organisation.objects.filter(pk=first.organisation_id).update(name=HOSTILE[0])
    Application.objects.filter(pk=second.pk).update(project_name=HOSTILE[1])
    panel = services.create_panel(guide=guide, subprogramme="innovation", size=5,
                                  expertise=["质量技术攻关"], by=chief)
    panel = services.draw(panel, by=chief)
    score_all(panel, lambda member, application: (80, True))
    assert_inert(report.render_xlsx(panel), HOSTILE[:2])


def test_the_expert_pool(db):
    make_expert(HOSTILE[2], employer_name=HOSTILE[3])
    make_expert("张三", employer_name="深圳大学", relations=())
    Expert.objects.filter(name="张三").update(title=HOSTILE[4], phone=HOSTILE[5])
    exported = expert_pool.export_workbook(Expert.objects.select_related("user"))
    assert_inert(exported, HOSTILE[2:])
