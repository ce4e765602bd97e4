"""The funding-plan engine (拟资助方案): who is funded, with how much, and why.

``simulate`` takes the reviewed applications of one year as plain JSON-like values and
returns one result per application, in input order, with a Chinese sentence giving the
reason, plus the total funded per sub-programme. A year may be planned in rounds (批次):
``earlier`` then says what the earlier rounds of each sub-programme funded (projects,
amount, projects per organisation), and this round works within what remains of the
year's quota, organisation limits and budget. The figures of each sub-programme come
from a ``PlanRules``, so the Django layer can build them from the guide file;
``DEFAULT_RULES_2025`` is the 2025 guide.

Decisions the guide leaves open, made here:

* Missing flags: ``eligible`` and ``recommended`` default to true, ``previously_funded``
  to false and ``first_time`` to true. The plan is computed after review, so an
  application that reaches it has passed unless the caller says otherwise.
* ``requested`` matters only where the award is "up to" a cap; fixed and tiered awards
  are paid as the guide sets them. A missing ``requested`` means the cap.
* Ranks are competition ranks (1, 2, 2, 4) among the applications that pass rule 1 and
  have a score. Honors (verification, no panel) has no ranks; gba and digital rank the
  scores they are given, but the ranking decides nothing there.
* Organisation limits come before places: in rank order, an application whose
  organisation already has its quota does not take a place, and the next one moves up.
  The tie rule then applies to the candidates that remain.
* Organisation-limit tie: when several applications of one organisation share a score
  and that organisation has fewer places left than them (but at least one), the engine
  cannot choose among them either. They are all ``tie_at_cutoff`` for the decision
  meeting; they hold as many places (overall and of the organisation) as the
  organisation has left, because that is how many the meeting will fund.
* When no places remain, the candidates below are ``not_funded``: a tie needs at least
  one open place to be a tie at the cut.
* Budget scaling (rule 7) changes amounts only; an application scaled down to 0 yuan is
  still ``funded``.
* Budgets are the year's: with ``earlier``, what the earlier rounds funded is taken off
  first, and only the rest is shared out (scaled) in this round.
* ``org`` is compared after credit-code normalisation (spaces, case, full width); its
  check digit is not verified here, that happens when the organisation registers.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from math import isfinite
from types import MappingProxyType
from typing import Any

from qualityfund.domain.aggregation import rank_with_ties
from qualityfund.domain.credit_code import normalise
from qualityfund.domain.money import to_wan_plain

FUNDED = "funded"
NOT_FUNDED = "not_funded"
TIE_AT_CUTOFF = "tie_at_cutoff"

TIER_NAMES = {1: "一等", 2: "二等", 3: "三等"}
APPLICATION_KEYS = frozenset(
    {
        "id",
        "subprogramme",
        "org",
        "requested",
        "score",
        "tier",
        "eligible",
        "recommended",
        "previously_funded",
        "first_time",
    }
)
FLAG_DEFAULTS = MappingProxyType(
    {
        "eligible": True,
        "recommended": True,
        "previously_funded": False,
        "first_time": True,
    }
)
FLAG_NAMES = MappingProxyType(
    {
        "eligible": "是否符合资助条件",
        "recommended": "是否推荐",
        "previously_funded": "是否已获资助",
        "first_time": "是否首次达到资助标准",
    }
)


class PlanInputError(ValueError):
    """Invalid plan input; ``field`` is the path ("applications[3].score"), "" for the root."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}：{message}" if field else message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PlanRules:
    """How one sub-programme turns reviewed applications into awards.

    Exactly one of ``amount`` (fixed award), ``cap`` (award of the requested sum up to
    the cap) and ``tiers`` (award by tier: ``tiers[0]`` for tier 1, and so on) is set.
    ``ranked`` means a score is required and places are given in score order; the
    limits (``max_projects``, ``max_per_org``, ``min_score``) need it. ``panel`` is false
    for sub-programmes decided by verification, which have no ranking at all.
    """

    amount: int | None = None
    cap: int | None = None
    tiers: tuple[int, ...] | None = None
    max_projects: int | None = None
    max_per_org: int | None = None
    min_score: Decimal | None = None
    ranked: bool = False
    panel: bool = True
    first_time_only: bool = False
    once_per_project: bool = False

    def __post_init__(self):
        if sum(x is not None for x in (self.amount, self.cap, self.tiers)) != 1:
            raise ValueError("资助规则应且只应设定固定金额、最高金额或等次金额中的一种")
        limited = (self.max_projects, self.max_per_org, self.min_score)
        if any(x is not None for x in limited) and not self.ranked:
            raise ValueError("设定资助名额、单位限额或最低分数的子项目须按得分排名")
        if self.ranked and not self.panel:
            raise ValueError("按得分排名的子项目须经专家评审")

    def award(self, requested: int | None, tier: int | None) -> int | None:
        """The amount before budget scaling; None when a tiered award has no tier."""
        if self.amount is not None:
            return self.amount
        if self.cap is not None:
            return self.cap if requested is None else min(requested, self.cap)
        return None if tier is None else self.tiers[tier - 1]

    @property
    def tier_numbers(self) -> tuple[int, ...]:
        return tuple(range(1, len(self.tiers) + 1)) if self.tiers else (1, 2, 3)


