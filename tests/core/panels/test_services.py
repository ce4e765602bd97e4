"""Panels at service level: draw, replay, conflicts, sheets, finalisation, permissions."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.common.tasks import run_deferred
from qualityfund.core.panels import results, services
from qualityfund.core.panels.models import Conflict, Panel, ScoreSheet

from .support import full_values, make_expert, score_all


@pytest.fixture
def panel(guide, chief, pool):
    return services.create_panel(guide=guide, subprogramme="innovation", size=7,
                                 expertise=["质量技术攻关"], by=chief)


def test_panel_size_must_be_odd_and_at_least_the_guides(guide, chief, innovation_apps):
    for size in (3, 6):
        with pytest.raises(RuleViolation, match="应为5人以上单数"):
            services.create_panel(guide=guide, subprogramme="innovation", size=size,
                                  expertise=["质量管理"], by=chief)
    with pytest.raises(RuleViolation, match="核查方式"):
        services.create_panel(guide=guide, subprogramme="honors", size=5,
                              expertise=["质量管理"], by=chief)


def test_only_officers_and_admins_create_panels(guide, innovation_apps, pool):
    with pytest.raises(PermissionDenied):
        services.create_panel(guide=guide, subprogramme="innovation", size=5,
                              expertise=["质量管理"], by=pool["all"][0].user)


def test_draw_excludes_conflicts_records_everything_and_replays(panel, chief, pool):
    panel = services.draw(panel, by=chief, seed="seed-2025")
    members = list(panel.members.values_list("expert_id", flat=True))
    assert len(members) == 7 and panel.status == Panel.Status.DRAWN
    assert pool["employed"].pk not in members and pool["related"].pk not in members
    assert "同一工作单位" in panel.excluded[str(pool["employed"].pk)]
    assert "关联关系" in panel.excluded[str(pool["related"].pk)]
    assert len(panel.pool_snapshot) == 30 and len(panel.applicant_codes) == 20
    assert services.replay(panel).matches
    assert services.replay(panel).members == [str(m) for m in members]
    record = AuditRecord.objects.get(action="panel.draw")
    assert record.data["seed"] == "seed-2025" and record.actor == chief
    with pytest.raises(RuleViolation, match="不能重复抽取"):
        services.draw(panel, by=chief)


def test_the_same_seed_gives_the_same_panel_and_another_seed_another(guide, chief, pool,
                                                                     innovation_apps):
    first = services.create_panel(guide=guide, subprogramme="innovation", size=7,
                                  expertise=["质量技术攻关"], by=chief,
                                  applications=innovation_apps[:10])
    second = services.create_panel(guide=guide, subprogramme="innovation", size=7,
                                   expertise=["质量技术攻关"], by=chief,
                                   applications=innovation_apps[10:])
    services.draw(first, by=chief, seed="abc")
    services.draw(second, by=chief, seed="abd")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.drawn_members != second.drawn_members
    assert services.replay(first).matches and services.replay(second).matches


def test_a_tampered_record_does_not_replay(panel, chief):
    panel = services.draw(panel, by=chief, seed="s")
    Panel.objects.filter(pk=panel.pk).update(seed="t")
    panel.refresh_from_db()
    assert not services.replay(panel).matches


def test_drawn_experts_are_notified_by_email(guide, chief, innovation_apps,
                                             django_capture_on_commit_callbacks):
    for i in range(5):
        make_expert(email=f"e{i}@example.cn")
    panel = services.create_panel(guide=guide, subprogramme="innovation", size=5,
                                  expertise=["质量管理"], by=chief)
    with django_capture_on_commit_callbacks(execute=True):
        services.draw(panel, by=chief)
    assert run_deferred() == 1
    assert len(mail.outbox) == 5 and "评审通知" in mail.outbox[0].subject
    assert all(m.notified_at for m in panel.members.all())


def test_declared_conflict_replaces_the_member_and_hides_the_application(panel, chief):
    panel = services.draw(panel, by=chief, seed="conflict")
    member = panel.members.first()
    user = member.expert.user
    application = panel.entries.first().application
    with pytest.raises(RuleViolation, match="回避事由"):
        services.declare_conflict(application, by=user, reason=" ")
    with pytest.raises(RuleViolation, match="回避事由不能超过500字（当前501字）"):
        services.declare_conflict(application, by=user, reason="因" * 501)
    new = services.declare_conflict(application, by=user, reason="本人曾为该单位提供咨询服务")
    panel.refresh_from_db()
    member.refresh_from_db()
    assert member.status == "replaced" and new.seat == member.seat
    assert new.expert_id not in {int(x) for x in panel.excluded} and new.expert != member.expert
    assert str(new.expert_id) in panel.drawn_members
    assert panel.replacements[0]["conflicted"] == str(member.expert_id)
    assert Conflict.objects.filter(expert=member.expert, application=application).exists()
    assert services.replay(panel).matches
    assert not user.has_perm("panels.review_application", application)
    assert not user.has_perm("panels.view_panel", panel)
    with pytest.raises(PermissionDenied):
        services.save_sheet(application, by=user, values={})


def test_sheet_autosave_keeps_valid_values_confirm_locks_chair_reopens(panel, chief):
    panel = services.draw(panel, by=chief, seed="sheets")
    member, chair_member = list(panel.members.all()[:2])
    user = member.expert.user
    application = panel.entries.first().application
    with pytest.raises(RuleViolation, match="确认回避情况"):
        services.save_sheet(application, by=user, values={})
    services.clear_conflicts(panel, by=user)
    sheet, problems = services.save_sheet(application, by=user,
                                          values={"scores": {"d1": "88", "d2": "120"}})
    assert sheet.scores == {"d1": "88"}
    assert [p.message for p in problems] == ["“二、实施系统性”的评分应在 0–100 分之间"]
    with pytest.raises(RuleViolation, match="尚未评分"):
        services.confirm_sheet(application, by=user)
    services.save_sheet(application, by=user, values=full_values(panel, 84))
    sheet = services.confirm_sheet(application, by=user)
    assert sheet.total == Decimal("84.00") and sheet.confirmed_at
    with pytest.raises(RuleViolation, match="须由组长"):
        services.save_sheet(application, by=user, values={"scores": {"d1": "90"}})
    with pytest.raises(PermissionDenied):
        services.reopen_sheet(sheet, by=chair_member.expert.user, reason="分数有误")
    services.appoint_chair(panel, chair_member.expert, by=chief)
    with pytest.raises(RuleViolation, match="退回理由"):
        services.reopen_sheet(sheet, by=chair_member.expert.user, reason="")
    sheet = services.reopen_sheet(sheet, by=chair_member.expert.user,
                                  reason="“技术经济效果”评分与意见不一致")
    assert sheet.status == ScoreSheet.Status.DRAFT and sheet.reopened == 1
    record = AuditRecord.objects.get(action="sheet.reopen")
    assert record.data["reason"] == "“技术经济效果”评分与意见不一致"
    assert record.data["before"]["total"] == "84.00"
    services.save_sheet(application, by=user, values={"scores": {"d1": "90"}})
    assert services.confirm_sheet(application, by=user).total == Decimal("85.50")


def test_only_the_chair_finalises_and_only_when_every_sheet_is_confirmed(panel, chief):
    panel = services.draw(panel, by=chief, seed="final")
    chair = panel.members.first().expert
    services.appoint_chair(panel, chair, by=chief)
    with pytest.raises(RuleViolation, match="尚有专家未确认"):
        services.finalise(panel, by=chair.user)
    with pytest.raises(PermissionDenied):
        services.finalise(panel, by=chief)


def test_done_when_twenty_applications_thirty_experts_panel_of_seven(panel, chief, pool):
    """The issue's "Done when", at service level (the browser half is in tests/web/panels)."""
    panel = services.draw(panel, by=chief, seed="done-when-2025")
    members = list(panel.members.select_related("expert"))
    assert len(members) == 7
    assert {pool["employed"].pk, pool["related"].pk}.isdisjoint(m.expert_id for m in members)
    services.appoint_chair(panel, members[0].expert, by=chief)
    harsh = members[6]
    apps = [e.application for e in panel.entries.order_by("application_id")]
    base = {a.pk: 60 + (i % 10) * 4 for i, a in enumerate(apps)}  # ties: apps i and i+10

    def score_of(member, application):
        if member == harsh and application == apps[0]:
            return 20, False  # far from the rest of the panel: an outlier
        return base[application.pk] + member.seat % 3, True

    score_all(panel, score_of)
    outcome = results.compute(panel)
    assert outcome.complete and len(outcome.rows) == 20
    first = next(r for r in outcome.rows if r.application == apps[0])
    assert first.outliers == {harsh.pk}
    totals = sorted(s.total for s in first.sheets.values())
    assert first.aggregate.result == sum(totals[1:-1]) / 5  # trimmed mean
    assert outcome.leniency[harsh.pk] < 0 < outcome.leniency[members[1].pk]  # seat 2: +2
    ranks = [r.rank for r in outcome.rows]
    assert ranks[:2] == [1, 1] and ranks[2] == 3  # a tie shown as a tie
    services.finalise(panel, by=members[0].expert.user)
    panel.refresh_from_db()
    assert panel.status == Panel.Status.FINALISED
    reviewed = Application.objects.filter(pk__in=[a.pk for a in apps])
    assert set(reviewed.values_list("state", flat=True)) == {State.REVIEWED}
    top = reviewed.get(pk=outcome.rows[0].application.pk)
    assert top.review_score == outcome.rows[0].aggregate.result
    assert top.review_recommended and top.review_amount == 150_000
    assert services.replay(panel).matches


