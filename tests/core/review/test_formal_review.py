"""Accept, refuse, recheck and verification: who may, in which state, with what record."""

import pytest
from django.core.exceptions import PermissionDenied

from qualityfund.core.applications.states import State
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.notifications.models import Notification
from qualityfund.core.review import services
from qualityfund.core.review.models import Decision
from qualityfund.core.review.reasons import REFUSAL_REASONS


def test_accept_moves_the_application_records_the_decision_and_tells_the_applicant(
        submit, officer, applicant):
    application = submit()

    services.accept(application, by=officer, note="材料齐全")

    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    decision = Decision.objects.get(application=application)
    assert (decision.kind, decision.by, decision.note) == ("accept", officer, "材料齐全")
    assert AuditRecord.objects.filter(action="application.accepted", actor=officer,
                                      object_id=str(application.pk)).exists()
    notice = Notification.objects.get(recipient=applicant)
    assert notice.title == "申请已受理" and application.number in notice.body


def test_an_applicant_cannot_accept(submit, applicant):
    with pytest.raises(PermissionDenied):
        services.accept(submit(), by=applicant)


def test_accept_twice_is_refused_with_the_state_named(submit, officer):
    application = submit()
    services.accept(application, by=officer)
    with pytest.raises(RuleViolation, match="申请当前状态为“已受理”，不能受理"):
        services.accept(application, by=officer)


def test_the_refusal_reasons_are_the_guides():
    labels = {r.label for r in REFUSAL_REASONS}
    assert {"不符合申报条件", "未按要求补正", "超过申报时间提交"} <= labels
    assert {r.clause for r in REFUSAL_REASONS} >= {"七（一）", "四（三）"}


def test_refuse_with_a_reason_from_the_guide_and_free_text(submit, officer, applicant):
    application = submit()

    services.refuse(application, by=officer, reason="not-eligible",
                    note="项目完成时间不在2024年内")

    application.refresh_from_db()
    assert application.state == State.REFUSED
    step = application.state_changes.last()
    assert step.note == "不符合申报条件（指南七（一））：项目完成时间不在2024年内"
    assert "项目完成时间不在2024年内" in Notification.objects.get(recipient=applicant).body


def test_refuse_needs_a_known_reason_and_other_needs_a_note(submit, officer):
    application = submit()
    with pytest.raises(RuleViolation, match="不在指南所列理由中") as unknown:
        services.refuse(application, by=officer, reason="dislike")
    assert unknown.value.field == "reason"
    with pytest.raises(RuleViolation, match="须在说明中写明依据"):
        services.refuse(application, by=officer, reason="other", note="  ")


def test_recheck_by_a_second_person(submit, officer, rechecker, applicant):
    application = submit()
    services.accept(application, by=officer)

    services.recheck(application, by=rechecker, note="同意初审意见")

    application.refresh_from_db()
    assert application.state == State.RECHECKED
    assert "下一步为专家评审" in Notification.objects.filter(
        recipient=applicant).first().body


def test_the_officer_who_accepted_may_not_recheck(submit, rechecker, second_rechecker):
    application = submit()
    services.accept(application, by=rechecker)  # a rechecker may also do first reviews

    with pytest.raises(RuleViolation, match="复审须由初审以外的人员进行"):
        services.recheck(application, by=rechecker)
    with pytest.raises(RuleViolation, match="复审须由初审以外的人员进行"):
        services.refuse(application, by=rechecker, reason="not-eligible")
    services.recheck(application, by=second_rechecker)


def test_an_officer_without_the_rechecker_role_cannot_recheck(submit, officer):
    application = submit()
    services.accept(application, by=officer)
    other = type(officer).objects.create(username="officer-2", role="officer")
    with pytest.raises(PermissionDenied):
        services.recheck(application, by=other)


def test_refusal_after_acceptance_is_a_recheck_decision(submit, officer, rechecker):
    application = submit()
    services.accept(application, by=officer)
    with pytest.raises(PermissionDenied):
        services.refuse(application, by=officer, reason="not-eligible")
    services.refuse(application, by=rechecker, reason="not-eligible", note="复审发现不符合")
    application.refresh_from_db()
    assert application.state == State.REFUSED


def test_honors_goes_to_verification_and_ends_reviewed(submit, officer, rechecker, applicant):
    application = submit("honors")
    services.accept(application, by=officer)
    services.recheck(application, by=rechecker)

    services.verify(application, by=officer, recommended=True, note="证书与ICQCC公布名单一致")

    application.refresh_from_db()
    assert application.state == State.REVIEWED
    assert application.review_recommended is True
    decision = application.decisions.get(kind="verify")
    assert decision.recommended is True and "ICQCC" in decision.note
    assert Notification.objects.filter(recipient=applicant, title="核查已完成").exists()


def test_verification_not_recommended_needs_a_note(submit, officer, rechecker):
    application = submit("honors")
    services.accept(application, by=officer)
    services.recheck(application, by=rechecker)
    with pytest.raises(RuleViolation, match="须在核查意见中写明原因"):
        services.verify(application, by=officer, recommended=False)
    services.verify(application, by=officer, recommended=False, note="证书为2023年度")
    application.refresh_from_db()
    assert (application.state, application.review_recommended) == (State.REVIEWED, False)


def test_panel_subprogrammes_are_not_verified_and_stay_rechecked(submit, officer, rechecker):
    application = submit("qi-service")
    services.accept(application, by=officer)
    services.recheck(application, by=rechecker)
    with pytest.raises(RuleViolation, match="实行评审制，由专家组评审，不进行核查"):
        services.verify(application, by=officer, recommended=True)
    application.refresh_from_db()
    assert application.state == State.RECHECKED
