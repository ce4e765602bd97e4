"""The typed schema of an application guide (申报指南).

The guide is data, not code: each year's rules live in a YAML file that validates against
these frozen models. `extra="forbid"` everywhere, so a misspelt key is an error rather than
a silently ignored rule. Invariants of a single object (a window closes after it opens, a panel
is odd and at least five) are field validators; cross-references between objects (a rule's
figure exists, a template key resolves) are listed by `cross_reference_problems` so that the
loader can report each one against its YAML line.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

SUBPROGRAMME_KEYS = (
    "honors",
    "qi-service",
    "gba",
    "brand",
    "innovation",
    "digital",
    "incubation",
)
FILE_TYPES = ("pdf", "jpg", "png", "docx", "xlsx", "mp4")
NUMERIC_FIGURE_TYPES = ("integer", "decimal", "percent")

# Validation context flag: the loader checks cross-references itself, one problem per line.
SKIP_CROSS_CHECK = "skip_cross_check"

Path_ = tuple[str | int, ...]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- figures and rules -------------------------------------------------------------------


class Figure(Model):
    """One declared figure the sub-programme's online form asks for (填报数据)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: Literal["integer", "decimal", "percent", "date", "boolean", "choice", "text"]
    unit: str | None = None
    choices: list[str] | None = None
    required: bool = True
    help: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Figure:
        if (self.type == "choice") != bool(self.choices):
            raise ValueError("仅「choice」类型须列出 choices，且不能为空")
        if self.type not in NUMERIC_FIGURE_TYPES and (self.min is not None or self.max is not None):
            raise ValueError("只有数值类型的填报项可以设置 min/max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min 不能大于 max")
        return self


Op = Literal["ge", "gt", "le", "lt", "eq"]


class CompareRule(Model):
    """A declared number against a threshold, e.g. 平均劳动生产率提高5%."""

    kind: Literal["compare"]
    figure: str
    op: Op
    value: Decimal


class RatioRule(Model):
    """numerator ÷ denominator, as a percentage, against `value` (a percentage)."""

    kind: Literal["ratio"]
    label: str
    numerator: str
    denominator: str
    op: Op
    value: Decimal


class DateWithinRule(Model):
    """A declared date inside [start, end], both ends included (项目完成时间)."""

    kind: Literal["date_within"]
    figure: str
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> DateWithinRule:
        if self.end < self.start:
            raise ValueError("end 不能早于 start")
        return self


class YearsBeforeRule(Model):
    """A declared date at least `years` before `reference` (…一年以上, as of reference)."""

    kind: Literal["years_before"]
    figure: str
    reference: date
    years: PositiveInt


class IsTrueRule(Model):
    kind: Literal["is_true"]
    figure: str


class IsFalseRule(Model):
    kind: Literal["is_false"]
    figure: str


class OneOfRule(Model):
    kind: Literal["one_of"]
    figure: str
    values: list[str] = Field(min_length=1)


class AllOfRule(Model):
    kind: Literal["all_of"]
    rules: list[Rule] = Field(min_length=1)


class AnyOfRule(Model):
    kind: Literal["any_of"]
    rules: list[Rule] = Field(min_length=2)


class OrgRule(Model):
    """A basic condition decided from the organisation's registered data, not a figure."""

    kind: Literal["org"]
    check: Literal["established_years", "in_shenzhen", "names_identical", "trust_level"]
    years: PositiveInt | None = None

    @model_validator(mode="after")
    def _years(self) -> OrgRule:
        if (self.check == "established_years") != (self.years is not None):
            raise ValueError("只有 established_years 检查须给出 years")
        return self


class OfficerRule(Model):
    """The guide gives no threshold: an officer's judgement decides."""

    kind: Literal["officer"]


Rule = Annotated[
    CompareRule
    | RatioRule
    | DateWithinRule
    | YearsBeforeRule
    | IsTrueRule
    | IsFalseRule
    | OneOfRule
    | AllOfRule
    | AnyOfRule
    | OrgRule
    | OfficerRule,
    Field(discriminator="kind"),
]
AllOfRule.model_rebuild()
AnyOfRule.model_rebuild()


