"""Panels at service level: draw, replay, conflicts, sheets, finalisation, permissions."""

import hashlib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.common.tasks import run_deferred
from qualityfund.core.panels import results, services
from qualityfund.core.panels.models import Conflict, Panel, ScoreSheet
from qualityfund.core.panels.replay import replay
from qualityfund.domain import drawing
from qualityfund.domain.workdays import deadline_after

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
    panel = services.draw(panel, by=chief)
    members = list(panel.members.values_list("expert_id", flat=True))
    assert len(members) == 7 and panel.status == Panel.Status.DRAWN
    assert pool["employed"].pk not in members and pool["related"].pk not in members
    assert "同一工作单位" in panel.excluded[str(pool["employed"].pk)]
    assert "关联关系" in panel.excluded[str(pool["related"].pk)]
    assert len(panel.pool_snapshot) == 30 and len(panel.applicant_codes) == 20
    replayed = replay(panel)
    assert replayed.matches and replayed.members == [str(m) for m in members]
    record = AuditRecord.objects.get(action="panel.draw")
    assert record.data["seed"] == panel.seed and record.actor == chief
    with pytest.raises(RuleViolation, match="不能重复抽取"):
        services.draw(panel, by=chief)


def test_the_seed_is_the_servers_its_hash_recorded_before_the_draw(panel, chief):
    panel = services.draw(panel, by=chief)
    assert len(panel.seed) == 64 and int(panel.seed, 16)  # 256 bits from secrets
    assert panel.seed_algorithm == drawing.hash_algorithm()  # SM3 where OpenSSL has it
    assert panel.seed_hash == hashlib.new(panel.seed_algorithm, panel.seed.encode()).hexdigest()
    commit, drew = AuditRecord.objects.filter(
        action__in=("panel.draw_commit", "panel.draw")).order_by("id")
    assert commit.action == "panel.draw_commit" and drew.action == "panel.draw"
    assert commit.data == {"purpose": "draw", "seed_hash": panel.seed_hash,
                           "seed_algorithm": panel.seed_algorithm}
    assert panel.seed not in str(commit.data)  # the seed itself only after the draw
    [check] = replay(panel).seeds
    assert check.holds and check.committed_first


def test_nobody_chooses_the_seed_and_two_draws_differ(guide, chief, pool, innovation_apps):
    """The 367-try attack: an officer typing seeds until one seats the experts they want."""
    panels = [services.create_panel(guide=guide, subprogramme="innovation", size=7,
                                    expertise=["质量技术攻关"], by=chief, applications=half)
              for half in (innovation_apps[:10], innovation_apps[10:])]
    with pytest.raises(TypeError):
        services.draw(panels[0], by=chief, seed="chosen-by-the-officer")
    assert not Panel.objects.filter(pk=panels[0].pk, status="drawn").exists()
    first, second = (services.draw(p, by=chief) for p in panels)
    assert first.seed != second.seed and first.seed_hash != second.seed_hash
    assert first.drawn_members != second.drawn_members  # same pool, same criteria
    assert replay(first).matches and replay(second).matches


def test_a_tampered_record_does_not_replay(panel, chief):
    panel = services.draw(panel, by=chief)
    seed = panel.seed
    Panel.objects.filter(pk=panel.pk).update(seed="t" + seed[1:])
    panel.refresh_from_db()
    replayed = replay(panel)
    assert not replayed.matches and replayed.seeds[0].holds is False
    # A seed swapped in afterwards, with a hash to match it, was not on the trail first.
    other = "0" * 64
    algorithm, digest = drawing.commitment(other)
    members = drawing.draw_panel(services.pool_candidates(panel.pool_snapshot), size=7,
                                 expertise=panel.expertise,
                                 applicant_codes=[a["code"] for a in panel.applicant_codes],
                                 seed=other, exclude=panel.declared_before)
    Panel.objects.filter(pk=panel.pk).update(seed=other, seed_hash=digest,
                                             drawn_members=members.members)
    audit.record(chief, "panel.draw_commit", panel, purpose="draw", seed_hash=digest,
                 seed_algorithm=algorithm)
    panel.refresh_from_db()
    replayed = replay(panel)
    assert replayed.draw_matches and replayed.seeds[0].holds
    assert replayed.seeds[0].committed_first is False and not replayed.matches


