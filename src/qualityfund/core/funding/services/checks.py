"""不予资助情形查询 (指南 七（七）): the checks of one reviewed application, an officer's
judgement of each hit, and clearance."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit, text
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.notifications.services import notify_about

from .. import history, similarity
from ..models import (
    Decision,
    DisqualifierCheck,
    DuplicatePair,
)
from ..sources import JUDGEMENT_CHECKS, LIST_CHECKS, ask, source_for

Outcome = DisqualifierCheck.Outcome
CHECKED = (*LIST_CHECKS, "duplicate", *JUDGEMENT_CHECKS)


def _lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().select_related(
        "guide", "organisation").get(pk=application.pk)


def index_year(year: int) -> int:
    """Store the document of every application of ``year`` that was submitted, so that each
    check compares with all of them, whatever the sub-programme."""
    applications = (Application.objects.filter(guide__year=year, submitted_at__isnull=False)
                    .exclude(state__in=[State.WITHDRAWN])
                    .select_related("guide", "organisation"))
    for application in applications:
        similarity.store_application(application)
    return len(applications)


def _duplicate_check(application, situation, by, now) -> DisqualifierCheck:
    document = similarity.store_application(application)
    found = similarity.check(document)
    # Only what was funded counts from other years: 往年已资助项目, imported or the platform's.
    unfunded = history.unfunded_earlier_keys(
        {key for f in found for key in (f.other_key, f.pair.whole or "")}, application.guide.year)
    found = [f for f in found if f.other_key not in unfunded and f.pair.whole not in unfunded]
    check = DisqualifierCheck.objects.create(
        application=application, situation_id=situation.id, clause=situation.clause,
        check_kind=situation.check, situation=situation.text[:300],
        source=(f"本年度全部申报项目及往年已资助项目查重（项目名称、简介、报告正文；"
                f"阈值{similarity.threshold():.2f}）"),
        ran_at=now, ran_by=by, outcome="hit" if found else "clear",
        decision=Decision.PENDING if found else "",
        findings=[{"other": f.other_key, "kind": f.pair.kind,
                   "similarity": round(f.pair.similarity, 4),
                   "containment": round(f.pair.containment, 4)} for f in found],
    )
    docs = similarity.StoredDocuments()
    docs.prefetch(f.other_key for f in found)
    DuplicatePair.objects.bulk_create([
        DuplicatePair(
            check_record=check, application=application, other_key=f.other_key,
            other_application_id=(int(f.other_key[4:]) if f.other_key.startswith("app-")
                                  else None),
            other_earlier_id=(int(f.other_key[8:]) if f.other_key.startswith("earlier-")
                              else None),
            other_title=docs[f.other_key].title, kind=f.pair.kind,
            similarity=Decimal(str(round(f.pair.similarity, 4))),
            containment=Decimal(str(round(f.pair.containment, 4))),
            whole_key=f.pair.whole or "", passages=f.passages[:20])
        for f in found])
    return check


def _check(application, situation, by, now, **fields) -> DisqualifierCheck:
    return DisqualifierCheck.objects.create(
        application=application, situation_id=situation.id, clause=situation.clause,
        check_kind=situation.check, situation=situation.text[:300], ran_at=now, ran_by=by,
        **fields)


@transaction.atomic
def run_checks(application: Application, *, by) -> list[DisqualifierCheck]:
    """不予资助情形查询 for one reviewed application: one check per situation of 指南 七（七）.

    Lists are asked through their providers (a provider that cannot answer gives 未能查询);
    duplicates are looked for on the platform; 七（七）1 and 8 wait for an officer's
    judgement, which a re-run keeps. Earlier list and duplicate checks are kept, superseded."""
    require(by, "funding.run_checks", application)
    application = _lock_application(application)
    if application.state != State.REVIEWED:
        raise RuleViolation(
            f"申请当前状态为“{application.public_state}”，只有已评审的项目进行不予资助情形查询",
            field="state")
    now = timezone.now()
    current = application.disqualifier_checks.filter(superseded=False)
    judged = set(current.filter(check_kind__in=JUDGEMENT_CHECKS)
                 .values_list("situation_id", flat=True))
    current.exclude(check_kind__in=JUDGEMENT_CHECKS).update(superseded=True)
    checks = []
    for situation in application.guide.spec.not_funded:
        if situation.check in LIST_CHECKS:
            answer = ask(source_for(situation.check), application.organisation)
            checks.append(_check(
                application, situation, by, now, source=answer.source[:300],
                outcome=answer.outcome, note=answer.note[:300],
                decision=Decision.PENDING if answer.outcome == Outcome.HIT else "",
                findings=[f.as_dict() for f in answer.findings]))
        elif situation.check == "duplicate":
            checks.append(_duplicate_check(application, situation, by, now))
        elif situation.check in JUDGEMENT_CHECKS and situation.id not in judged:
            checks.append(_check(
                application, situation, by, now, source="经办人员判断（无可查询的名单）",
                outcome=Outcome.JUDGEMENT, decision=Decision.PENDING))
    audit.record(by, "funding.checks.run", application,
                 hits=[c.situation_id for c in checks if c.outcome == Outcome.HIT],
                 unavailable=[c.situation_id for c in checks if c.outcome == Outcome.UNAVAILABLE],
                 ran=[c.situation_id for c in checks])
    return checks


@transaction.atomic
def decide_check(check: DisqualifierCheck, *, confirm: bool, reason: str, by
                 ) -> DisqualifierCheck:
    """An officer's judgement of a hit, or of a situation no list answers (七（七）1 and 8):
    confirmed, the application is disqualified with the reason on the applicant's timeline;
    dismissed (the hit ruled out, the situation judged absent), it no longer blocks
    clearance."""
    require(by, "funding.decide_check", check.application)
    check = DisqualifierCheck.objects.select_for_update().get(pk=check.pk)
    application = _lock_application(check.application)
    if (check.outcome not in (Outcome.HIT, Outcome.JUDGEMENT) or check.superseded
            or check.decision != Decision.PENDING):
        raise RuleViolation("该查询结果无需确认或已确认", field="decision")
    if confirm:
        required = "请填写确认理由（将告知申报单位）"
    elif check.outcome == Outcome.JUDGEMENT:
        required = "请填写判断理由：为何不存在该情形"
    else:
        required = "请填写排除理由"
    reason = text.clean(DisqualifierCheck, "decision_reason", reason, field="reason",
                        required=required)
    check.decision = Decision.CONFIRMED if confirm else Decision.DISMISSED
    check.decided_by, check.decided_at, check.decision_reason = by, timezone.now(), reason
    check.save(update_fields=["decision", "decided_by", "decided_at", "decision_reason"])
    if confirm and application.state == State.REVIEWED:
        note = f"不予资助：{check.situation}（指南{check.clause}）。{reason}"
        transition(application, State.DISQUALIFIED, by=by, note=note)
        notify_about(application, kind="funding.disqualified", title="不予资助", body=note)
    audit.record(by, "funding.check.confirm" if confirm else "funding.check.dismiss",
                 application, check=check.pk, situation=check.situation_id, reason=reason)
    return check


def clearance_problems(application: Application, checks: list[DisqualifierCheck]) -> list[str]:
    """Why ``application`` cannot be cleared yet ([] when it can)."""
    current = {c.situation_id: c for c in checks if not c.superseded}
    problems = []
    for situation in application.guide.spec.not_funded:
        if situation.check not in CHECKED:
            continue
        check = current.get(situation.id)
        named = f"{situation.text[:20]}（指南{situation.clause}）"
        if check is None:
            problems.append(f"尚未查询：{named}")
        elif check.outcome == Outcome.UNAVAILABLE:
            problems.append(f"未能查询：{named}——{check.note}")
        elif check.decision == Decision.PENDING and check.outcome == Outcome.JUDGEMENT:
            problems.append(f"待经办人员判断：{named}")
        elif check.decision == Decision.PENDING:
            problems.append(f"疑似情形待确认：{named}")
        elif check.decision == Decision.CONFIRMED:
            problems.append(f"已确认不予资助：{named}")
    return problems


@transaction.atomic
def clear_application(application: Application, *, by) -> Application:
    """不予资助情形查询通过: every situation checked and no hit left standing."""
    require(by, "funding.decide_check", application)
    application = _lock_application(application)
    if application.state != State.REVIEWED:
        raise RuleViolation(f"申请当前状态为“{application.public_state}”，不能确认查询通过",
                            field="state")
    problems = clearance_problems(application, list(application.disqualifier_checks.all()))
    if problems:
        raise RuleViolation("不能确认查询通过：" + "；".join(problems), field="checks")
    transition(application, State.CLEARED, by=by,
               note="不予资助情形查询未发现不予资助情形，经办人员判断不存在其他情形（指南七（七））")
    return application