class Condition(Model):
    """One condition of the guide, in its own words, with the rule that decides it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    clause: str
    text: str
    rule: Rule
    # A hard condition that blocks submission when not met; officer-judged ones never block.
    blocking: bool
    note: str | None = None  # the guide's footnote on this condition (基本要求/最低绩效要求)

    @model_validator(mode="after")
    def _officer_not_blocking(self) -> Condition:
        if self.blocking and isinstance(self.rule, OfficerRule):
            raise ValueError("须审核人员判断的条件不能设为 blocking")
        return self


class Situation(Model):
    """One 不予资助情形 (七（七）) and the check that detects it."""

    id: str
    clause: str
    text: str
    check: Literal[
        "guide_requirements",
        "industry_list",
        "government_investment",
        "dishonesty_list",
        "duplicate",
        "bankruptcy",
        "entity_gone",
        "other_law",
    ]


# --- money, review, periods ----------------------------------------------------------------


class Funding(Model):
    kind: Literal["fixed", "capped", "tiered"]
    amount: PositiveInt | None = None  # yuan, 每个项目予以…资助
    cap: PositiveInt | None = None  # yuan, 最高…
    tiers: dict[PositiveInt, PositiveInt] | None = None  # tier → yuan
    post_hoc: bool = True  # 事后资助
    max_projects: PositiveInt | None = None  # 本年度资助不超过…个项目
    max_per_org: PositiveInt | None = None  # 同一单位/平台每年…不超过…项
    once_per_project: bool = False
    pro_rata: bool = False  # 足额或折算分配
    min_score_percent: PositiveInt | None = None
    first_time_only: bool = False

    @model_validator(mode="after")
    def _kind_fields(self) -> Funding:
        wanted = {"fixed": "amount", "capped": "cap", "tiered": "tiers"}[self.kind]
        for name in ("amount", "cap", "tiers"):
            present = getattr(self, name) is not None
            if present != (name == wanted):
                raise ValueError(f"资助方式 {self.kind} 须且只须给出 {wanted}")
        if self.tiers is not None:
            if sorted(self.tiers) != list(range(1, len(self.tiers) + 1)):
                raise ValueError("等次须从 1 起连续编号")
            amounts = [self.tiers[t] for t in sorted(self.tiers)]
            if amounts != sorted(amounts, reverse=True):
                raise ValueError("等次越高资助金额不能越低")
        return self

    @property
    def maximum(self) -> int:
        """The most one project can receive, in yuan."""
        if self.kind == "tiered":
            return max(self.tiers.values())
        return self.amount if self.kind == "fixed" else self.cap


class Aggregation(Model):
    method: Literal["trimmed_mean", "mean"] = "trimmed_mean"
    trim: int = Field(default=1, ge=0)  # drop this many highest and lowest scores
    min_panel_for_trim: int = Field(default=5, ge=3)


class ScoreBand(Model):
    """A score band (评分档) of a rubric: scores from ``min`` up to the next band's minimum."""

    label: str
    min: Decimal = Field(ge=0, le=100)
    descriptor: str  # what a score in the band means, for a criterion with none of its own


# The bands a rubric uses when it names none. The guide gives no bands; these are the bureau's.
DEFAULT_BANDS = (
    ScoreBand(label="优秀", min=Decimal(90),
              descriptor="充分体现该项要求，佐证材料完整、数据可核验，在同类项目中表现突出"),
    ScoreBand(label="良好", min=Decimal(75),
              descriptor="较好体现该项要求，佐证材料较充分，个别方面有待加强"),
    ScoreBand(label="一般", min=Decimal(60),
              descriptor="基本体现该项要求，佐证不够充分或部分数据缺少来源"),
    ScoreBand(label="较差", min=Decimal(0), descriptor="未能体现该项要求，或缺少佐证材料"),
)


class Criterion(Model):
    """One review criterion the guide names (评审标准), as the experts score it."""

    key: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str  # the guide's own word, e.g. 代表性
    weight: PositiveInt = 1
    # Keys of the report template's dimensions or items where the report speaks to it.
    evidence: list[str] = []
    descriptors: dict[str, str] = {}  # band label → what that band means for this criterion


