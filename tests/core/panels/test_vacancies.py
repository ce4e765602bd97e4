"""An empty seat — a conflict declared when nobody was left to replace the expert — blocks
finalisation until the officer fills it from a wider field or decides to finalise with the
members left; both recorded, audited and replayed."""

import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.common.tasks import run_deferred
from qualityfund.core.panels import services
from qualityfund.core.panels.models import Panel, PanelMember
from qualityfund.core.panels.replay import replay

from .support import make_expert, rechecked_applications, score_all

MIGRATION = importlib.import_module(
    "qualityfund.core.panels.migrations.0002_seed_commitment_deadline_rubric")


def _panel(guide, chief, size):
    """A panel that seats every 计量 expert of the pool: nobody is left to replace one."""
    experts = [make_expert(expertise=["计量"]) for _ in range(size)]
    rechecked_applications(guide, "digital", 2, officer=chief)
    panel = services.create_panel(guide=guide, subprogramme="digital", size=size,
                                  expertise=["计量"], by=chief)
    panel = services.draw(panel, by=chief)
    services.appoint_chair(panel, experts[0], by=chief)
    return panel, experts


def _conflict(panel, expert):
    application = panel.entries.first().application
    return services.declare_conflict(application, by=expert.user, reason="近亲属在该单位任职")


@pytest.fixture
def vacant(guide, chief, db):
    panel, experts = _panel(guide, chief, 5)
    assert _conflict(panel, experts[2]) is None
    panel.refresh_from_db()
    return panel, experts


def test_the_officer_is_told_of_an_empty_seat(guide, chief, db,
                                              django_capture_on_commit_callbacks):
    chief.email = "officer@example.cn"
    chief.save()
    panel, experts = _panel(guide, chief, 5)
    run_deferred()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _conflict(panel, experts[1])
    run_deferred()
    [message] = mail.outbox
    assert message.to == ["officer@example.cn"] and panel.name in message.subject
    assert "补缺抽取" in message.body and "不能定稿" in message.body


def test_a_conflict_with_nobody_left_leaves_a_recorded_empty_seat(vacant, chief):
    panel, experts = vacant
    seat = PanelMember.objects.get(panel=panel, expert=experts[2]).seat
    assert panel.vacant_seats == [seat] and panel.drawn_members[seat - 1] is None
    step = panel.replacements[-1]
    assert step["chosen"] is None and step["failure"] == "没有可替换的符合条件的专家"
    assert replay(panel).matches  # the replay finds nobody either
    score_all(panel, lambda member, application: (80, True))
    with pytest.raises(RuleViolation, match="1 个空缺席位"):
        services.finalise(panel, by=experts[0].user)


def test_the_officer_fills_the_seat_from_a_wider_field(vacant, chief):
    panel, experts = vacant
    seat = panel.vacant_seats[0]
    applicant = panel.entries.first().application.organisation
    employed = make_expert(expertise=["质量管理"], employer_code=applicant.credit_code)
    wider = [make_expert(expertise=["质量管理"]) for _ in range(3)]  # joined the pool since
    with pytest.raises(RuleViolation, match="须包含本组原有的专业领域"):
        services.fill_vacancy(panel, by=chief, expertise=["质量管理"])
    with pytest.raises(RuleViolation, match="扩大范围后仍没有符合条件的专家"):
        services.fill_vacancy(panel, by=chief, expertise=["计量"])
    with pytest.raises(PermissionDenied):
        services.fill_vacancy(panel, by=experts[0].user, expertise=["计量", "质量管理"])
    member = services.fill_vacancy(panel, by=chief, expertise=["计量", "质量管理"])
    panel.refresh_from_db()
    assert member.seat == seat and panel.vacant_seats == []
    assert member.expert in wider  # never the one employed by an applicant
    step = panel.replacements[-1]
    assert step["kind"] == "fill" and step["chosen"] == str(member.expert_id)
    assert len(step["pool"]) == 9 and len(panel.pool_snapshot) == 5  # the pool as it is now
    assert "同一工作单位" in panel.excluded[str(employed.pk)]
    record = AuditRecord.objects.get(action="panel.fill_vacancy")
    assert record.actor == chief and record.data["seed"] == step["seed"]
    replayed = replay(panel)
    assert replayed.matches and [c.purpose for c in replayed.seeds] == ["draw", "replace", "fill"]
    assert all(c.holds and c.committed_first for c in replayed.seeds)
    score_all(panel, lambda member, application: (80, True))
    services.finalise(panel, by=experts[0].user)


def test_the_officer_may_finalise_with_an_odd_five_or_more_left(guide, chief, db):
    panel, experts = _panel(guide, chief, 7)
    _conflict(panel, experts[5])
    panel.refresh_from_db()
    with pytest.raises(RuleViolation, match="现有在组专家 6 人，不是5人以上单数"):
        services.close_vacancies(panel, by=chief, reason="专家库无其他计量专家")
    _conflict(panel, experts[6])
    panel.refresh_from_db()
    assert panel.may_close_vacancies and panel.members_left == 5
    with pytest.raises(RuleViolation, match="决定理由"):
        services.close_vacancies(panel, by=chief, reason=" ")
    panel = services.close_vacancies(panel, by=chief, reason="专家库无其他计量专家，经处务会研究")
    assert panel.size == 5 and panel.vacant_seats == []
    assert panel.replacements[-1] == {**panel.replacements[-1], "kind": "close",
                                      "size_before": 7, "size_after": 5}
    record = AuditRecord.objects.get(action="panel.close_vacancies")
    assert record.data["reason"] == "专家库无其他计量专家，经处务会研究"
    assert replay(panel).matches
    with pytest.raises(RuleViolation, match="没有空缺席位"):
        services.close_vacancies(panel, by=chief, reason="再次")
    score_all(panel, lambda member, application: (80, True))
    services.finalise(panel, by=experts[0].user)
    assert Panel.objects.get(pk=panel.pk).status == "finalised"


def test_an_empty_seat_left_by_the_old_code_is_written_into_the_record(vacant, chief):
    """Before, a failed replacement left no trace: the member's id stayed in the draw."""
    panel, _ = vacant
    step = panel.replacements[-1]
    gone = step["conflicted"]
    old = {"drawn_members": [gone if m is None else m for m in panel.drawn_members],
           "replacements": panel.replacements[:-1],
           "excluded": {k: v for k, v in panel.excluded.items() if k != gone}}
    Panel.objects.filter(pk=panel.pk).update(**old)
    MIGRATION.record_empty_seats(apps, None)
    panel.refresh_from_db()
    assert panel.vacant_seats == [step["seat"]]
    assert panel.replacements[-1]["chosen"] is None
    assert replay(panel).matches
    make_expert(expertise=["质量管理"])
    services.fill_vacancy(panel, by=chief, expertise=["计量", "质量管理"])
    assert replay(Panel.objects.get(pk=panel.pk)).matches
