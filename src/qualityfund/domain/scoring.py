"""Expert score sheets on the criteria the guide names, and the panel's call.

指南 三（二）–（七） name what each panel judges: "对项目的代表性、辐射力、实效性、示范性等进行
综合评审" (qi-service, gba), "从示范代表性、社会参与度、群众获得感等方面" (brand), "实用性、
技术经济效果和示范推广价值" (innovation), "就项目的建设情况和绩效结果进行现场核查和材料审查"
(digital). The guide file's ``review.rubric`` gives each criterion its weight, its score bands
with descriptors, and the report template's dimensions where the report speaks to it (the
evidence an expert reads); without a rubric, the named criteria count equally. Three kinds of
sheet (``SheetSpec.mode``):

- ``criteria``: each criterion scored 0–100 with a comment; the total is the weighted mean, a
  score out of 100.
- ``excellence`` (附件7, 高质量企业孵化): the 18 items of the self-assessment are scored as a
  percentage in the bands of GB/T 19580 — process items (过程类) judged by A-D-L-I, result
  items (结果类) by Le-T-C-I — and totalled as a share of the full score. 指南 三（六）2:
  "评审首次达到总分50%（含）以上且排名前15的单位" — the 50 % rule applies to that share.
- ``dimensions``: the report template's dimensions scored as criteria — how panels drawn
  before the rubric scored, kept so that their sheets read as they were filled in.

Plain values in, plain values out: scores are ``Decimal``; money is whole yuan.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from qualityfund.domain.guide.schema import (
    Criterion,
    Dimension,
    Guide,
    Review,
    Rubric,
    Template,
)
from qualityfund.domain.text import TextError, check_text

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DIMENSION_STEP = Decimal("0.5")  # a dimension score is a multiple of half a point
BAND_STEP = 5  # a GB/T 19580 item score is a multiple of 5 %
TIER_NAMES = {1: "一等", 2: "二等", 3: "三等"}
OPINION_LIMIT = 2000  # 字, each dimension's comment and the site-visit opinion

# --- GB/T 19580 scoring bands --------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """One scoring band of 《卓越绩效评价准则实施指南》(GB/Z 19579) for GB/T 19580.

    ``process`` describes the band for 过程类 items (方法 A、展开 D、学习 L、整合 I),
    ``result`` for 结果类 items (水平 Le、趋势 T、比较 C、整合 I).
    """

    low: int
    high: int
    process: str
    result: str

    @property
    def label(self) -> str:
        return f"{self.low}%–{self.high}%"

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(range(self.low, self.high + 1, BAND_STEP))


BANDS: tuple[Band, ...] = (
    Band(0, 5,
         "显然没有系统的方法，信息零散、孤立；方法没有展开或略有展开；不能证实具有改进导向；"
         "不能证实与组织其他部分一致。",
         "没有描述结果或结果很差；没有显示趋势的数据或趋势总体不良；没有对比性信息；"
         "在对组织关键经营要求重要的方面均没有描述结果。"),
    Band(10, 25,
         "开始有应对评分项基本要求的系统方法；方法在多数部门处于展开的初级阶段；"
         "处于从被动应对问题到改进导向的初期；主要通过联合解决问题与其他部门协调。",
         "结果很少，仅在少数方面有改进或处于初期的良好绩效水平；很少有显示趋势的数据；"
         "很少有对比性信息；仅在少数重要方面描述了结果。"),
    Band(30, 45,
         "有应对评分项基本要求的系统、有效的方法；方法已展开，个别区域或部门尚处于初期；"
         "开始系统地评价和改进关键过程；方法处于与组织基本需要协调一致的初期。",
         "在评分项要求的多数方面有改进或良好绩效水平；处于取得良好趋势的初期；"
         "处于获得对比性信息的初期；在多数重要方面描述了结果。"),
    Band(50, 65,
         "有应对评分项总体要求的系统、有效的方法；方法得到很好展开，部分区域或部门有差异；"
         "有基于事实的系统评价改进和一些组织学习；方法与组织需要协调一致。",
         "在评分项要求的大多数方面有改进趋势或良好绩效水平；重要方面没有不良趋势；"
         "与竞争对手或标杆对比，部分趋势或当前绩效显示良好到优秀；达到大多数关键要求。"),
    Band(70, 85,
         "有应对评分项详细要求的系统、有效的方法；方法得到很好展开，无明显差距；"
         "基于事实的系统评价改进和组织学习成为关键管理工具；方法与组织需要达到整合。",
         "大多数重要方面的当前绩效达到良好到优秀；大多数改进趋势和绩效水平可持续；"
         "多数到大多数对比显示领先和优秀；达到大多数关键顾客、市场、过程和战略要求。"),
    Band(90, 100,
         "有全面应对评分项详细要求的系统、有效的方法；方法充分展开，任何区域或部门均无明显"
         "弱项；系统评价改进和组织学习是主要管理工具；方法与组织需要很好地整合。",
         "大多数重要方面的当前绩效达到优秀；具有卓越的改进趋势或可持续的优秀绩效；"
         "在多数方面显示行业领先和标杆水平；充分达到关键顾客、市场、过程和战略要求。"),
)
FACTORS = {
    "process": "方法（A）—展开（D）—学习（L）—整合（I）",
    "result": "水平（Le）—趋势（T）—比较（C）—整合（I）",
}
KIND_NAMES = {"process": "过程类", "result": "结果类"}
BAND_VALUES = frozenset(v for band in BANDS for v in band.values)


def band_of(percent: int) -> Band:
    """The band a percentage falls in; ValueError for one between bands (e.g. 7 or 48)."""
    for band in BANDS:
        if percent in band.values:
            return band
    raise ValueError(f"{percent}% 不在 GB/T 19580 的评分档内")


# --- the sheet a sub-programme uses ---------------------------------------------------------

Mode = Literal["criteria", "excellence", "dimensions"]
# What a panel scores on: the guide's rubric, or (panels drawn before it) the template's
# dimensions. The basis is fixed on the panel, so its sheets always read one way.
Basis = Literal["rubric", "dimensions"]


@dataclass(frozen=True)
class ItemSpec:
    key: str
    number: str
    title: str
    kind: Literal["process", "result"]


@dataclass(frozen=True)
class Evidence:
    """Where the report speaks to a criterion: a template dimension, and the points of it."""

    label: str  # "一、行动目标准确"; empty where the criterion is that dimension itself
    points: tuple[str, ...]  # the template's words: the dimension's prose or numbered items


@dataclass(frozen=True)
class Descriptor:
    """A score band of a criterion and what a score in it means."""

    label: str
    low: Decimal
    high: Decimal
    text: str

    @property
    def span(self) -> str:
        return f"{self.low.normalize():f}–{self.high.normalize():f}"


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    number: str
    title: str
    weight: int
    evidence: tuple[Evidence, ...] = ()
    descriptors: tuple[Descriptor, ...] = ()
    items: tuple[ItemSpec, ...] = ()  # the scored items of an excellence sheet

    def band(self, score: Decimal) -> Descriptor | None:
        """The descriptor whose band holds ``score``."""
        return next((d for d in self.descriptors if d.low <= score <= d.high), None)


@dataclass(frozen=True)
class SheetSpec:
    """What an expert fills in for one application of ``subprogramme``."""

    subprogramme: str
    template_key: str
    attachment: str
    title: str
    mode: Mode
    criteria: tuple[CriterionSpec, ...]
    funding_kind: Literal["fixed", "capped", "tiered"]
    tiers: Mapping[int, int]  # tier → yuan, empty unless the award is tiered
    amount_cap: int | None  # yuan, where the award is "最高…"
    fixed_amount: int | None
    site_visit: Literal["none", "optional", "required"]
    pass_percent: int | None  # 总分50%（含）以上
    top_n: int | None

    @property
    def weight_total(self) -> int:
        return sum(c.weight for c in self.criteria)

    def share(self, criterion: CriterionSpec) -> Decimal:
        """A criterion's share of the full score, in points out of 100."""
        return HUNDRED * criterion.weight / self.weight_total

    def item_points(self, criterion: CriterionSpec) -> Decimal:
        """An item's full points out of 100 (excellence sheets: items equal within a category)."""
        return self.share(criterion) / len(criterion.items)

    @property
    def score_keys(self) -> tuple[str, ...]:
        """The keys an expert scores: criteria, or the 附件7 items."""
        if self.mode == "excellence":
            return tuple(item.key for c in self.criteria for item in c.items)
        return tuple(c.key for c in self.criteria)

    def label(self, key: str) -> str:
        for criterion in self.criteria:
            if criterion.key == key:
                return f"{criterion.number}{criterion.title}"
            for item in criterion.items:
                if item.key == key:
                    return f"{item.number}{item.title}"
        raise KeyError(key)