class Rubric(Model):
    """How a panel scores: the guide's criteria with weights, score bands and evidence
    pointers; or ``excellence``, GB/T 19580 bands on the report template's items (附件7)."""

    scoring: Literal["criteria", "excellence"] = "criteria"
    bands: list[ScoreBand] = list(DEFAULT_BANDS)
    criteria: list[Criterion] = []

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        if self.scoring == "excellence":
            if self.criteria:
                raise ValueError("excellence 按报告模板条目评分，不设 criteria")
            return self
        if not self.criteria:
            raise ValueError("须列出评审标准 criteria")
        minimums = [band.min for band in self.bands]
        if (not minimums or minimums != sorted(set(minimums), reverse=True)
                or minimums[-1] != 0):
            raise ValueError("评分档 bands 须按下限从高到低排列、互不相同，最后一档下限为 0")
        labels = [band.label for band in self.bands]
        if len(set(labels)) != len(labels):
            raise ValueError("评分档名称 label 不能重复")
        for criterion in self.criteria:
            unknown = [label for label in criterion.descriptors if label not in labels]
            if unknown:
                raise ValueError(f"评审标准 {criterion.key} 的 descriptors 含未知评分档："
                                 f"{'、'.join(unknown)}")
        return self


class Review(Model):
    method: Literal["verification", "panel"]
    min_panel_size: int | None = None  # 成立5人以上单数的专家组
    site_visit: Literal["none", "optional", "required"] = "none"
    criteria: list[str] = []  # the criteria the guide names, in its own words
    rubric: Rubric | None = None  # without one: those criteria, equally weighted
    selection_text: str
    top_n: PositiveInt | None = None  # 确定排名前15的单位
    aggregation: Aggregation = Aggregation()

    @model_validator(mode="after")
    def _panel(self) -> Review:
        if self.method == "panel":
            size = self.min_panel_size
            if size is None or size < 5 or size % 2 == 0:
                raise ValueError("评审制须设 min_panel_size，且为不少于 5 的单数")
        elif (self.min_panel_size is not None or self.site_visit != "none"
              or self.rubric is not None):
            raise ValueError("核查制（verification）不设专家组、现场核查和评分细则")
        return self


class Period(Model):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("end 不能早于 start")
        return self

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


class Window(Model):
    """The application window (申报时间).

    Both ends are included: open from exactly 09:00:00 on the first day up to and including
    18:00:00 on the last; "超过申报时间提交的不予受理" refuses only what comes after 18:00:00.
    """

    opens_at: datetime
    closes_at: datetime

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("时间须带时区，例如 2025-06-12T09:00:00+08:00")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.closes_at <= self.opens_at:
            raise ValueError("申报截止时间须晚于开始时间")
        return self

    def is_open(self, at: datetime) -> bool:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("is_open needs an aware datetime")
        return self.opens_at <= at <= self.closes_at


# --- materials -----------------------------------------------------------------------------


class SealPages(Model):
    """Where the official seal (公章) is expected in an uploaded document."""

    mode: Literal["marker", "last", "all", "none"]
    markers: list[str] = []  # a page carrying one of these words must be sealed
    fallback: Literal["last", "none"] = "last"  # when no marker is found on any page
    expected: PositiveInt | None = None  # how many sealed pages at least

    @model_validator(mode="after")
    def _markers(self) -> SealPages:
        if (self.mode == "marker") != bool(self.markers):
            raise ValueError("只有 marker 方式须列出 markers")
        return self


