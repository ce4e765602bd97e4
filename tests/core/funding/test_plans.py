"""The plan's lifecycle rules that the end-to-end test does not reach."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.funding import services
from qualityfund.core.funding.models import ItemStatus
from tests import factories

from .builders import cleared

TZ = ZoneInfo("Asia/Shanghai")


def _cleared(guide, officer, subprogramme, scores, **extra):
    apps = []
    for i, score in enumerate(scores):
        org = factories.make_organisation(f"深圳市方案{subprogramme}{i}有限公司")
        apps.append(cleared(guide, org, subprogramme, score=score, officer=officer, **extra))
    return apps


def _to_consultation(plan, officer):
    services.send_for_consultation(plan, ["市财政局"], by=officer)
    for c in plan.consultations.all():
        services.record_opinion(c, "同意", by=officer)


def test_a_tie_at_the_cut_is_settled_by_the_decision(guide, officer, director):
    # 16 incubation projects, the 15th and 16th tied: one place left for two.
    scores = [90 - i for i in range(14)] + [60, 60]
    apps = _cleared(guide, officer, "incubation", scores)
    plan = services.draft_plan(guide, "incubation", by=officer)
    ties = list(plan.items.filter(status=ItemStatus.TIE))
    assert len(ties) == 2 and all(t.rank == 15 and t.amount == 0 for t in ties)
    _to_consultation(plan, officer)
    minutes = SimpleUploadedFile("纪要.pdf", factories.pdf_bytes())
    with pytest.raises(RuleViolation, match="须由集体研究决策确定"):
        services.record_decision(plan, meeting_date=timezone.localdate(), minutes=minutes,
                                 decision="同意", by=director)
    with pytest.raises(RuleViolation, match="不超过15个项目"):
        services.record_decision(plan, meeting_date=timezone.localdate(), minutes=minutes,
                                 decision="同意", by=director,
                                 ties={ties[0].pk: True, ties[1].pk: True})
    services.record_decision(plan, meeting_date=timezone.localdate(), minutes=minutes,
                             decision="按现场核查情况确定", by=director,
                             ties={ties[0].pk: True, ties[1].pk: False})
    settled = {i.pk: i for i in plan.items.all()}
    assert settled[ties[0].pk].amount == 300_000 and "集体研究决策" in settled[ties[0].pk].reason
    assert settled[ties[1].pk].status == ItemStatus.NOT_FUNDED
    assert len(apps) == 16


def test_budget_and_quota_bind_adjustments(guide, officer):
    _cleared(guide, officer, "brand", [90, 80])
    plan = services.draft_plan(guide, "brand", by=officer, budget=300_000)
    amounts = sorted(plan.items.values_list("amount", flat=True))
    assert amounts == [150_000, 150_000]  # 200,000 × 300,000 ÷ 400,000
    item = plan.items.first()
    with pytest.raises(RuleViolation, match="超过本年度预算30万元"):
        services.adjust_amount(item, 200_000, reason="足额", by=officer)


def test_the_notice_runs_five_working_days_on_the_official_calendar(guide, officer, director):
    _cleared(guide, officer, "gba", [80], tier=3)
    plan = services.draft_plan(guide, "gba", by=officer)
    _to_consultation(plan, officer)
    services.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                             minutes=SimpleUploadedFile("m.pdf", factories.pdf_bytes()),
                             by=director)
    # Published Monday 29 September 2025: 1–8 October is the National Day holiday and
    # Saturday 11 October a make-up working day.
    start = datetime(2025, 9, 29, 10, 0, tzinfo=TZ)
    services.publish_notice(plan, by=officer, starts_at=start)
    plan.refresh_from_db()
    assert plan.notice_ends_at == datetime(2025, 10, 13, 18, 0, tzinfo=TZ)
    with pytest.raises(RuleViolation, match="不在公示期内"):
        services.file_objection(plan, filer_kind="person", filer_name="王五",
                                filer_id="110101199003070011", phone="1", content="x",
                                at=plan.notice_ends_at + timedelta(seconds=1))


def test_the_decision_belongs_to_the_director_and_locks_the_plan(guide, officer, director):
    _cleared(guide, officer, "gba", [80], tier=1)
    plan = services.draft_plan(guide, "gba", by=officer)
    with pytest.raises(RuleViolation, match="只能在“征求意见中”阶段"):
        services.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                                 minutes=SimpleUploadedFile("m.pdf", factories.pdf_bytes()),
                                 by=director)
    services.send_for_consultation(plan, ["市财政局", "局规划财务处"], by=officer)
    with pytest.raises(RuleViolation, match="尚未反馈意见：市财政局、局规划财务处"):
        services.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                                 minutes=SimpleUploadedFile("m.pdf", factories.pdf_bytes()),
                                 by=director)
