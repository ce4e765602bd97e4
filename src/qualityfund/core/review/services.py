"""Formal review, supplementation, recheck and verification: each step one service function
with a permission check, one transaction, the lifecycle move and the audit record.

指南 七（一）: "申请单位根据申报指南要求，向市市场监管局提交申报材料并接受形式审查，符合资助条件且
提交的申报材料齐全的，予以受理；符合资助条件但材料不齐全的，申报单位应当在限期内补齐材料，逾期未
补齐的，视为放弃申报；不符合申报条件或未按要求补正的，不予受理。"
指南 五: 项目初审及复审 — the recheck is a second person's review of the first.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.common.text import clean as clean_text
from qualityfund.core.notifications.services import notify_about
from qualityfund.domain.workdays import deadline_after

from .items import item_choices, snapshot
from .models import Decision, Supplementation, SupplementationItem
from .reasons import refusal_reason

DEFAULT_WORKDAYS = 5
MAX_WORKDAYS = 20


@dataclass(frozen=True)
class ItemRequest:
    """One item an officer asks for: ``key`` such as ``material:pledge``, and why."""

    key: str
    reason: str


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related(
        "guide", "organisation").get(pk=application.pk)


def _require_state(application: Application, states, action: str) -> None:
    if application.state not in states:
        raise RuleViolation(
            f"申请当前状态为“{application.public_state}”，不能{action}", field="state")


def first_reviewer_id(application: Application) -> int | None:
    """Who accepted the application (初审): the person a recheck must not be."""
    return (Decision.objects.filter(application=application, kind=Decision.Kind.ACCEPT)
            .order_by("-at", "-id").values_list("by_id", flat=True).first())


def _require_second_person(application: Application, by, action: str) -> None:
    if first_reviewer_id(application) == by.pk:
        raise RuleViolation(
            f"复审须由初审以外的人员进行：您已受理（初审）该申请，不能{action}",
            field="rechecker")


def _notify(application: Application, kind: str, title: str, body: str,
            link: str | None = None) -> None:
    notify_about(application, kind=kind, title=title, body=body, link=link)


def _decide(application, kind, by, at, **fields) -> Decision:
    return Decision.objects.create(application=application, kind=kind, by=by, at=at, **fields)


@transaction.atomic
def accept(application: Application, *, by, note: str = "", at=None) -> Application:
    """受理: the materials are complete and the conditions met on their face."""
    require(by, "review.accept_application", application)
    note = clean_text(Decision, "note", note)
    application = _lock(application)
    _require_state(application, {State.SUBMITTED}, "受理")
    at = at or timezone.now()
    transition(application, State.ACCEPTED, by=by, at=at,
               note=note or "形式审查通过，予以受理")
    _decide(application, Decision.Kind.ACCEPT, by, at, note=note)
    _notify(application, "review.accepted", "申请已受理",
            "已通过形式审查，予以受理，下一步为复审。")
    return application


@transaction.atomic
def refuse(application: Application, *, by, reason: str, note: str = "",
           at=None) -> Application:
    """不予受理, for one of the guide's reasons. At formal review (submitted) by an officer;
    after acceptance only at recheck, by a rechecker who did not accept it."""
    require(by, "review.refuse_application", application)
    application = _lock(application)
    _require_state(application, {State.SUBMITTED, State.ACCEPTED}, "作出不予受理决定")
    if application.state == State.ACCEPTED:
        require(by, "review.recheck_application", application)
        _require_second_person(application, by, "在复审中作出不予受理决定")
    try:
        chosen = refusal_reason(reason)
    except KeyError as exc:
        raise RuleViolation(exc.args[0], field="reason") from None
    note = clean_text(Decision, "note", note)
    if chosen.needs_note and not note:
        raise RuleViolation("不予受理理由选择“其他”时，须在说明中写明依据", field="note")
    at = at or timezone.now()
    words = f"{chosen.label}（指南{chosen.clause}）" if chosen.clause else chosen.label
    text = f"{words}：{note}" if note else words
    transition(application, State.REFUSED, by=by, at=at, note=text)
    _decide(application, Decision.Kind.REFUSE, by, at, reason=chosen.code, note=note)
    _notify(application, "review.refused", "申请不予受理", f"经形式审查，不予受理。理由：{text}")
    return application


def _clean_items(application: Application, items) -> list[tuple[str, str, str]]:
    choices = {c.key: c.label for c in item_choices(application)}
    cleaned, seen = [], set()
    for item in items:
        key = item.key.strip()
        if key not in choices:
            raise RuleViolation(f"补正事项“{key}”不是本申请的申报材料或填报内容", field="items")
        if key in seen:
            raise RuleViolation(f"补正事项“{choices[key]}”重复列出", field="items")
        reason = clean_text(SupplementationItem, "reason", item.reason, field=key,
                            label=f"补正事项“{choices[key]}”的原因",
                            required=f"补正事项“{choices[key]}”：请写明需补正的原因")
        seen.add(key)
        cleaned.append((key, choices[key], reason))
    if not cleaned:
        raise RuleViolation("请至少列出一项需补正的申报材料或填报内容", field="items")
    return cleaned


@transaction.atomic
def request_supplementation(application: Application, *, by, items: list[ItemRequest],
                            workdays: int = DEFAULT_WORKDAYS, note: str = "",
                            at: datetime | None = None) -> Supplementation:
    """补正: name each item and why; the deadline is the close of business (18:00) on the
    ``workdays``-th working day after today, on the official calendar with 调休."""
    require(by, "review.request_supplementation", application)
    application = _lock(application)
    _require_state(application, {State.SUBMITTED}, "要求补正")
    if not isinstance(workdays, int) or not 1 <= workdays <= MAX_WORKDAYS:
        raise RuleViolation(f"补正期限须为1至{MAX_WORKDAYS}个工作日，当前为{workdays}",
                            field="workdays")
    cleaned = _clean_items(application, items)
    note = clean_text(Supplementation, "note", note)
    at = at or timezone.now()
    deadline = deadline_after(at, workdays)
    request = Supplementation.objects.create(
        application=application, requested_by=by, requested_at=at, workdays=workdays,
        deadline=deadline, note=note, snapshot=snapshot(application))
    SupplementationItem.objects.bulk_create([
        SupplementationItem(supplementation=request, key=key, label=label, reason=reason)
        for key, label, reason in cleaned])
    local = timezone.localtime(deadline)
    listed = "；".join(f"{label}：{reason}" for _, label, reason in cleaned)
    transition(application, State.SUPPLEMENTING, by=by, at=at,
               note=f"请于{local:%Y年%m月%d日 %H:%M}前补正（{workdays}个工作日）。{listed}")
    audit.record(by, "review.request_supplementation", application, supplementation=request.pk,
                 items=[key for key, _, _ in cleaned], workdays=workdays,
                 deadline=deadline.isoformat())
    _notify(application, "review.supplementation", "请补正申报材料",
            f"需补正：{listed}。请于{local:%Y年%m月%d日 %H:%M}前登录平台补正并重新提交，"
            "逾期未补齐的，视为放弃申报（指南七（一））。"
            + (f"说明：{note}" if note else ""),
            link=reverse("web:application-edit", args=[application.pk]))
    return request


@transaction.atomic
def recheck(application: Application, *, by, note: str = "", at=None) -> Application:
    """复审: a second person confirms the formal review; never the one who accepted it."""
    require(by, "review.recheck_application", application)
    application = _lock(application)
    _require_state(application, {State.ACCEPTED}, "复审")
    _require_second_person(application, by, "复审")
    note = clean_text(Decision, "note", note)
    at = at or timezone.now()
    transition(application, State.RECHECKED, by=by, at=at, note=note or "复审通过")
    _decide(application, Decision.Kind.RECHECK, by, at, note=note)
    following = ("下一步将根据申报材料对获奖证书进行核查。"
                 if application.spec.review.method == "verification"
                 else "下一步为专家评审。")
    _notify(application, "review.rechecked", "申请已通过复审", f"已通过复审，{following}")
    return application


@transaction.atomic
def verify(application: Application, *, by, recommended: bool, note: str = "",
           at=None) -> Application:
    """核查 for sub-programmes without a panel (指南 三（一）4: "项目无需评审，根据申报材料进行
    核查"): the outcome is the recommendation the funding plan reads."""
    require(by, "review.verify_application", application)
    application = _lock(application)
    spec = application.spec
    if spec.review.method != "verification":
        raise RuleViolation(f"“{spec.short_name}”实行评审制，由专家组评审，不进行核查",
                            field="subprogramme")
    _require_state(application, {State.RECHECKED}, "核查")
    note = clean_text(Decision, "note", note)
    if not recommended and not note:
        raise RuleViolation("核查不通过时，须在核查意见中写明原因", field="note")
    at = at or timezone.now()
    application.review_recommended = recommended
    application.save(update_fields=["review_recommended", "updated_at"])
    verdict = "核查通过，予以推荐" if recommended else "核查不通过，不予推荐"
    transition(application, State.REVIEWED, by=by, at=at,
               note=f"{verdict}：{note}" if note else verdict)
    _decide(application, Decision.Kind.VERIFY, by, at, note=note, recommended=recommended)
    _notify(application, "review.verified", "核查已完成", f"{verdict}。")
    return application


def abandon_overdue(now: datetime | None = None) -> list[Application]:
    """视为放弃 every application whose supplementation deadline has passed.

    Run by the periodic task and by ``qualityfund abandon_overdue``; each application in its
    own transaction, so one failure does not hold back the rest. The system is the actor.
    """
    now = now or timezone.now()
    due = list(Supplementation.objects.open().filter(
        deadline__lt=now, application__state=State.SUPPLEMENTING)
        .values_list("application_id", flat=True))
    abandoned = []
    for application_id in due:
        with transaction.atomic():
            application = _lock(Application(pk=application_id))
            request = (Supplementation.objects.select_for_update().open()
                       .filter(application=application).first())
            if (application.state != State.SUPPLEMENTING or request is None
                    or request.deadline >= now):
                continue
            request.status = Supplementation.Status.LAPSED
            request.resolved_at = now
            request.save(update_fields=["status", "resolved_at"])
            local = timezone.localtime(request.deadline)
            transition(application, State.ABANDONED, by=None, at=now,
                       note=f"补正期限{local:%Y年%m月%d日 %H:%M}已过，逾期未补齐，视为放弃申报"
                            "（指南七（一））")
            _notify(application, "review.abandoned", "逾期未补正，视为放弃申报",
                    f"补正期限{local:%Y年%m月%d日 %H:%M}已过，未补齐材料，"
                    "依指南七（一）视为放弃申报。")
            abandoned.append(application)
    return abandoned