DEFAULT_RULES_2025: Mapping[str, PlanRules] = MappingProxyType(
    {
        # 指南 三（一）2: 每个项目予以20万元资助。同一项目仅资助1次。
        # 三（一）4: 项目无需评审，根据申报材料进行核查。
        "honors": PlanRules(amount=200_000, panel=False, once_per_project=True),
        # 指南 三（二）2: 每个项目予以最高30万元资助，同一平台每年获得资助项目不超过2项。
        "qi-service": PlanRules(cap=300_000, max_per_org=2, ranked=True),
        # 指南 三（三）2: 按三个等次分别予以200万元、100万元和50万元资助。
        "gba": PlanRules(tiers=(2_000_000, 1_000_000, 500_000)),
        # 指南 三（四）2: 每个项目予以20万元资助。本年度资助不超过10个项目，
        # 同一单位当年获得资助项目不超过1项。
        "brand": PlanRules(amount=200_000, max_projects=10, max_per_org=1, ranked=True),
        # 指南 三（五）2: 每个项目予以最高20万元资助。同一单位每年获得资助项目不超过2项。
        # 本年度资助不超过15个项目。
        # 三（五）3（2）: 依托同一核心内容或相同原理、技术、方法的项目仅资助一次。
        "innovation": PlanRules(
            cap=200_000, max_projects=15, max_per_org=2, ranked=True, once_per_project=True
        ),
        # 指南 三（六）2: 每个项目予以最高30万元资助。按照预算额度总控的原则，
        # 根据项目审核数量进行足额或折算分配。 Scaling is rule 7, with the budget given.
        "digital": PlanRules(cap=300_000),
        # 指南 三（七）2: 评审首次达到总分50%（含）以上且排名前15的单位，予以30万元资助。
        "incubation": PlanRules(
            amount=300_000,
            max_projects=15,
            min_score=Decimal(50),
            ranked=True,
            first_time_only=True,
        ),
    }
)


@dataclass(frozen=True)
class _Application:
    index: int
    id: str | int
    subprogramme: str
    org: str
    requested: int | None
    score: Decimal | None
    tier: int | None
    eligible: bool
    recommended: bool
    previously_funded: bool
    first_time: bool


@dataclass
class _Outcome:
    status: str
    amount: int = 0
    rank: int | None = None
    reason: str = ""
    lead: str = ""  # for a funded result: the reason up to the amount


@dataclass(frozen=True)
class Used:
    """What the earlier rounds of one sub-programme funded this year."""

    projects: int = 0
    amount: int = 0
    orgs: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


NOTHING_USED = Used()