@pytest.mark.parametrize(("key", "score", "recommended", "tier", "amount"), [
    ("qi-service", 82, True, None, 150_000),
    ("gba", 82, True, 2, 1_000_000),
    ("brand", 82, True, None, 200_000),
    ("digital", 82, True, None, 150_000),
    ("incubation", 55, True, None, 300_000),
    ("incubation", 45, False, None, None),  # 指南：总分50%（含）以上
])
def test_every_panel_subprogramme_finalises_by_its_award_rule(guide, chief, key, score,
                                                              recommended, tier, amount):
    from .support import rechecked_applications

    expertise = {"gba": "粤港澳合作", "incubation": "卓越绩效"}.get(key, "质量管理")
    experts = [make_expert(expertise=[expertise]) for _ in range(5)]
    [application] = rechecked_applications(guide, key, 1, officer=chief)
    panel = services.create_panel(guide=guide, subprogramme=key, size=5, expertise=[expertise],
                                  by=chief)
    panel = services.draw(panel, by=chief, seed=key)
    services.appoint_chair(panel, experts[0], by=chief)
    score_all(panel, lambda member, app: (score, True))
    services.finalise(panel, by=experts[0].user)
    application.refresh_from_db()
    assert application.state == State.REVIEWED
    assert application.review_score == Decimal(score)
    assert (application.review_recommended, application.review_tier,
            application.review_amount) == (recommended, tier, amount)
