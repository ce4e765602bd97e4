"""Evaluate a guide's conditions against an organisation and its declared figures.

The applicant sees this live while filling the form: each condition is met, not met,
missing (not yet declared) or left to an officer's judgement, with a plain Chinese reason
that names the figure and the guide's threshold. Blocking conditions that are not met or
missing stop submission; officer-judged ones never do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal
from zoneinfo import ZoneInfo

from qualityfund.domain.guide.schema import (
    AllOfRule,
    AnyOfRule,
    CompareRule,
    Condition,
    DateWithinRule,
    Figure,
    Guide,
    IsFalseRule,
    IsTrueRule,
    OfficerRule,
    OneOfRule,
    OrgRule,
    RatioRule,
    YearsBeforeRule,
)

# 二（三）深圳市行政区域（含深汕特别合作区）: the ten districts (大鹏新区 counted among them)
# and the Shenzhen-Shanwei special co-operation zone.
DISTRICTS = (
    "福田区",
    "罗湖区",
    "南山区",
    "盐田区",
    "宝安区",
    "龙岗区",
    "龙华区",
    "坪山区",
    "光明区",
    "大鹏新区",
    "深汕特别合作区",
)

Status = Literal["met", "not_met", "officer", "missing"]


@dataclass(frozen=True)
class OrgFacts:
    name: str
    credit_code: str
    established_on: date | None
    district: str | None
    bank_account_name: str | None
    account_subject_name: str | None
    trust_level: int | None


@dataclass(frozen=True)
class CheckResult:
    condition_id: str
    clause: str
    text: str
    status: Status
    blocking: bool
    reason: str


@dataclass(frozen=True)
class _Outcome:
    status: Status
    reason: str


def self_check(
    guide: Guide, subprogramme_key: str, org: OrgFacts, figures: dict[str, object]
) -> list[CheckResult]:
    """Basic conditions first, then the sub-programme's own, in the guide's order."""
    sub = guide.subprogramme(subprogramme_key)
    labels = {f.key: f for f in sub.figures}
    context = _Context(guide, org, figures, labels)
    return [
        _result(condition, context.evaluate(condition.rule))
        for condition in [*guide.basic_conditions, *sub.conditions]
    ]


def blocking_failures(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.blocking and r.status in ("not_met", "missing")]


def names_identical(*names: str) -> bool:
    """七（五）: the three names must be one; spaces and bracket width do not count."""
    return len({normalise_name(name) for name in names}) == 1


def normalise_name(name: str) -> str:
    # NFKC folds full-width brackets, letters and digits to their half-width forms.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def established_cutoff(guide: Guide, years: int) -> date:
    """The latest founding date that counts as 成立运行N年以上 when the window opens."""
    opens = guide.window.opens_at.astimezone(ZoneInfo(guide.timezone)).date()
    return _years_earlier(opens, years)


def _years_earlier(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _result(condition: Condition, outcome: _Outcome) -> CheckResult:
    return CheckResult(
        condition_id=condition.id,
        clause=condition.clause,
        text=condition.text,
        status=outcome.status,
        blocking=condition.blocking,
        reason=outcome.reason,
    )


# --- formatting ----------------------------------------------------------------------------


def _number(value: Decimal | int) -> str:
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _with_unit(value: Decimal | int, figure: Figure | None) -> str:
    unit = "%" if figure is not None and figure.type == "percent" else (figure and figure.unit)
    return f"{_number(value)}{unit or ''}"


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


_OP_WORD = {"ge": "不低于", "gt": "高于", "le": "不超过", "lt": "低于", "eq": "为"}
_OP_FAIL = {
    "ge": "低于指南要求的 {v}",
    "gt": "未高于指南要求的 {v}",
    "le": "超过指南要求的上限 {v}",
    "lt": "未低于指南要求的 {v}",
    "eq": "不符合指南要求的 {v}",
}


def _holds(op: str, left: Decimal, right: Decimal) -> bool:
    return {
        "ge": left >= right,
        "gt": left > right,
        "le": left <= right,
        "lt": left < right,
        "eq": left == right,
    }[op]


# --- evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    guide: Guide
    org: OrgFacts
    figures: dict[str, object]
    labels: dict[str, Figure]

    def label(self, key: str) -> str:
        figure = self.labels.get(key)
        return f"「{figure.label if figure else key}」"

    def value(self, key: str) -> object:
        value = self.figures.get(key)
        return None if isinstance(value, str) and not value.strip() else value

    def missing(self, key: str) -> _Outcome:
        return _Outcome("missing", f"尚未填报{self.label(key)}")

    def number(self, key: str) -> Decimal | None:
        value = self.value(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise TypeError(f"figure {key} must be int or Decimal, got {type(value).__name__}")
        return Decimal(value)

    def evaluate(self, rule: object) -> _Outcome:
        handler = getattr(self, f"_{type(rule).__name__}")
        return handler(rule)

    def _CompareRule(self, rule: CompareRule) -> _Outcome:
        value = self.number(rule.figure)
        if value is None:
            return self.missing(rule.figure)
        figure = self.labels.get(rule.figure)
        declared = f"{self.label(rule.figure)}填报 {_with_unit(value, figure)}"
        threshold = _with_unit(rule.value, figure)
        if _holds(rule.op, value, rule.value):
            return _Outcome("met", f"{declared}，符合指南要求（{_OP_WORD[rule.op]} {threshold}）")
        return _Outcome("not_met", f"{declared}，{_OP_FAIL[rule.op].format(v=threshold)}")

    def _RatioRule(self, rule: RatioRule) -> _Outcome:
        top, bottom = self.number(rule.numerator), self.number(rule.denominator)
        for key, value in ((rule.numerator, top), (rule.denominator, bottom)):
            if value is None:
                return self.missing(key)
        above, below = self.label(rule.numerator), self.label(rule.denominator)
        parts = f"{above} {_number(top)} ÷ {below} {_number(bottom)}"
        if bottom <= 0:
            return _Outcome("not_met", f"{parts}：{below}为 0，无法计算{rule.label}")
        if top > bottom:
            return _Outcome("not_met", f"{parts}：{above}不能多于{below}")
        # Compare exactly by cross-multiplying; the shown percentage is rounded.
        held = _holds(rule.op, top * 100, rule.value * bottom)
        shown = _number((top * 100 / bottom).quantize(Decimal("0.01")))
        declared = f"「{rule.label}」为 {shown}%（{parts}）"
        threshold = f"{_number(rule.value)}%"
        if held:
            return _Outcome("met", f"{declared}，符合指南要求（{_OP_WORD[rule.op]} {threshold}）")
        return _Outcome("not_met", f"{declared}，{_OP_FAIL[rule.op].format(v=threshold)}")

    def _date(self, key: str) -> date | None:
        value = self.value(key)
        if value is not None and not isinstance(value, date):
            raise TypeError(f"figure {key} must be a date, got {type(value).__name__}")
        return value

    def _DateWithinRule(self, rule: DateWithinRule) -> _Outcome:
        value = self._date(rule.figure)
        if value is None:
            return self.missing(rule.figure)
        declared = f"{self.label(rule.figure)}填报 {_day(value)}"
        span = f"{_day(rule.start)}至{_day(rule.end)}"
        if rule.start <= value <= rule.end:
            return _Outcome("met", f"{declared}，在指南要求的 {span} 之内")
        return _Outcome("not_met", f"{declared}，不在指南要求的 {span} 之内")

    def _YearsBeforeRule(self, rule: YearsBeforeRule) -> _Outcome:
        value = self._date(rule.figure)
        if value is None:
            return self.missing(rule.figure)
        latest = _years_earlier(rule.reference, rule.years)
        declared = f"{self.label(rule.figure)}填报 {_day(value)}"
        if value <= latest:
            return _Outcome("met", f"{declared}，截至{_day(rule.reference)}已满{rule.years}年")
        return _Outcome(
            "not_met",
            f"{declared}，截至{_day(rule.reference)}不满指南要求的{rule.years}年"
            f"（须不晚于{_day(latest)}）",
        )

    def _flag(self, key: str, wanted: bool) -> _Outcome:
        value = self.value(key)
        if value is None:
            return self.missing(key)
        if not isinstance(value, bool):
            raise TypeError(f"figure {key} must be a bool, got {type(value).__name__}")
        declared = f"{self.label(key)}填报「{_yes_no(value)}」"
        if value is wanted:
            return _Outcome("met", f"{declared}，符合指南要求")
        return _Outcome("not_met", f"{declared}，指南要求为「{_yes_no(wanted)}」")

    def _IsTrueRule(self, rule: IsTrueRule) -> _Outcome:
        return self._flag(rule.figure, True)

    def _IsFalseRule(self, rule: IsFalseRule) -> _Outcome:
        return self._flag(rule.figure, False)

    def _OneOfRule(self, rule: OneOfRule) -> _Outcome:
        value = self.value(rule.figure)
        if value is None:
            return self.missing(rule.figure)
        declared = f"{self.label(rule.figure)}填报「{value}」"
        if value in rule.values:
            return _Outcome("met", f"{declared}，属于指南所列范围")
        return _Outcome("not_met", f"{declared}，不属于指南所列的：{'、'.join(rule.values)}")

    def _AllOfRule(self, rule: AllOfRule) -> _Outcome:
        outcomes = [self.evaluate(sub) for sub in rule.rules]
        for status in ("not_met", "missing"):
            found = [o.reason for o in outcomes if o.status == status]
            if found:
                return _Outcome(status, "；".join(found))
        if any(o.status == "officer" for o in outcomes):
            settled = [o.reason for o in outcomes if o.status == "met"]
            return _Outcome("officer", "；".join([*settled, "其余事项需审核人员判断"]))
        return _Outcome("met", "；".join(o.reason for o in outcomes))

    def _AnyOfRule(self, rule: AnyOfRule) -> _Outcome:
        outcomes = [self.evaluate(sub) for sub in rule.rules]
        for status in ("met", "officer"):
            found = [o.reason for o in outcomes if o.status == status]
            if found:
                return _Outcome(status, "；".join(found))
        status = "missing" if any(o.status == "missing" for o in outcomes) else "not_met"
        lines = "；".join(f"（{n}）{o.reason}" for n, o in enumerate(outcomes, 1))
        return _Outcome(status, f"以下情形满足其一即可，目前均未满足：{lines}")

    def _OfficerRule(self, rule: OfficerRule) -> _Outcome:
        return _Outcome("officer", "指南未给出量化标准，由审核人员判断")

    def _OrgRule(self, rule: OrgRule) -> _Outcome:
        return getattr(self, f"_org_{rule.check}")(rule)

    def _org_established_years(self, rule: OrgRule) -> _Outcome:
        founded = self.org.established_on
        if founded is None:
            return _Outcome("missing", "尚未提供单位成立日期")
        cutoff = established_cutoff(self.guide, rule.years)
        declared = f"单位成立日期为 {_day(founded)}"
        if founded <= cutoff:
            return _Outcome("met", f"{declared}，至申报开始时已成立运行{rule.years}年以上")
        return _Outcome(
            "not_met",
            f"{declared}，至申报开始时成立运行不满{rule.years}年（须不晚于{_day(cutoff)}）",
        )

    def _org_in_shenzhen(self, rule: OrgRule) -> _Outcome:
        district = (self.org.district or "").strip()
        if not district:
            return _Outcome("missing", "尚未提供单位所在区")
        if district in DISTRICTS:
            return _Outcome("met", f"单位所在区为{district}，属于深圳市行政区域")
        return _Outcome(
            "not_met", f"单位所在区「{district}」不属于深圳市行政区域（含深汕特别合作区）"
        )

    def _org_names_identical(self, rule: OrgRule) -> _Outcome:
        names = {
            "资助申请主体名称": self.org.name,
            "账户注册主体名称": self.org.account_subject_name,
            "银行开户名": self.org.bank_account_name,
        }
        for label, name in names.items():
            if not (name or "").strip():
                return _Outcome("missing", f"尚未提供{label}")
        if names_identical(*names.values()):
            return _Outcome("met", "账户注册主体、资助申请主体与银行开户名三者名称一致")
        listed = "、".join(f"{label}「{name}」" for label, name in names.items())
        return _Outcome("not_met", f"{listed}不一致，指南要求三者名称必须一致")

    def _org_trust_level(self, rule: OrgRule) -> _Outcome:
        level, wanted = self.org.trust_level, self.guide.required_trust_level
        if level is None:
            return _Outcome("missing", "尚未提供广东政务服务网账户可信等级")
        if level >= wanted:
            return _Outcome("met", f"账户可信等级为{level}级，达到指南要求的{wanted}级")
        return _Outcome("not_met", f"账户可信等级为{level}级，低于指南要求的{wanted}级")


# --- coercion of form input ----------------------------------------------------------------

_TRUE = {"是", "有", "true", "yes", "y", "1", "on"}
_FALSE = {"否", "无", "false", "no", "n", "0", "off"}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def coerce_figure(figure: Figure, raw: str) -> object:
    """Turn a form's text into the typed value `self_check` expects; "" gives None."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    name = f"「{figure.label}」"
    if not text:
        if figure.required:
            raise ValueError(f"{name}为必填项")
        return None
    if figure.type in ("integer", "decimal", "percent"):
        return _coerce_number(figure, name, text)
    if figure.type == "date":
        match = _DATE.match(text)
        try:
            return (
                date(*(int(part) for part in match.groups())) if match else date.fromisoformat(text)
            )
        except ValueError:
            raise ValueError(f"{name}须为有效日期，例如 2024-12-31") from None
    if figure.type == "boolean":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{name}须填写「是」或「否」")
    if figure.type == "choice":
        # NFKC turns full-width brackets half-width: compare both sides the same way and
        # keep the guide's own spelling of the choice.
        for choice in figure.choices:
            if unicodedata.normalize("NFKC", choice) == text:
                return choice
        raise ValueError(f"{name}须为以下之一：{'、'.join(figure.choices)}")
    return text


def _coerce_number(figure: Figure, name: str, text: str) -> int | Decimal:
    cleaned = text.replace(",", "")
    if figure.type == "percent":
        cleaned = cleaned.removesuffix("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{name}须为数字") from None
    if not value.is_finite():
        raise ValueError(f"{name}须为数字")
    if figure.type == "integer":
        if value != value.to_integral_value():
            raise ValueError(f"{name}须为整数")
        value = int(value)
    if figure.min is not None and value < figure.min:
        raise ValueError(f"{name}不能小于 {_with_unit(figure.min, figure)}")
    if figure.max is not None and value > figure.max:
        raise ValueError(f"{name}不能大于 {_with_unit(figure.max, figure)}")
    return value


__all__ = [
    "DISTRICTS",
    "CheckResult",
    "OrgFacts",
    "blocking_failures",
    "coerce_figure",
    "established_cutoff",
    "names_identical",
    "normalise_name",
    "self_check",
]
