"""A plan never leaves anyone out: it covers the whole field of its sub-programme, unless the
officer splits the year into rounds (批次) on purpose; rounds and supplementary plans (追加方案)
share the year's quota, organisation limits and budget."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.funding import queries, rounds, services
from qualityfund.core.funding.models import ItemStatus, PlanState
from qualityfund.core.panels import services as panels
from tests import factories
from tests.core.panels.support import rechecked_applications

from .builders import clear, cleared


def _brand(guide, officer, n, start=0, score=90):
    return [cleared(guide, factories.make_organisation(f"深圳市批次{start + i:02d}品牌有限公司"),
                    "brand", officer=officer, score=score - i) for i in range(n)]


def _in_panel(guide, officer, n):
    """``n`` brand applications on a panel still scoring."""
    apps = rechecked_applications(guide, "brand", n, officer=officer)
    panels.create_panel(guide=guide, subprogramme="brand", size=5, expertise=["品牌建设"],
                        by=officer)
    return apps


def _reviewed(applications, officer, score=70):
    """The panel finishes: its applications reach 已评审 and pass their checks."""
    for i, application in enumerate(applications):
        application.review_score, application.review_recommended = score - i, True
        application.save()
        transition(application, State.REVIEWED, by=officer, note="专家组评审完成")
        clear(application, officer)


def _issue(plan, officer, director):
    if plan.state == PlanState.DRAFT:
        services.send_for_consultation(plan, ["市财政局"], by=officer)
    for consultation in plan.consultations.all():
        services.record_opinion(consultation, "同意", by=officer)
    services.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                             minutes=SimpleUploadedFile("纪要.pdf", factories.pdf_bytes()),
                             by=director)
    plan = services.publish_notice(plan, by=officer)
    return services.finalise_plan(plan, by=officer,
                                  at=plan.notice_ends_at + timedelta(seconds=1))


def test_a_plan_is_refused_while_applications_are_still_in_a_panel(guide, officer):
    """The bug: the brand plan was drafted, decided and issued over part of the field."""
    _brand(guide, officer, 2)
    waiting = _in_panel(guide, officer, 6)
    with pytest.raises(RuleViolation) as refused:
        services.draft_plan(guide, "brand", by=officer)
    assert "尚有6个项目未完成评审或不予资助情形查询" in refused.value.message
    assert waiting[0].number in refused.value.message and "已复审" in refused.value.message
    assert sorted(refused.value.problems) == sorted(a.pk for a in waiting)
    with pytest.raises(RuleViolation, match="分批理由"):
        services.draft_plan(guide, "brand", by=officer, round_name="第一批")


def test_a_round_on_purpose_leaves_the_rest_to_the_next_within_the_year(guide, officer,
                                                                         director):
    first = _brand(guide, officer, 8)
    waiting = _in_panel(guide, officer, 4)
    plan = services.draft_plan(guide, "brand", by=officer, round_name="第一批", budget=1_700_000,
                               reason="第二批专家组评审尚需两周，先行下达已完成评审的项目")
    assert (plan.number, plan.round_name, plan.split, plan.supplementary) == (
        1, "第一批", True, False)
    assert str(plan).endswith("特色品牌培育拟资助方案（第一批）")
    record = AuditRecord.objects.get(action="funding.plan.draft")
    assert record.data["reason"].startswith("第二批") and len(record.data["left"]) == 4
    summary = rounds.summary(plan, list(plan.items.select_related("application__organisation")))
    assert [a.pk for a in summary.left] == [a.pk for a in waiting]
    assert summary.remaining.projects == 2  # 本年度资助不超过10个项目, 8 in this round
    plan = services.send_for_consultation(plan, ["市财政局"], by=officer)
    with pytest.raises(RuleViolation, match="须集体研究决策后才能拟定下一批次"):
        services.draft_plan(guide, "brand", by=officer)
    _issue(plan, officer, director)

    # The second panel finishes; one of its applications is of an organisation already funded.
    repeat = cleared(guide, first[0].organisation, "brand", officer=officer, score=99)
    _reviewed(waiting, officer)
    second = services.draft_plan(guide, "brand", by=officer)
    assert (second.number, second.round_name, second.split, second.supplementary) == (
        2, "第2批", False, False)
    items = {i.application_id: i for i in second.items.all()}
    assert items[repeat.pk].status == ItemStatus.NOT_FUNDED
    assert "本年度前批次已有项目获资助" in items[repeat.pk].engine_reason
    funded = [i for i in items.values() if i.status == ItemStatus.FUNDED]
    # The two places the first round left, sharing the 10万元 its budget left.
    assert [i.amount for i in funded] == [50_000, 50_000]
    out = [i for i in items.values() if i.status == ItemStatus.NOT_FUNDED and i != items[
        repeat.pk]]
    assert len(out) == 2 and all("前批次已资助8个" in i.engine_reason for i in out)
    with pytest.raises(RuleViolation, match=r"资助总额185万元（含前批次160万元）超过本年度预算170万元"):
        services.adjust_amount(funded[0], 200_000, reason="足额", by=officer)


def test_a_late_application_is_flagged_and_a_supplementary_plan_needs_a_reason(
        guide, officer, director):
    _brand(guide, officer, 3)
    whole = _issue(services.draft_plan(guide, "brand", by=officer, budget=700_000), officer,
                   director)
    assert (whole.round_name, whole.split) == ("", False)
    assert not queries.stranded(guide)
    late = _brand(guide, officer, 1, start=10, score=95)[0]
    flagged = queries.stranded(guide)
    assert [(row.application.pk, row.last_plan.pk) for row in flagged] == [(late.pk, whole.pk)]
    with pytest.raises(RuleViolation, match="追加方案须填写追加理由"):
        services.draft_plan(guide, "brand", by=officer)
    with pytest.raises(RuleViolation, match="不得少于前批次已安排的60万元"):
        services.draft_plan(guide, "brand", by=officer, budget=500_000,
                            reason="异议复核后补充评审")
    extra = services.draft_plan(guide, "brand", by=officer, reason="异议复核后补充评审")
    assert extra.supplementary and extra.budget == 700_000 and str(extra).endswith(
        "追加方案（第2批）")
    item = extra.items.get()
    assert item.amount == 100_000  # the year's budget leaves 10万元 of it
    assert "本年度预算扣除前批次已安排60万元后的余额" in item.engine_reason
    assert not queries.stranded(guide)


def test_a_plan_in_consultation_is_not_redrafted(guide, officer):
    _brand(guide, officer, 1)
    plan = services.draft_plan(guide, "brand", by=officer)
    services.send_for_consultation(plan, ["市财政局"], by=officer)
    with pytest.raises(RuleViolation, match="征求意见中"):
        services.draft_plan(guide, "brand", by=officer)
    plan.refresh_from_db()
    assert plan.state == PlanState.CONSULTATION and plan.items.count() == 1