def sheet_spec(guide: Guide, subprogramme: str, *, basis: Basis = "rubric") -> SheetSpec:
    """The score sheet of a panel sub-programme: its rubric (or, on the ``dimensions`` basis,
    its report template's dimensions), with the award rules it decides on."""
    sub = guide.subprogramme(subprogramme)
    if sub.review.method != "panel" or sub.report_template is None:
        raise ValueError(f"子项目“{sub.name}”不采用评审制，没有评分表")
    template = guide.template(sub.report_template)
    rubric = sub.review.rubric
    if rubric is None:
        excellence = template.graded_by_gbt19580()
    else:
        excellence = rubric.scoring == "excellence"
    if excellence:
        mode: Mode = "excellence"
        criteria = tuple(CriterionSpec(
            key=d.key, number=d.number or "", title=d.title, weight=d.weight,
            items=tuple(ItemSpec(i.key, i.number, i.title or i.text or "", i.kind)
                        for i in d.items)) for d in template.dimensions)
    elif basis == "dimensions":
        mode = "dimensions"
        criteria = tuple(CriterionSpec(
            key=d.key, number=d.number or "", title=d.title, weight=d.weight,
            evidence=(Evidence("", _points(d)),)) for d in template.dimensions)
    else:
        mode = "criteria"
        criteria = _rubric_criteria(sub.review, template)
    funding = sub.funding
    return SheetSpec(
        subprogramme=sub.key, template_key=template.key, attachment=template.attachment,
        title=template.title, mode=mode, criteria=criteria, funding_kind=funding.kind,
        tiers=dict(funding.tiers or {}), amount_cap=funding.cap, fixed_amount=funding.amount,
        site_visit=sub.review.site_visit, pass_percent=funding.min_score_percent,
        top_n=sub.review.top_n,
    )