def simulate(payload: Any, rules: Mapping[str, PlanRules] = DEFAULT_RULES_2025) -> dict:
    """Compute the funding plan; raises PlanInputError on invalid input."""
    budgets, used, applications = _parse(payload, rules)
    outcomes: dict[int, _Outcome] = {}
    totals: dict[str, int] = {}
    for key, rule in rules.items():
        group = [a for a in applications if a.subprogramme == key]
        earlier = used.get(key, NOTHING_USED)
        outcomes.update(_decide(group, rule, earlier))
        funded = [outcomes[a.index] for a in group if outcomes[a.index].status == FUNDED]
        total = sum(o.amount for o in funded)
        if key in budgets:
            remaining = max(budgets[key] - earlier.amount, 0)
            if total > remaining:
                _scale(funded, remaining, total, earlier.amount)
        for outcome in funded:
            outcome.reason = _funded_reason(outcome)
        totals[key] = sum(o.amount for o in funded)
    results = []
    for a in applications:
        o = outcomes[a.index]
        results.append(
            {
                "id": a.id,
                "subprogramme": a.subprogramme,
                "status": o.status,
                "amount": o.amount,
                "rank": o.rank,
                "reason": o.reason,
            }
        )
    return {"results": results, "totals": totals}


# --- deciding ---------------------------------------------------------------------------


def _decide(group: list[_Application], rule: PlanRules, earlier: Used) -> dict[int, _Outcome]:
    outcomes: dict[int, _Outcome] = {}
    candidates = []
    for a in group:
        refusal = _refusal(a, rule)
        if refusal:
            outcomes[a.index] = _Outcome(NOT_FUNDED, reason=refusal)
        else:
            candidates.append(a)

    ranks: dict[int, int] = {}
    if rule.panel:
        scored = [(a.index, a.score) for a in candidates if a.score is not None]
        ranks = {index: rank for index, _, rank in rank_with_ties(scored)}

    contenders: list[tuple[_Application, int]] = []
    for a in candidates:
        rank = ranks.get(a.index)
        award = rule.award(a.requested, a.tier)
        if award is None:
            outcomes[a.index] = _Outcome(NOT_FUNDED, rank=rank, reason="专家组未评定等次，不予资助")
        elif rule.min_score is not None and a.score < rule.min_score:
            outcomes[a.index] = _Outcome(
                NOT_FUNDED,
                rank=rank,
                reason=f"{_rank_text(rank)}得分{_number(a.score)}，"
                f"未达到{_number(rule.min_score)}分（含）以上的资助标准，不予资助",
            )
        else:
            contenders.append((a, award))

    if rule.ranked:
        outcomes.update(_select(contenders, rule, ranks, earlier))
    else:
        for a, award in contenders:
            outcomes[a.index] = _funded(a, award, rule, ranks.get(a.index))
    return outcomes


def _refusal(a: _Application, rule: PlanRules) -> str:
    """Rule 1: the reason an application is out before ranking, or ""."""
    if not a.eligible:
        return "经审核不符合资助条件，不予资助"
    if not a.recommended:
        return "专家组未予推荐，不予资助" if rule.panel else "经核查未予推荐，不予资助"
    if rule.once_per_project and a.previously_funded:
        return "同一项目仅资助1次，该项目已获资助，不予资助"
    if rule.first_time_only and not a.first_time:
        return "仅资助首次达到资助标准的单位，该单位并非首次达到，不予资助"
    return ""


