"""The officer's draw through the pages: no seed to type (a posted one is ignored), the hash
shown before the seed, the replay checking both; an empty seat filled or closed."""

import re

from django.urls import reverse

from qualityfund.core.common.models import AuditRecord
from qualityfund.core.panels import services
from qualityfund.core.panels.models import Panel
from tests.core.panels.support import make_expert, rechecked_applications, score_all


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_posted_seed_is_ignored_and_the_replay_checks_the_hash(guide, chief, pool,
                                                                 client_of):
    client = client_of(chief)
    panel = services.create_panel(guide=guide, subprogramme="innovation", size=7,
                                  expertise=["质量技术攻关"], by=chief)
    page = _text(client.get(reverse("web:panel-detail", args=[panel.pk])))
    assert 'name="seed"' not in page and "任何人不能指定" in page
    assert 'name="workdays"' in page
    response = client.post(reverse("web:panel-draw", args=[panel.pk]),
                           {"seed": "chosen-by-the-officer", "workdays": "8"})
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.seed != "chosen-by-the-officer" and len(panel.seed) == 64
    assert "chosen-by-the-officer" not in str(
        list(AuditRecord.objects.values_list("data", flat=True)))
    page = _text(client.get(reverse("web:panel-detail", args=[panel.pk])))
    assert f"SM3：{panel.seed_hash}" in page and panel.seed in page
    assert "评分截止时间" in page
    replay = _text(client.get(reverse("web:panel-replay", args=[panel.pk])))
    assert "复核一致" in replay and "✔ 相符" in replay and "✔ 是" in replay
    Panel.objects.filter(pk=panel.pk).update(seed="0" * 64)
    replay = _text(client.get(reverse("web:panel-replay", args=[panel.pk])))
    assert "复核不一致" in replay and "✘ 不符" in replay


def test_a_bad_scoring_period_is_refused_with_its_rule(guide, chief, pool, client_of):
    client = client_of(chief)
    panel = services.create_panel(guide=guide, subprogramme="innovation", size=7,
                                  expertise=["质量技术攻关"], by=chief)
    for workdays, message in (("x", "“评分期限”应为整数（工作日）"),
                              ("45", "“评分期限”须为1至30个工作日，当前为45")):
        response = client.post(reverse("web:panel-draw", args=[panel.pk]),
                               {"workdays": workdays}, follow=True)
        assert message in _text(response)
    assert Panel.objects.get(pk=panel.pk).status == "draft"


def _vacant_panel(guide, chief, size=5):
    experts = [make_expert(expertise=["计量"]) for _ in range(size)]
    rechecked_applications(guide, "digital", 2, officer=chief)
    panel = services.draw(services.create_panel(guide=guide, subprogramme="digital", size=size,
                                                expertise=["计量"], by=chief), by=chief)
    services.appoint_chair(panel, experts[0], by=chief)
    return panel, experts


def test_an_empty_seat_is_filled_through_the_page(guide, chief, client_of):
    panel, experts = _vacant_panel(guide, chief)
    seat = panel.members.get(expert=experts[3]).seat  # where the draw put them
    expert = client_of(experts[3].user)
    application = panel.entries.first().application
    response = expert.post(reverse("web:panel-conflict", args=[panel.pk, application.pk]),
                           {"reason": "本人曾为该单位提供咨询"}, follow=True)
    assert "暂无可替换专家，已通知经办人员" in _text(response)
    page = _text(client_of(chief).get(reverse("web:panel-detail", args=[panel.pk])))
    assert f"第 {seat} 席空缺" in page and "补缺抽取" in page
    assert "现有 4 人不是5人以上单数，只能补缺抽取" in page and "close-form" not in page
    listing = _text(client_of(chief).get(reverse("web:panel-list")))
    assert "缺 1 席，待补缺" in listing
    score_all(panel, lambda member, app: (80, True))
    ranking = _text(client_of(experts[0].user).get(reverse("web:panel-ranking",
                                                           args=[panel.pk])))
    assert "专家组有 1 个空缺席位" in ranking
    assert re.search(r'id="finalise-button" disabled', ranking)
    response = client_of(chief).post(reverse("web:panel-vacancy", args=[panel.pk]),
                            {"decision": "fill", "expertise": ["计量"]}, follow=True)
    assert "补缺抽取失败：扩大范围后仍没有符合条件的专家" in _text(response)
    newcomer = make_expert("新入库专家", expertise=["数字化转型"])
    response = client_of(chief).post(reverse("web:panel-vacancy", args=[panel.pk]),
                            {"decision": "fill", "expertise": ["计量", "数字化转型"]},
                            follow=True)
    assert f"已补缺抽取：第 {seat} 席 新入库专家" in _text(response)
    panel.refresh_from_db()
    assert panel.vacant_seats == [] and panel.members.filter(expert=newcomer).exists()
    page = _text(client_of(chief).get(reverse("web:panel-detail", args=[panel.pk])))
    assert f"第 {seat} 席补缺抽取（专业领域：数字化转型、计量）" in page
    assert "复核一致" in _text(client_of(chief).get(reverse("web:panel-replay", args=[panel.pk])))


def test_the_officer_decides_to_finalise_with_five(guide, chief, client_of):
    panel, experts = _vacant_panel(guide, chief, size=7)
    application = panel.entries.first().application
    for expert in experts[5:]:
        client_of(expert.user).post(reverse("web:panel-conflict",
                                            args=[panel.pk, application.pk]),
                                    {"reason": "与申报单位存在合作关系"})
    page = _text(client_of(chief).get(reverse("web:panel-detail", args=[panel.pk])))
    assert "决定以现有 5 名专家完成评审并定稿" in page
    response = client_of(chief).post(reverse("web:panel-vacancy", args=[panel.pk]),
                            {"decision": "close", "reason": ""}, follow=True)
    assert "以现有人数定稿须填写“决定理由”" in _text(response)
    response = client_of(chief).post(reverse("web:panel-vacancy", args=[panel.pk]),
                            {"decision": "close", "reason": "专家库暂无其他计量专家"},
                            follow=True)
    assert "已记录决定：以现有 5 名专家完成评审并定稿" in _text(response)
    page = _text(client_of(chief).get(reverse("web:panel-detail", args=[panel.pk])))
    assert "决定以现有人数定稿：7 人 → 5 人，理由：专家库暂无其他计量专家" in page
    score_all(panel, lambda member, app: (80, True))
    chair = client_of(experts[0].user)
    assert chair.post(reverse("web:panel-finalise", args=[panel.pk])).status_code == 302
    assert Panel.objects.get(pk=panel.pk).status == "finalised"
    assert client_of(experts[1].user).post(reverse("web:panel-vacancy", args=[panel.pk]),
                                           {"decision": "fill"}).status_code == 403