def _points(dimension: Dimension) -> tuple[str, ...]:
    return ((dimension.text,) if dimension.text else ()) + tuple(
        f"{i.number}{i.text or i.title}" for i in dimension.items)


def _rubric_criteria(review: Review, template: Template) -> tuple[CriterionSpec, ...]:
    """The rubric's criteria, or the guide's named criteria with equal weights."""
    rubric = review.rubric or Rubric(criteria=[
        Criterion(key=f"c{n}", name=name) for n, name in enumerate(review.criteria, start=1)])
    descriptors = []
    for above, band in zip((None, *rubric.bands), rubric.bands, strict=False):
        high = HUNDRED if above is None else above.min - DIMENSION_STEP
        descriptors.append((band, Decimal(band.min), high))
    return tuple(CriterionSpec(
        key=c.key, number="", title=c.name, weight=c.weight,
        evidence=_evidence(template, c.evidence),
        descriptors=tuple(Descriptor(band.label, low, high,
                                     c.descriptors.get(band.label, band.descriptor))
                          for band, low, high in descriptors),
    ) for c in rubric.criteria)


def _evidence(template: Template, keys: Sequence[str]) -> tuple[Evidence, ...]:
    """The dimensions the keys point to, in the template's order, each with the points named
    (all of a dimension named whole, else just the items named)."""
    wanted = set(keys)
    found = []
    for dimension in template.dimensions:
        if dimension.key in wanted:
            points = _points(dimension)
        else:
            points = tuple(f"{i.number}{i.text or i.title}" for i in dimension.items
                           if i.key in wanted)
        if points:
            found.append(Evidence(f"{dimension.number or ''}{dimension.title}", points))
    return tuple(found)