def _select(
    contenders: list[tuple[_Application, int]],
    rule: PlanRules,
    ranks: dict[int, int],
    earlier: Used,
) -> dict[int, _Outcome]:
    """Rules 5 and 6: places in rank order, organisation limits first, then ties; the
    places and organisation quotas that earlier rounds used are taken already."""
    outcomes: dict[int, _Outcome] = {}
    # None: no limit on the number of projects
    places = None if rule.max_projects is None else max(rule.max_projects - earlier.projects, 0)
    per_org = rule.max_per_org
    # places of each organisation funded (in this or an earlier round) or held by a tie
    taken: Counter[str] = Counter(earlier.orgs)
    held_by_tie: set[str] = set()
    ordered = sorted(contenders, key=lambda c: ranks[c[0].index])
    for _, same_score in groupby(ordered, key=lambda c: ranks[c[0].index]):
        tied = list(same_score)
        rank = ranks[tied[0][0].index]
        clear: list[tuple[_Application, int]] = []
        org_ties: list[tuple[list[_Application], int]] = []
        demand = 0
        for org, items in _by_org(tied).items():
            left = len(items) if per_org is None else per_org - taken[org]
            if left <= 0:
                for a, _ in items:
                    outcomes[a.index] = _Outcome(
                        NOT_FUNDED,
                        rank=rank,
                        reason=_org_full_reason(rank, per_org, org in held_by_tie,
                                                earlier.orgs.get(org, 0) > 0),
                    )
            elif len(items) <= left:
                clear.extend(items)
                demand += len(items)
            else:
                org_ties.append(([a for a, _ in items], left))
                demand += left
        remaining = [a for a, _ in clear] + [a for apps, _ in org_ties for a in apps]
        if not remaining:
            continue
        if places is None or demand <= places:
            for a, award in clear:
                outcomes[a.index] = _funded(a, award, rule, rank)
                taken[a.org] += 1
            for apps, left in org_ties:
                reason = (
                    f"与同一单位其他{len(apps) - 1}个项目并列第{rank}名，"
                    f"同一单位当年获得资助项目不超过{per_org}项，该单位剩余名额{left}项，"
                    "由集体研究决策确定"
                )
                for a in apps:
                    outcomes[a.index] = _Outcome(TIE_AT_CUTOFF, rank=rank, reason=reason)
                taken[apps[0].org] += left
                held_by_tie.add(apps[0].org)
            if places is not None:
                places -= demand
        elif places == 0:
            for a in remaining:
                outcomes[a.index] = _Outcome(
                    NOT_FUNDED,
                    rank=rank,
                    reason=f"排名第{rank}，位于资助名额之外（本年度资助不超过{rule.max_projects}个项目"
                    f"{_earlier_text(earlier)}），不予资助",
                )
        else:
            reason = (
                f"与其他{len(remaining) - 1}个项目并列第{rank}名，剩余名额不足，由集体研究决策确定"
            )
            for a in remaining:
                outcomes[a.index] = _Outcome(TIE_AT_CUTOFF, rank=rank, reason=reason)
            places = 0
    return outcomes


def _by_org(items: list[tuple[_Application, int]]) -> dict[str, list[tuple[_Application, int]]]:
    grouped: dict[str, list[tuple[_Application, int]]] = {}
    for item in items:
        grouped.setdefault(item[0].org, []).append(item)
    return grouped


def _org_full_reason(rank: int, per_org: int, held_by_tie: bool, in_earlier: bool) -> str:
    if in_earlier and not held_by_tie:
        which = "本年度前批次已有项目获资助"
    else:
        which = "已有排名更前的项目" + ("获资助或待集体研究决策" if held_by_tie else "获资助")
    return f"排名第{rank}，同一单位当年获得资助项目不超过{per_org}项，该单位{which}，不予资助"


def _earlier_text(earlier: Used) -> str:
    return f"，前批次已资助{earlier.projects}个" if earlier.projects else ""


def _funded(a: _Application, award: int, rule: PlanRules, rank: int | None) -> _Outcome:
    parts = []
    if not rule.panel:
        parts.append("经核查符合资助条件")
    if rank is not None:
        parts.append(f"排名第{rank}")
    if rule.max_projects is not None:
        parts.append("在资助名额内")
    if rule.tiers is not None:
        parts.append(f"评定为{TIER_NAMES.get(a.tier, f'第{a.tier}等')}")
    lead = "，".join(parts) + ("，" if parts else "")
    if rule.amount is not None:
        lead += "按标准"
    elif rule.tiers is not None:
        lead += "按等次标准"
    elif a.requested is None:
        lead += "按最高资助额"
    elif a.requested > rule.cap:
        lead += (
            f"申请金额{to_wan_plain(a.requested)}万元超过最高资助额"
            f"{to_wan_plain(rule.cap)}万元，按最高资助额"
        )
    else:
        lead += "按申请金额"
    return _Outcome(FUNDED, amount=award, rank=rank, lead=lead)