def test_a_draw_recorded_before_seeds_were_hashed_still_replays(panel, chief):
    """The showcase's and earlier panels: a typed seed, replacements seeded from it."""
    panel = services.draw(panel, by=chief)
    pool, codes = services.pool_candidates(panel.pool_snapshot), [a["code"] for a in panel.applicant_codes]
    old = drawing.draw_panel(pool, size=7, expertise=panel.expertise, applicant_codes=codes,
                             seed="showcase-innovation-7", exclude=[])
    out = old.members[3]
    replaced = drawing.replacement(old, out, pool, expertise=panel.expertise,
                                   applicant_codes=codes, exclude=[out])
    Panel.objects.filter(pk=panel.pk).update(
        seed="showcase-innovation-7", seed_hash="", seed_algorithm="", declared_before=[],
        drawn_members=replaced.members, excluded=replaced.excluded,
        replacements=[{"conflicted": out, "application": 1, "reason": "曾为顾问",
                       "at": "2025-07-10T10:00:00+08:00", "exclude": [out],
                       "chosen": replaced.members[3]}])
    panel.refresh_from_db()
    replayed = replay(panel)
    assert replayed.matches and replayed.members == replaced.members
    assert replayed.seeds[0].holds is None and replayed.seeds[0].committed_first is None


def test_the_experts_have_a_scoring_deadline_in_working_days(panel, chief):
    for workdays in (0, 31, True):
        with pytest.raises(RuleViolation, match="评分期限"):
            services.draw(panel, by=chief, workdays=workdays)
    panel = services.draw(panel, by=chief, workdays=5)
    assert panel.scoring_deadline == deadline_after(panel.drawn_at, 5)
    assert timezone.localtime(panel.scoring_deadline).hour == 18


def test_drawn_experts_are_notified_by_email(guide, chief, innovation_apps,
                                             django_capture_on_commit_callbacks):
    for i in range(5):
        make_expert(email=f"e{i}@example.cn")
    panel = services.create_panel(guide=guide, subprogramme="innovation", size=5,
                                  expertise=["质量管理"], by=chief)
    with django_capture_on_commit_callbacks(execute=True):
        panel = services.draw(panel, by=chief, workdays=7)
    assert run_deferred() == 1
    assert len(mail.outbox) == 5 and "评审通知" in mail.outbox[0].subject
    deadline = timezone.localtime(panel.scoring_deadline)
    assert f"于{deadline:%Y年%m月%d日} 18:00前确认全部评分表" in mail.outbox[0].body
    assert all(m.notified_at for m in panel.members.all())


def test_declared_conflict_replaces_the_member_and_hides_the_application(panel, chief):
    panel = services.draw(panel, by=chief)
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
    step = panel.replacements[0]
    assert step["conflicted"] == str(member.expert_id) and step["chosen"] == str(new.expert_id)
    assert step["seed"] != panel.seed and step["seed_hash"] == drawing.commitment(
        step["seed"])[1]  # a fresh seed of its own, committed before
    assert Conflict.objects.filter(expert=member.expert, application=application).exists()
    replayed = replay(panel)
    assert replayed.matches and [c.purpose for c in replayed.seeds] == ["draw", "replace"]
    assert not user.has_perm("panels.review_application", application)
    assert not user.has_perm("panels.view_panel", panel)
    with pytest.raises(PermissionDenied):
        services.save_sheet(application, by=user, values={})


def test_the_sheet_stays_locked_until_the_expert_declares_no_conflict(panel, chief):
    panel = services.draw(panel, by=chief)
    user = panel.members.first().expert.user
    application = panel.entries.first().application
    with pytest.raises(RuleViolation, match="请先在专家组页面确认回避情况"):
        services.save_sheet(application, by=user, values=full_values(panel, 80))
    with pytest.raises(RuleViolation, match="请先在专家组页面确认回避情况"):
        services.confirm_sheet(application, by=user)
    assert not ScoreSheet.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="sheet.").exists()
    services.clear_conflicts(panel, by=user)
    assert AuditRecord.objects.get(action="panel.clear_conflicts").actor == user
    services.save_sheet(application, by=user, values=full_values(panel, 80))
    assert services.confirm_sheet(application, by=user).total == Decimal("80.00")