class Material(Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    number: str  # ①②③④
    category: Literal["basic", "special"]  # 基础申报材料 / 专项申报材料
    title: str
    text: str  # the guide's full words for the item
    note: str | None = None  # the 说明 printed under the item
    required: bool = True
    generated: bool = False  # 申请表: produced by the system, no upload slot
    multiple: bool = False
    types: list[Literal["pdf", "jpg", "png", "docx", "xlsx", "mp4"]]
    max_size_mb: PositiveInt
    seal_required: bool
    seal_pages: SealPages
    template: str | None = None
    alternative_group: str | None = None  # one material of the group suffices
    max_chars: PositiveInt | None = None

    @model_validator(mode="after")
    def _generated(self) -> Material:
        if self.generated:
            if self.types or self.seal_required or self.multiple:
                raise ValueError("系统生成的材料没有上传位：types 须为空，且不设盖章与多文件")
        elif not self.types:
            raise ValueError("须上传的材料须给出允许的文件类型 types")
        if self.seal_required == (self.seal_pages.mode == "none"):
            raise ValueError("seal_required 与 seal_pages.mode 不一致")
        return self


class MaterialDefaults(Model):
    """Limits a material takes when it names none of its own."""

    max_size_mb: PositiveInt = 50
    types: list[Literal["pdf", "jpg", "png", "docx", "xlsx", "mp4"]] = ["pdf"]


# --- templates -----------------------------------------------------------------------------


class PartItem(Model):
    number: str | None = None
    text: str
    items: list[PartItem] = []


class TemplatePart(Model):
    """A letter inside a template (附件1 has two: 廉洁承诺书 and 合规承诺书)."""

    key: str
    title: str
    subtitle: str | None = None
    paragraphs: list[str] = []
    items: list[PartItem] = []
    closing: list[str] = []
    signature: list[str] = []


class Item(Model):
    key: str
    number: str
    title: str | None = None
    text: str | None = None
    kind: Literal["process", "result"] | None = None

    @model_validator(mode="after")
    def _worded(self) -> Item:
        if self.title is None and self.text is None:
            raise ValueError("评价条目须有 title 或 text")
        return self


class Dimension(Model):
    key: str
    number: str | None  # "一、"; None where the guide prints none (附件5 选题重要性)
    title: str
    weight: PositiveInt = 1
    text: str | None = None  # a dimension described in prose instead of numbered items
    items: list[Item] = []


class Section(Model):
    """A heading of a template that is not a scored dimension (附件7 一、组织简介)."""

    key: str
    number: str
    title: str
    note: str | None = None


class Template(Model):
    key: str
    attachment: str = Field(pattern=r"^附件\d+$")
    title: str
    subtitle: str | None = None
    intro: str | None = None
    parts: list[TemplatePart] = []
    sections: list[Section] = []
    dimensions: list[Dimension] = []
    notes: list[str] = []
    min_requirement: str | None = None
    footer: list[str] = []
    max_chars: PositiveInt | None = None

    def items(self) -> list[Item]:
        return [item for dimension in self.dimensions for item in dimension.items]

    def graded_by_gbt19580(self) -> bool:
        """附件7: every item is a GB/T 19580 process or result item, scored in its bands."""
        items = self.items()
        return bool(items) and all(item.kind for item in items)


# --- sub-programme and guide ---------------------------------------------------------------


class Subprogramme(Model):
    key: Literal["honors", "qi-service", "gba", "brand", "innovation", "digital", "incubation"]
    order: PositiveInt
    clause: str
    name: str
    short_name: str
    direction: str | None = None
    funding: Funding
    funding_text: str
    review: Review
    completion_period: Period | None = None
    figures: list[Figure] = []
    conditions: list[Condition]
    materials: list[Material]
    materials_note: str  # 说明：上述申报材料须在落款处加盖公章…
    report_template: str | None = None

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def material(self, key: str) -> Material:
        for material in self.materials:
            if material.key == key:
                return material
        raise KeyError(key)

    def condition(self, id: str) -> Condition:
        for condition in self.conditions:
            if condition.id == id:
                return condition
        raise KeyError(id)


class Contact(Model):
    topic: str
    phone: str


class Guide(Model):
    schema_version: Literal[1]
    year: int = Field(ge=2000, le=2100)
    title: str
    timezone: str
    window: Window
    required_trust_level: PositiveInt
    legal_basis: list[str] = Field(min_length=1)
    procedure: list[str] = Field(min_length=1)
    apply_url: str | None = None
    progress_url: str | None = None
    decision_authority: str | None = None
    contacts: list[Contact] = []
    basic_conditions: list[Condition]
    not_funded: list[Situation]
    templates: list[Template]
    subprogrammes: list[Subprogramme]
    material_defaults: MaterialDefaults = MaterialDefaults()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"未知时区 {value}") from None
        return value

    @model_validator(mode="before")
    @classmethod
    def _material_defaults(cls, data: Any) -> Any:
        """Fill each uploaded material's types/max_size_mb from `material_defaults`."""
        if not isinstance(data, dict):
            return data
        defaults = data.get("material_defaults") or {}
        if not isinstance(defaults, dict):
            return data
        size = defaults.get("max_size_mb", MaterialDefaults().max_size_mb)
        types = defaults.get("types", MaterialDefaults().types)
        subprogrammes = data.get("subprogrammes")
        if not isinstance(subprogrammes, list):
            return data
        filled = []
        for sub in subprogrammes:
            if isinstance(sub, dict) and isinstance(sub.get("materials"), list):
                materials = []
                for material in sub["materials"]:
                    if isinstance(material, dict):
                        material = dict(material)
                        material.setdefault("max_size_mb", size)
                        if not material.get("generated"):
                            material.setdefault("types", list(types))
                        else:
                            material.setdefault("types", [])
                    materials.append(material)
                sub = {**sub, "materials": materials}
            filled.append(sub)
        return {**data, "subprogrammes": filled}

    @model_validator(mode="after")
    def _cross_references(self, info: ValidationInfo) -> Guide:
        if info.context and info.context.get(SKIP_CROSS_CHECK):
            return self
        problems = cross_reference_problems(self)
        if problems:
            raise ValueError("；".join(f"{_dotted(path)}: {reason}" for path, reason in problems))
        return self

    def subprogramme(self, key: str) -> Subprogramme:
        for sub in self.subprogrammes:
            if sub.key == key:
                return sub
        raise KeyError(key)

    def template(self, key: str) -> Template:
        for template in self.templates:
            if template.key == key:
                return template
        raise KeyError(key)