def _scale(funded: list[_Outcome], budget: int, total: int, used: int) -> None:
    """Rule 7: amount × budget ÷ total, rounded down to whole hundreds, in integers;
    ``budget`` is what the year's budget leaves after the earlier rounds (``used``)."""
    basis = (f"本年度预算扣除前批次已安排{to_wan_plain(used)}万元后的余额" if used
             else "预算额度")
    for outcome in funded:
        scaled = outcome.amount * budget // (total * 100) * 100
        outcome.lead += f"核定{to_wan_plain(outcome.amount)}万元；预算不足，按{basis}折算分配，"
        outcome.amount = scaled


def _funded_reason(outcome: _Outcome) -> str:
    return f"{outcome.lead}予以资助{to_wan_plain(outcome.amount)}万元"


def _rank_text(rank: int | None) -> str:
    return "" if rank is None else f"排名第{rank}，"


def _number(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- parsing ----------------------------------------------------------------------------


def _parse(
    payload: Any, rules: Mapping[str, PlanRules]
) -> tuple[dict[str, int], dict[str, Used], list[_Application]]:
    if not isinstance(payload, Mapping):
        raise PlanInputError("", "拟资助方案的输入应为对象（JSON object）")
    for key in payload:
        if key not in ("budgets", "earlier", "applications"):
            raise PlanInputError(
                str(key), f"未知字段“{key}”，输入只应包含 budgets、earlier 和 applications"
            )
    budgets = _parse_budgets(payload.get("budgets", {}), rules)
    used = _parse_earlier(payload.get("earlier", {}), rules)
    if "applications" not in payload:
        raise PlanInputError("applications", "缺少申报项目列表 applications")
    raw = payload["applications"]
    if not isinstance(raw, list):
        raise PlanInputError("applications", "申报项目列表 applications 应为数组")
    applications: list[_Application] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        application = _parse_application(index, item, rules)
        key = str(application.id)
        if key in seen:
            raise PlanInputError(
                f"applications[{index}].id",
                f"项目编号“{key}”与 applications[{seen[key]}] 重复，项目编号应唯一",
            )
        seen[key] = index
        applications.append(application)
    return budgets, used, applications


def _parse_budgets(raw: Any, rules: Mapping[str, PlanRules]) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        raise PlanInputError("budgets", "预算 budgets 应为对象，键为子项目，值为预算金额（元）")
    budgets = {}
    for key, value in raw.items():
        path = f"budgets.{key}"
        if key not in rules:
            raise PlanInputError(path, f"未知子项目“{key}”，应为 {'、'.join(rules)} 之一")
        budgets[key] = _money(value, path, "预算金额")
    return budgets


def _parse_earlier(raw: Any, rules: Mapping[str, PlanRules]) -> dict[str, Used]:
    """``earlier``: {sub-programme: {"projects": n, "amount": yuan, "orgs": {code: n}}}."""
    if not isinstance(raw, Mapping):
        raise PlanInputError("earlier", "前批次 earlier 应为对象，键为子项目")
    used = {}
    for key, value in raw.items():
        path = f"earlier.{key}"
        if key not in rules:
            raise PlanInputError(path, f"未知子项目“{key}”，应为 {'、'.join(rules)} 之一")
        if not isinstance(value, Mapping):
            raise PlanInputError(path, "前批次应为对象：projects、amount、orgs")
        for name in value:
            if name not in ("projects", "amount", "orgs"):
                raise PlanInputError(f"{path}.{name}", f"未知字段“{name}”")
        orgs_raw = value.get("orgs", {})
        if not isinstance(orgs_raw, Mapping):
            raise PlanInputError(f"{path}.orgs", "orgs 应为对象，键为统一社会信用代码，值为项目数")
        orgs: Counter[str] = Counter()
        for code, count in orgs_raw.items():
            if not isinstance(code, str) or not normalise(code):
                raise PlanInputError(f"{path}.orgs", "orgs 的键应为统一社会信用代码")
            orgs[normalise(code)] += _count(count, f"{path}.orgs.{code}", "项目数")
        projects = _count(value.get("projects", sum(orgs.values())), f"{path}.projects",
                          "前批次资助项目数 projects")
        if projects < sum(orgs.values()):
            raise PlanInputError(f"{path}.projects",
                                 f"前批次资助项目数{projects}少于各单位项目数之和{sum(orgs.values())}")
        used[key] = Used(projects=projects,
                         amount=_money(value.get("amount", 0), f"{path}.amount", "前批次资助金额"),
                         orgs=MappingProxyType(dict(orgs)))
    return used


def _count(value: Any, path: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PlanInputError(path, f"{label}应为不小于0的整数")
    return value


def _parse_application(index: int, item: Any, rules: Mapping[str, PlanRules]) -> _Application:
    at = f"applications[{index}]"
    if not isinstance(item, Mapping):
        raise PlanInputError(at, "每个申报项目应为对象（JSON object）")
    for key in item:
        if key not in APPLICATION_KEYS:
            raise PlanInputError(f"{at}.{key}", f"未知字段“{key}”")

    if "id" not in item:
        raise PlanInputError(f"{at}.id", "缺少项目编号 id")
    identifier = item["id"]
    if (
        isinstance(identifier, bool)
        or not isinstance(identifier, str | int)
        or (isinstance(identifier, str) and not identifier.strip())
    ):
        raise PlanInputError(f"{at}.id", "项目编号 id 应为非空文本或整数")

    if "subprogramme" not in item:
        raise PlanInputError(f"{at}.subprogramme", "缺少子项目 subprogramme")
    key = item["subprogramme"]
    if not isinstance(key, str) or key not in rules:
        raise PlanInputError(
            f"{at}.subprogramme", f"未知子项目“{key}”，应为 {'、'.join(rules)} 之一"
        )
    rule = rules[key]

    org = item.get("org")
    if not isinstance(org, str) or not normalise(org):
        raise PlanInputError(f"{at}.org", "申报单位统一社会信用代码 org 应为非空文本")

    requested = item.get("requested")
    if requested is not None:
        requested = _money(requested, f"{at}.requested", "申请金额 requested")

    score = _score(item.get("score"), f"{at}.score")
    if score is None and rule.ranked:
        raise PlanInputError(f"{at}.score", f"子项目“{key}”按评审得分排名，缺少评审得分 score")

    tier = item.get("tier")
    if tier is not None and (type(tier) is not int or tier not in rule.tier_numbers):
        allowed = "、".join(str(t) for t in rule.tier_numbers)
        raise PlanInputError(f"{at}.tier", f"等次 tier 应为{allowed}或null，当前为“{tier}”")

    flags = {}
    for name, default in FLAG_DEFAULTS.items():
        value = item.get(name, default)
        if not isinstance(value, bool):
            raise PlanInputError(f"{at}.{name}", f"{FLAG_NAMES[name]} {name} 应为 true 或 false")
        flags[name] = value

    return _Application(
        index=index,
        id=identifier,
        subprogramme=key,
        org=normalise(org),
        requested=requested,
        score=score,
        tier=tier,
        **flags,
    )


def _money(value: Any, path: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PlanInputError(path, f"{label}应为整数（元）")
    if isinstance(value, float | Decimal):
        if not (value.is_finite() if isinstance(value, Decimal) else isfinite(value)):
            raise PlanInputError(path, f"{label}应为有限的整数（元）")
        if value != int(value):
            raise PlanInputError(path, f"{label}应为整数元，不能有小数，当前为{value}")
        value = int(value)
    if value < 0:
        raise PlanInputError(path, f"{label}不能为负数，当前为{value}")
    return value


def _score(value: Any, path: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PlanInputError(path, "评审得分 score 应为数字")
    # A float goes through its shortest text form, so 87.5 is exactly Decimal("87.5").
    score = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not score.is_finite() or not 0 <= score <= 100:
        raise PlanInputError(path, f"评审得分 score 应在0到100之间，当前为{value}")
    return score
