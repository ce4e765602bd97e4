"""身份信息变更: the applicant asks, an officer approves or refuses with a reason, on record.

An applicant who could rename the organisation or point its bank account elsewhere after
submitting would change what the panel reviewed, what the public notice shows and where the
money goes. Each step here checks permission, runs in one transaction, writes the audit
record and tells the organisation's applicants.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.common import audit, text
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.notifications.services import notify_organisation
from qualityfund.domain import credit_code

from .identity import IDENTITY_FIELDS, is_frozen, label, shown
from .models import IdentityChangeRequest, Organisation, TrustLevel

Status = IdentityChangeRequest.Status


def clean_identity(organisation: Organisation, values: dict) -> dict:
    """The requested values, normalised and checked as registration checks them."""
    cleaned = {}
    for name, value in values.items():
        if name not in IDENTITY_FIELDS:
            raise RuleViolation(f"“{name}”不是身份信息，可直接修改", field=name)
        if name == "credit_code":
            try:
                value = credit_code.validate(value or "")
            except credit_code.InvalidCreditCode as exc:
                raise RuleViolation(exc.message, field=name) from None
            if Organisation.objects.filter(credit_code=value).exclude(
                    pk=organisation.pk).exists():
                raise RuleViolation("该统一社会信用代码已由其他单位注册", field=name)
        elif name == "trust_level":
            if value not in TrustLevel.values:
                raise RuleViolation("账户可信等级应为一级至五级之一", field=name)
        else:
            blank = Organisation._meta.get_field(name).blank
            value = text.clean(Organisation, name, value,
                               required=None if blank else f"{label(name)}不能为空")
        cleaned[name] = value
    return cleaned


def pending_change(organisation: Organisation) -> IdentityChangeRequest | None:
    return organisation.identity_changes.filter(status=Status.PENDING).first()


def request_identity_change(organisation: Organisation, values: dict, *, by,
                            reason: str = "") -> IdentityChangeRequest:
    """Ask for new identity values; nothing of the organisation changes yet. Callers hold the
    transaction (``update_organisation`` or ``submit_identity_change``)."""
    require(by, "accounts.change_organisation", organisation)
    if not is_frozen(organisation):
        raise RuleViolation("本单位尚未提交申请，单位信息可直接修改，无需申请变更",
                            field="identity_change")
    values = clean_identity(organisation, values)
    changes = {name: {"from": getattr(organisation, name), "to": value}
               for name, value in values.items() if getattr(organisation, name) != value}
    if not changes:
        raise RuleViolation("所填身份信息与现有信息相同，无需变更",
                            field=next(iter(values), "name"))
    waiting = pending_change(organisation)
    if waiting is not None:
        raise RuleViolation(
            f"已有一份{timezone.localtime(waiting.requested_at):%Y-%m-%d %H:%M}提交的身份信息"
            "变更申请待审核；请等待审核结果，或撤回该申请后重新提交", field="identity_change")
    change = IdentityChangeRequest.objects.create(
        organisation=organisation, changes=changes, requested_by=by,
        requested_at=timezone.now(),
        reason=text.clean(IdentityChangeRequest, "reason", reason))
    audit.record(by, "organisation.identity_change.request", organisation,
                 request=change.pk, changes=changes, reason=change.reason)
    return change


@transaction.atomic
def submit_identity_change(organisation: Organisation, values: dict, *, by,
                           reason: str = "") -> IdentityChangeRequest:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    return request_identity_change(organisation, values, by=by, reason=reason)


def _lock(change: IdentityChangeRequest) -> IdentityChangeRequest:
    return IdentityChangeRequest.objects.select_for_update().get(pk=change.pk)


def _require_pending(change: IdentityChangeRequest) -> None:
    if change.status != Status.PENDING:
        raise RuleViolation(f"该申请{change.get_status_display()}，不能再处理", field="status")


def describe(changes: dict) -> str:
    """``单位名称：甲 → 乙；银行账号：1 → 2`` for notices and the audit page."""
    return "；".join(f"{label(n)}：{shown(n, c['from']) or '（空）'} → {shown(n, c['to']) or '（空）'}"
                    for n, c in changes.items())


@transaction.atomic
def decide_identity_change(change: IdentityChangeRequest, *, approve: bool, reason: str,
                           by) -> IdentityChangeRequest:
    """An officer approves (the new values take effect) or refuses; either way with a reason
    that the applicant reads. Snapshots already taken keep the old values."""
    require(by, "accounts.decide_identity_change", change)
    change = _lock(change)
    _require_pending(change)
    reason = text.clean(IdentityChangeRequest, "decision_reason", reason, field="reason",
                        required="请填写审核意见（将告知申报单位）")
    organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
    if approve:
        if "credit_code" in change.changes and Organisation.objects.filter(
                credit_code=change.changes["credit_code"]["to"]).exclude(
                pk=organisation.pk).exists():
            raise RuleViolation("申请变更的统一社会信用代码已由其他单位注册，不能批准",
                                field="credit_code")
        for name, values in change.changes.items():
            setattr(organisation, name, values["to"])
        organisation.save()
    change.status = Status.APPROVED if approve else Status.REFUSED
    change.decided_by, change.decided_at, change.decision_reason = by, timezone.now(), reason
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(by, f"organisation.identity_change.{'approve' if approve else 'refuse'}",
                 organisation, request=change.pk, changes=change.changes, reason=reason)
    verdict = "已批准，新信息已生效" if approve else "未获批准，单位信息保持不变"
    notify_organisation(
        organisation.pk, kind=f"identity_change.{change.status}",
        title=f"身份信息变更申请{change.get_status_display()}",
        body=f"您单位{timezone.localtime(change.requested_at):%Y-%m-%d %H:%M}提交的身份信息变更"
             f"申请（{describe(change.changes)}）{verdict}。审核意见：{reason}",
        link=reverse("web:organisation"))
    return change


@transaction.atomic
def withdraw_identity_change(change: IdentityChangeRequest, *, by) -> IdentityChangeRequest:
    """The applicant takes back a request not yet decided."""
    require(by, "accounts.change_organisation", change.organisation)
    change = _lock(change)
    _require_pending(change)
    change.status = Status.WITHDRAWN
    change.save(update_fields=["status"])
    audit.record(by, "organisation.identity_change.withdraw", change.organisation,
                 request=change.pk)
    return change