def test_sheet_autosave_keeps_valid_values_confirm_locks_chair_reopens(panel, chief):
    panel = services.draw(panel, by=chief)
    member, chair_member = list(panel.members.all()[:2])
    user = member.expert.user
    application = panel.entries.first().application
    services.clear_conflicts(panel, by=user)
    sheet, problems = services.save_sheet(application, by=user, values={
        "scores": {"practicality": "88", "techno-economic-effect": "120"}})
    assert sheet.scores == {"practicality": "88"}
    assert [p.message for p in problems] == ["“技术经济效果”的评分应在 0–100 分之间"]
    with pytest.raises(RuleViolation, match="尚未评分"):
        services.confirm_sheet(application, by=user)
    services.save_sheet(application, by=user, values=full_values(panel, 84))
    sheet = services.confirm_sheet(application, by=user)
    assert sheet.total == Decimal("84.00") and sheet.confirmed_at
    with pytest.raises(RuleViolation, match="须由组长"):
        services.save_sheet(application, by=user, values={"scores": {"practicality": "90"}})
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
    services.save_sheet(application, by=user, values={"scores": {"practicality": "90"}})
    assert services.confirm_sheet(application, by=user).total == Decimal("86.00")  # 3 equal


def test_only_the_chair_finalises_and_only_when_every_sheet_is_confirmed(panel, chief):
    panel = services.draw(panel, by=chief)
    chair = panel.members.first().expert
    services.appoint_chair(panel, chair, by=chief)
    with pytest.raises(RuleViolation, match="尚有专家未确认"):
        services.finalise(panel, by=chair.user)
    with pytest.raises(PermissionDenied):
        services.finalise(panel, by=chief)


def test_done_when_twenty_applications_thirty_experts_panel_of_seven(panel, chief, pool):
    """The issue's "Done when", at service level (the browser half is in tests/web/panels)."""
    panel = services.draw(panel, by=chief)
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
    assert replay(panel).matches


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
    panel = services.draw(panel, by=chief)
    services.appoint_chair(panel, experts[0], by=chief)
    score_all(panel, lambda member, app: (score, True))
    services.finalise(panel, by=experts[0].user)
    application.refresh_from_db()
    assert application.state == State.REVIEWED
    assert application.review_score == Decimal(score)
    assert (application.review_recommended, application.review_tier,
            application.review_amount) == (recommended, tier, amount)


def test_the_panel_scores_each_criterion_as_it_scores_the_total(guide, chief):
    """指南 三（二）: 代表性、辐射力、实效性、示范性 — each aggregated like the total (trimmed)."""
    from .support import rechecked_applications

    experts = [make_expert(expertise=["质量管理"]) for _ in range(5)]
    [application] = rechecked_applications(guide, "qi-service", 1, officer=chief)
    panel = services.create_panel(guide=guide, subprogramme="qi-service", size=5,
                                  expertise=["质量管理"], by=chief)
    panel = services.draw(panel, by=chief)
    assert panel.scoring_basis == "rubric"
    services.appoint_chair(panel, experts[0], by=chief)
    reach = {0: "50", 1: "70", 2: "80", 3: "90", 4: "100"}
    for n, expert in enumerate(experts):
        services.clear_conflicts(panel, by=expert.user)
        values = full_values(panel, 80)
        values["scores"]["reach"] = reach[n]
        services.save_sheet(application, by=expert.user, values=values)
        services.confirm_sheet(application, by=expert.user)
    [row] = results.compute(panel).rows
    assert row.criteria == {"representativeness": Decimal("80.00"), "reach": Decimal("80.00"),
                            "effectiveness": Decimal("80.00"), "exemplarity": Decimal("80.00")}
    totals = sorted(s.total for s in row.sheets.values())
    assert totals == [Decimal("72.50"), Decimal("77.50"), Decimal("80.00"), Decimal("82.50"),
                      Decimal("85.00")]
    assert row.aggregate.result == Decimal("80.00")  # (77.5 + 80 + 82.5) / 3
