"""The expert's landing page: every review waiting, with its deadline, in a fixed number of
queries however many panels they sit on."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.panels import services
from qualityfund.core.panels.models import Panel
from qualityfund.domain.workdays import workdays_between
from tests import factories
from tests.core.panels.support import make_expert, rechecked_applications, score_all


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _panels(guide, chief, expert, keys):
    """Panels of five that all seat ``expert`` (the pool has no one else of their field)."""
    for _ in range(4):
        make_expert(expertise=["标准化"])
    panels = []
    for key in keys:
        rechecked_applications(guide, key, 2, officer=chief)
        panel = services.create_panel(guide=guide, subprogramme=key, size=5,
                                      expertise=["标准化"], by=chief)
        panels.append(services.draw(panel, by=chief, workdays=10))
    return panels


def test_the_expert_lands_on_the_reviews_waiting_with_their_deadlines(guide, chief, client):
    expert = make_expert("陈专家", expertise=["标准化"])
    [panel] = _panels(guide, chief, expert, ["brand"])
    response = client.post(reverse("web:login"), {"username": expert.user.username,
                                                  "password": factories.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:panel-list")
    page = _text(response)
    deadline = timezone.localtime(panel.scoring_deadline)
    left = workdays_between(timezone.localdate(), deadline.date())
    assert f"评分截止：{deadline:%Y-%m-%d} 18:00（还有 {left} 个工作日）" in page
    assert "待完成评分表 2 份" in page and "已确认 0 / 2" in page
    assert "第一步：核对下列申报单位，确认回避情况" in page
    for entry in panel.entries.select_related("application__organisation"):
        assert entry.application.organisation.name in page
    sheet = reverse("web:panel-sheet", args=[panel.pk, panel.entries.first().application_id])
    assert sheet not in page  # no way to the sheet before the declaration
    services.clear_conflicts(panel, by=expert.user)
    page = _text(client.get(reverse("web:panel-list")))
    assert sheet in page and "第一步" not in page


def test_an_overdue_panel_and_a_finished_one(guide, chief, client_of):
    expert = make_expert(expertise=["标准化"])
    late, done = _panels(guide, chief, expert, ["brand", "qi-service"])
    Panel.objects.filter(pk=late.pk).update(scoring_deadline=timezone.now() - timedelta(days=1))
    services.appoint_chair(done, expert, by=chief)
    score_all(done, lambda member, application: (80, True))
    services.finalise(done, by=expert.user)
    page = _text(client_of(expert.user).get(reverse("web:panel-list")))
    assert "（已逾期）" in page and "已定稿的专家组" in page and done.name in page
    assert f'id="waiting-{done.pk}"' not in page


def test_the_landing_page_takes_the_same_queries_for_one_panel_or_three(guide, chief,
                                                                       client_of):
    counts = []
    for keys in (["brand"], ["qi-service", "innovation", "digital"]):
        expert = make_expert(expertise=["标准化"])
        panels = _panels(guide, chief, expert, keys)
        for panel in panels:
            services.clear_conflicts(panel, by=expert.user)
            score_all(panel, lambda member, application: (80, True))
        client = client_of(expert.user)
        with CaptureQueriesContext(connection) as queries:
            page = _text(client.get(reverse("web:panel-list")))
        assert page.count("waiting-panel") == len(keys)
        counts.append(len(queries))
        for panel in panels:  # the next round's experts alone in the field
            for member in panel.members.select_related("expert"):
                member.expert.available = False
                member.expert.save()
    assert counts[0] == counts[1]