# --- checking what an expert entered --------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class Entries:
    """What an expert entered on one sheet; scores as typed (strings) or numbers."""

    scores: Mapping[str, object]
    comments: Mapping[str, str]
    recommendation: bool | None = None
    tier: int | None = None
    amount: int | None = None
    site_visit: str = ""


def parse_score(spec: SheetSpec, key: str, raw: object) -> Decimal:
    """A score as a Decimal, or ValueError with the Chinese rule it breaks."""
    label = spec.label(key)
    try:
        value = None if isinstance(raw, bool) else Decimal(str(raw).strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValueError(f"“{label}”的评分应为数字")
    if spec.mode == "excellence":
        if value != value.to_integral_value() or int(value) not in BAND_VALUES:
            raise ValueError(
                f"“{label}”的得分率应为 0%–100% 之间 {BAND_STEP}% 的整数倍"
                f"（GB/T 19580 评分档：{'、'.join(b.label for b in BANDS)}）")
        return value
    if not 0 <= value <= 100:
        raise ValueError(f"“{label}”的评分应在 0–100 分之间")
    if value % DIMENSION_STEP:
        raise ValueError(f"“{label}”的评分最小单位为 0.5 分")
    return value


def check(spec: SheetSpec, entries: Entries, *, final: bool) -> list[Problem]:
    """Problems with ``entries``; ``final`` (confirming the sheet) also requires completeness.

    A draft may be partial — autosave keeps whatever is valid — but every value present
    must already obey its rule.
    """
    problems: list[Problem] = []
    for key, raw in entries.scores.items():
        if key not in spec.score_keys:
            problems.append(Problem(key, f"评分表没有“{key}”这一项"))
            continue
        if raw in (None, ""):
            continue
        try:
            parse_score(spec, key, raw)
        except ValueError as exc:
            problems.append(Problem(key, str(exc)))
    for key, comment in entries.comments.items():
        if key not in {c.key for c in spec.criteria}:
            problems.append(Problem(f"comment-{key}", f"评分表没有评审标准“{key}”"))
        else:
            problems += _opinion(f"comment-{key}", comment,
                                 f"“{spec.label(key)}”的评审意见")
    problems += _opinion("site_visit", entries.site_visit, "现场核查意见")
    if entries.tier is not None and entries.tier not in spec.tiers:
        names = "、".join(TIER_NAMES.get(t, str(t)) for t in sorted(spec.tiers))
        problems.append(Problem("tier", f"“推荐等次”应为{names}之一" if spec.tiers
                                else "本子项目不分等次，不能填写“推荐等次”"))
    if entries.amount is not None:
        if spec.amount_cap is None:
            problems.append(Problem("amount", "本子项目资助金额固定，不能填写“建议资助金额”"))
        elif not 0 < entries.amount <= spec.amount_cap:
            problems.append(Problem(
                "amount", f"“建议资助金额”应大于0且不超过资助上限 {spec.amount_cap:,} 元"))
    if spec.site_visit == "none" and entries.site_visit.strip():
        problems.append(Problem("site_visit", "本子项目不进行现场核查，不能填写“现场核查意见”"))
    if final:
        problems += _completeness(spec, entries)
    return problems


def _opinion(field: str, value: object, label: str) -> list[Problem]:
    try:
        check_text(str(value or ""), OPINION_LIMIT, label)
    except TextError as exc:
        return [Problem(field, str(exc))]
    return []


def _completeness(spec: SheetSpec, entries: Entries) -> list[Problem]:
    problems = []
    for key in spec.score_keys:
        if entries.scores.get(key) in (None, ""):
            problems.append(Problem(key, f"“{spec.label(key)}”尚未评分"))
    for criterion in spec.criteria:
        if not (entries.comments.get(criterion.key) or "").strip():
            problems.append(Problem(f"comment-{criterion.key}",
                                    f"“{spec.label(criterion.key)}”须填写评审意见"))
    if entries.recommendation is None:
        problems.append(Problem("recommendation", "须选择“推荐意见”（推荐或不推荐）"))
    if entries.recommendation:
        if spec.tiers and entries.tier is None:
            problems.append(Problem("tier", "推荐时须选择“推荐等次”（一等、二等或三等）"))
        if spec.amount_cap is not None and entries.amount is None:
            problems.append(Problem(
                "amount", f"推荐时须填写“建议资助金额”（最高 {spec.amount_cap:,} 元）"))
    if spec.site_visit == "required" and not entries.site_visit.strip():
        problems.append(Problem("site_visit", "本子项目须现场核查，须填写“现场核查意见”"))
    return problems


# --- totals ----------------------------------------------------------------------------------


def criterion_scores(spec: SheetSpec, scores: Mapping[str, object]) -> dict[str, Decimal]:
    """Each criterion's score out of 100, exact; every score must be present.

    An excellence category scores the mean of its items' percentages.
    """
    result = {}
    for criterion in spec.criteria:
        if spec.mode == "excellence":
            values = [parse_score(spec, i.key, scores[i.key]) for i in criterion.items]
            result[criterion.key] = sum(values, Decimal(0)) / len(values)
        else:
            result[criterion.key] = parse_score(spec, criterion.key, scores[criterion.key])
    return result


def total(spec: SheetSpec, scores: Mapping[str, object]) -> Decimal:
    """The sheet's total out of 100, rounded half up to 0.01: Σ shareᵢ × scoreᵢ ÷ 100, where a
    criterion's share is its weight's part of 100 (excellence: Σ item % × item points)."""
    by_criterion = criterion_scores(spec, scores)
    exact = sum((by_criterion[c.key] * spec.share(c) / HUNDRED for c in spec.criteria),
                Decimal(0))
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


# --- the panel's call on one application ---------------------------------------------------


@dataclass(frozen=True)
class Opinion:
    """One expert's recommendation on an application."""

    recommended: bool
    tier: int | None = None
    amount: int | None = None


@dataclass(frozen=True)
class Decision:
    recommended: bool
    tier: int | None
    amount: int | None
    reasons: tuple[str, ...]


def decide(spec: SheetSpec, opinions: Sequence[Opinion], *, score: Decimal, rank: int
           ) -> Decision:
    """The panel's recommendation from its experts' opinions, the score and the rank.

    Recommended when more than half the panel recommends, the score reaches the guide's
    threshold (孵化: 总分50%（含）以上) and the rank is within ``top_n`` (确定排名前15).
    The tier and the amount are the median of the recommending experts', taking the less
    generous one when two are in the middle; a fixed award is the guide's amount.
    """
    if not opinions:
        raise ValueError("没有专家意见，不能形成专家组推荐意见")
    yes = [o for o in opinions if o.recommended]
    reasons = []
    if len(yes) * 2 <= len(opinions):
        reasons.append(f"推荐专家 {len(yes)} 人，未超过专家组半数")
    if spec.pass_percent is not None and score < spec.pass_percent:
        reasons.append(f"总分 {score}% 未达到 {spec.pass_percent}%（含）")
    if spec.top_n is not None and rank > spec.top_n:
        reasons.append(f"排名第 {rank} 名，未进入前 {spec.top_n} 名")
    if reasons:
        return Decision(False, None, None, tuple(reasons))
    tier = None
    if spec.tiers:
        tier = statistics.median_high([o.tier for o in yes if o.tier is not None])
        amount = spec.tiers[tier]
    elif spec.amount_cap is not None:
        amount = min(statistics.median_low([o.amount for o in yes if o.amount is not None]),
                     spec.amount_cap)
    else:
        amount = spec.fixed_amount
    return Decision(True, tier, amount, ())