# --- cross-references ----------------------------------------------------------------------


def _dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _rule_figures(rule: Any, path: Path_) -> list[tuple[Path_, str, Any]]:
    """(path, figure key, rule) for every figure a rule reads, nested rules included."""
    if isinstance(rule, (AllOfRule, AnyOfRule)):
        found = []
        for i, sub in enumerate(rule.rules):
            found += _rule_figures(sub, (*path, "rules", i))
        return found
    if isinstance(rule, RatioRule):
        return [
            ((*path, "numerator"), rule.numerator, rule),
            ((*path, "denominator"), rule.denominator, rule),
        ]
    if hasattr(rule, "figure"):
        return [((*path, "figure"), rule.figure, rule)]
    return []


_RULE_FIGURE_TYPES: dict[type, tuple[str, ...]] = {
    CompareRule: NUMERIC_FIGURE_TYPES,
    RatioRule: NUMERIC_FIGURE_TYPES,
    DateWithinRule: ("date",),
    YearsBeforeRule: ("date",),
    IsTrueRule: ("boolean",),
    IsFalseRule: ("boolean",),
    OneOfRule: ("choice",),
}


def _duplicates(values: list[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


def cross_reference_problems(guide: Guide) -> list[tuple[Path_, str]]:
    """Problems no single model can see: references, uniqueness, the seven keys."""
    problems: list[tuple[Path_, str]] = []
    template_keys = [t.key for t in guide.templates]
    for i, template in enumerate(guide.templates):
        if template.key in _duplicates(template_keys):
            problems.append((("templates", i, "key"), f"模板键 {template.key} 重复"))
        item_keys = [item.key for item in template.items()]
        dim_keys = [d.key for d in template.dimensions]
        for j, dimension in enumerate(template.dimensions):
            if dimension.key in _duplicates(dim_keys):
                problems.append(
                    (("templates", i, "dimensions", j, "key"), f"维度键 {dimension.key} 重复")
                )
            for k, item in enumerate(dimension.items):
                if item.key in _duplicates(item_keys):
                    path = ("templates", i, "dimensions", j, "items", k, "key")
                    problems.append((path, f"条目键 {item.key} 重复"))
    attachments = [t.attachment for t in guide.templates]
    for i, template in enumerate(guide.templates):
        if template.attachment in _duplicates(attachments):
            problems.append((("templates", i, "attachment"), f"{template.attachment} 重复"))

    keys = [sub.key for sub in guide.subprogrammes]
    for i, sub in enumerate(guide.subprogrammes):
        if sub.key in _duplicates(keys):
            problems.append((("subprogrammes", i, "key"), f"子项目 {sub.key} 出现不止一次"))
    for key in SUBPROGRAMME_KEYS:
        if key not in keys:
            problems.append((("subprogrammes",), f"缺少子项目 {key}"))
    orders = [sub.order for sub in guide.subprogrammes]
    for i, sub in enumerate(guide.subprogrammes):
        if orders.count(sub.order) > 1:
            problems.append((("subprogrammes", i, "order"), f"排序号 {sub.order} 重复"))

    condition_ids = [c.id for c in guide.basic_conditions]
    condition_ids += [c.id for sub in guide.subprogrammes for c in sub.conditions]
    repeated = _duplicates(condition_ids)
    for i, condition in enumerate(guide.basic_conditions):
        if condition.id in repeated:
            problems.append((("basic_conditions", i, "id"), f"条件编号 {condition.id} 重复"))
        for path, key, _ in _rule_figures(condition.rule, ("basic_conditions", i, "rule")):
            problems.append((path, f"基本条件不能引用填报项 {key}，只能使用 org 或 officer"))
    situation_ids = [s.id for s in guide.not_funded]
    for i, situation in enumerate(guide.not_funded):
        if situation.id in _duplicates(situation_ids):
            problems.append((("not_funded", i, "id"), f"情形编号 {situation.id} 重复"))

    if guide.window.opens_at.year != guide.year:
        problems.append((("window", "opens_at"), f"申报开始时间不在 {guide.year} 年"))

    for i, sub in enumerate(guide.subprogrammes):
        base: Path_ = ("subprogrammes", i)
        figures = {f.key: f for f in sub.figures}
        for key in _duplicates([f.key for f in sub.figures]):
            problems.append(((*base, "figures"), f"填报项 {key} 重复"))
        for j, condition in enumerate(sub.conditions):
            if condition.id in repeated:
                problems.append(((*base, "conditions", j, "id"), f"条件编号 {condition.id} 重复"))
            rule_path = (*base, "conditions", j, "rule")
            for path, key, rule in _rule_figures(condition.rule, rule_path):
                figure = figures.get(key)
                if figure is None:
                    problems.append((path, f"填报项 {key} 未在本子项目的 figures 中定义"))
                    continue
                allowed = _RULE_FIGURE_TYPES[type(rule)]
                if figure.type not in allowed:
                    problems.append(
                        (path, f"填报项 {key} 的类型 {figure.type} 不适用于 {rule.kind} 规则")
                    )
                elif isinstance(rule, OneOfRule):
                    unknown = [v for v in rule.values if v not in figure.choices]
                    if unknown:
                        problems.append((path, f"取值 {'、'.join(unknown)} 不在 {key} 的选项中"))
        material_keys = [m.key for m in sub.materials]
        for j, material in enumerate(sub.materials):
            path = (*base, "materials", j)
            if material.key in _duplicates(material_keys):
                problems.append(((*path, "key"), f"材料键 {material.key} 重复"))
            if material.template is not None and material.template not in template_keys:
                problems.append(((*path, "template"), f"模板 {material.template} 不存在"))
        groups = Counter(m.alternative_group for m in sub.materials if m.alternative_group)
        for j, material in enumerate(sub.materials):
            if material.alternative_group and groups[material.alternative_group] < 2:
                path = (*base, "materials", j, "alternative_group")
                problems.append((path, "可替代材料组至少须有两项材料"))
        if sub.report_template is not None:
            if sub.report_template not in template_keys:
                problems.append(((*base, "report_template"), f"模板 {sub.report_template} 不存在"))
            elif not any(m.template == sub.report_template for m in sub.materials):
                problems.append(((*base, "report_template"), "没有材料使用该报告模板"))
        problems += _rubric_problems(guide, sub, base)
    return problems


def _rubric_problems(guide: Guide, sub: Subprogramme, base: Path_) -> list[tuple[Path_, str]]:
    """A panel's rubric names the guide's criteria and points into its own report template."""
    review, path = sub.review, (*base, "review")
    if review.method != "panel":
        return []
    template = next((t for t in guide.templates if t.key == sub.report_template), None)
    graded = template is not None and template.graded_by_gbt19580()
    rubric = review.rubric
    if rubric is None:
        if not review.criteria and not graded:
            return [((*path, "criteria"), "评审制子项目须在 criteria 列出指南所列的评审标准")]
        return []
    if rubric.scoring == "excellence":
        if graded:
            return []
        return [((*path, "rubric", "scoring"),
                 "excellence 评分须报告模板的每个条目都标明 kind（process/result）")]
    problems: list[tuple[Path_, str]] = []
    if [c.name for c in rubric.criteria] != review.criteria:
        named = "、".join(review.criteria) or "未列出"
        problems.append(((*path, "rubric", "criteria"),
                         f"评审标准须与 criteria 所列的指南原文一一对应、顺序相同（{named}）"))
    # A missing template is reported on report_template already.
    pointers = None if template is None else (
        {d.key for d in template.dimensions} | {i.key for i in template.items()})
    repeated = _duplicates([c.key for c in rubric.criteria])
    for j, criterion in enumerate(rubric.criteria):
        at = (*path, "rubric", "criteria", j)
        if criterion.key in repeated:
            problems.append(((*at, "key"), f"评审标准键 {criterion.key} 重复"))
        unknown = [key for key in criterion.evidence if pointers is not None
                   and key not in pointers]
        if unknown:
            names = "、".join(unknown)
            problems.append(((*at, "evidence"),
                             f"报告模板 {sub.report_template} 中没有维度或条目 {names}"))
    return problems
