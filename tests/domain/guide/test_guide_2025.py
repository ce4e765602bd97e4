"""Facts of the 2025 guide, and a check that the data quotes the guide verbatim.

`2025-quality-brand-guide.txt` beside this file is the published guide's text; every quoted
string in the YAML must appear in it (ignoring line breaks; "…" joins quoted fragments).
"""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from qualityfund.domain.guide import SUBPROGRAMME_KEYS
from qualityfund.domain.guide.schema import AllOfRule, AnyOfRule, CompareRule, RatioRule

SOURCE = Path(__file__).with_name("2025-quality-brand-guide.txt")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def quoted_strings(guide) -> list[str]:
    """Every string in the guide data that claims to be the guide's own words."""
    texts = [c.text for c in guide.basic_conditions] + [s.text for s in guide.not_funded]
    texts += guide.legal_basis + guide.procedure
    for sub in guide.subprogrammes:
        texts += [sub.name, sub.funding_text, sub.review.selection_text, sub.materials_note]
        texts += sub.review.criteria
        texts += [c.name for c in sub.review.rubric.criteria] if sub.review.rubric else []
        texts += [sub.direction] if sub.direction else []
        for condition in sub.conditions:
            texts += [condition.text] + ([condition.note] if condition.note else [])
        for material in sub.materials:
            texts += [material.title, material.text] + ([material.note] if material.note else [])
    for template in guide.templates:
        texts += [template.title, *template.notes, *template.footer]
        texts += [t for t in (template.intro, template.min_requirement, template.subtitle) if t]
        for part in template.parts:
            texts += [part.title, *part.paragraphs, *part.closing, *part.signature]
            texts += [part.subtitle] if part.subtitle else []
            stack = list(part.items)
            while stack:
                item = stack.pop()
                texts.append((item.number or "") + item.text)
                stack += item.items
        for section in template.sections:
            texts += [section.number + section.title] + ([section.note] if section.note else [])
        for dimension in template.dimensions:
            texts.append((dimension.number or "") + dimension.title)
            texts += [dimension.text] if dimension.text else []
            texts += [item.number + (item.title or item.text) for item in dimension.items]
    return texts


def test_every_quotation_is_verbatim(guide):
    source = squash(SOURCE.read_text(encoding="utf-8"))
    title = squash(guide.title)
    assert title.startswith("2025年度深圳市质量品牌领域") and title in source
    wrong = [
        text
        for text in quoted_strings(guide)
        if not all(squash(piece) in source for piece in text.split("…"))
    ]
    assert wrong == []


def test_top_level_facts(guide):
    assert guide.schema_version == 1 and guide.year == 2025
    assert guide.timezone == "Asia/Shanghai"
    assert guide.required_trust_level == 5
    assert len(guide.legal_basis) == 3
    assert guide.procedure[0] == "项目申报" and guide.procedure[-1] == "预算管理及资金拨付"
    assert len(guide.procedure) == 8
    assert guide.decision_authority == "深圳市市场监督管理局"


def test_window_instants(guide):
    window = guide.window
    assert window.opens_at == datetime(2025, 6, 12, 9, 0, tzinfo=SHANGHAI)
    assert window.closes_at == datetime(2025, 7, 3, 18, 0, tzinfo=SHANGHAI)
    assert window.is_open(datetime(2025, 6, 12, 9, 0, 0, tzinfo=SHANGHAI))
    assert not window.is_open(datetime(2025, 6, 12, 8, 59, 59, tzinfo=SHANGHAI))
    assert window.is_open(datetime(2025, 7, 3, 18, 0, 0, tzinfo=SHANGHAI))
    assert not window.is_open(datetime(2025, 7, 3, 18, 0, 0, 1, tzinfo=SHANGHAI))


def test_seven_subprogrammes_in_the_guide_order(guide):
    assert [s.key for s in guide.subprogrammes] == list(SUBPROGRAMME_KEYS)
    assert [s.order for s in guide.subprogrammes] == list(range(1, 8))
    assert [s.clause for s in guide.subprogrammes] == [
        "三（一）", "三（二）", "三（三）", "三（四）", "三（五）", "三（六）", "三（七）"
    ]  # fmt: skip


def test_basic_conditions(guide):
    clauses = [c.clause for c in guide.basic_conditions]
    assert clauses[:7] == [f"二（{n}）" for n in "一二三四五六七"]
    assert "七（五）" in clauses and "四（三）" in clauses
    checks = {
        c.clause: [r.check for r in getattr(c.rule, "rules", [c.rule]) if r.kind == "org"]
        for c in guide.basic_conditions
    }
    assert checks["二（一）"] == ["established_years"]
    assert checks["二（三）"] == ["in_shenzhen"]
    assert checks["七（五）"] == ["names_identical"]
    assert checks["四（三）"] == ["trust_level"]


def test_not_funded_situations(guide):
    assert [s.clause for s in guide.not_funded] == [f"七（七）{n}" for n in range(1, 9)]
    assert [s.check for s in guide.not_funded] == [
        "guide_requirements", "industry_list", "government_investment", "dishonesty_list",
        "duplicate", "bankruptcy", "entity_gone", "other_law",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "kind", "money", "max_projects", "max_per_org"),
    [
        ("honors", "fixed", 200000, None, None),
        ("qi-service", "capped", 300000, None, 2),
        ("gba", "tiered", {1: 2000000, 2: 1000000, 3: 500000}, None, None),
        ("brand", "fixed", 200000, 10, 1),
        ("innovation", "capped", 200000, 15, 2),
        ("digital", "capped", 300000, None, None),
        ("incubation", "fixed", 300000, 15, None),
    ],
)
def test_funding(guide, key, kind, money, max_projects, max_per_org):
    funding = guide.subprogramme(key).funding
    assert funding.kind == kind and funding.post_hoc
    assert {"fixed": funding.amount, "capped": funding.cap, "tiered": funding.tiers}[kind] == money
    assert (funding.max_projects, funding.max_per_org) == (max_projects, max_per_org)


def test_funding_flags(guide):
    sub = guide.subprogramme
    assert sub("honors").funding.once_per_project and sub("innovation").funding.once_per_project
    assert sub("digital").funding.pro_rata
    incubation = sub("incubation").funding
    assert incubation.min_score_percent == 50 and incubation.first_time_only


def test_reviews(guide):
    honors = guide.subprogramme("honors").review
    assert honors.method == "verification" and honors.min_panel_size is None
    for sub in guide.subprogrammes[1:]:
        assert sub.review.method == "panel" and sub.review.min_panel_size == 5
        assert sub.review.aggregation.method == "trimmed_mean"
    assert guide.subprogramme("qi-service").review.criteria == [
        "代表性",
        "辐射力",
        "实效性",
        "示范性",
    ]
    assert guide.subprogramme("brand").review.criteria == ["示范代表性", "社会参与度", "群众获得感"]
    assert guide.subprogramme("innovation").review.criteria == [
        "实用性", "技术经济效果", "示范推广价值"]
    assert guide.subprogramme("digital").review.criteria == ["建设情况", "绩效结果"]
    assert guide.subprogramme("incubation").review.rubric.scoring == "excellence"
    for key in ("qi-service", "gba", "brand", "innovation", "digital"):
        review = guide.subprogramme(key).review
        assert [c.name for c in review.rubric.criteria] == review.criteria
        assert {c.weight for c in review.rubric.criteria} == {1}  # the guide weighs none more
    assert guide.subprogramme("innovation").review.site_visit == "optional"
    assert guide.subprogramme("digital").review.site_visit == "required"
    assert guide.subprogramme("innovation").review.top_n == 15
    assert guide.subprogramme("incubation").review.top_n == 15


def test_completion_periods(guide):
    for sub in guide.subprogrammes:
        if sub.key in ("honors", "incubation"):
            assert sub.completion_period is None
        else:
            assert (sub.completion_period.start, sub.completion_period.end) == (
                date(2024, 1, 1),
                date(2024, 12, 31),
            )
            assert date(2024, 12, 31) in sub.completion_period


def thresholds(sub) -> dict[str, tuple[str, object]]:
    found = {}
    stack = [c.rule for c in sub.conditions]
    while stack:
        rule = stack.pop()
        if isinstance(rule, (AllOfRule, AnyOfRule)):
            stack += rule.rules
        elif isinstance(rule, CompareRule):
            found[rule.figure] = (rule.op, rule.value)
        elif isinstance(rule, RatioRule):
            found[f"{rule.numerator}/{rule.denominator}"] = (rule.op, rule.value)
    return found


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("honors", {"award_year": ("eq", 2024)}),
        (
            "qi-service",
            {
                "labour_productivity_gain_percent": ("ge", 5),
                "quality_loss_reduction_percent": ("ge", 10),
                "typical_cases": ("ge", 3),
            },
        ),
        (
            "gba",
            {
                "gba_regions": ("ge", 5),
                "participating_units": ("ge", 30),
                "hk_macao_units/participating_units": ("ge", 10),
                "media_reports": ("ge", 1),
            },
        ),
        (
            "brand",
            {
                "coverage_percent": ("ge", 50),
                "public_reach": ("ge", 5000),
                "typical_experiences": ("ge", 3),
                "satisfaction_percent": ("ge", 80),
                "influential_media": ("ge", 2),
            },
        ),
        ("innovation", {}),
        (
            "digital",
            {
                "e_report_rate_percent": ("ge", 60),
                "key_process_percent": ("ge", 50),
                "digital_tools": ("ge", 1),
            },
        ),
        ("incubation", {}),
    ],
)
def test_thresholds(guide, key, expected):
    assert thresholds(guide.subprogramme(key)) == expected


def test_incubation_dates_and_flags(guide):
    sub = guide.subprogramme("incubation")
    years = sub.condition("incubation-2").rule
    assert (years.kind, years.figure, years.reference, years.years) == (
        "years_before",
        "gbt19580_since",
        date(2024, 12, 31),
        1,
    )
    assert sub.condition("incubation-4").rule.kind == "is_false"
    assert sub.condition("incubation-4").rule.figure == "received_quality_award_funding"


def test_honors_award_events(guide):
    rule = guide.subprogramme("honors").condition("honors-1").rule
    events = next(r for r in rule.rules if r.kind == "one_of").values
    assert len(events) == 3 and "国际质量创新大赛优胜项目" in events


def test_brand_alternatives(guide):
    sub = guide.subprogramme("brand")
    assert sub.condition("brand-3").rule.kind == "any_of"
    branches = sub.condition("brand-4a").rule.rules
    assert [b.kind for b in branches] == ["all_of", "all_of"]


def test_footnotes_are_attached(guide):
    qi = guide.subprogramme("qi-service")
    assert qi.condition("qi-service-2").note.startswith("基本要求：")
    assert qi.condition("qi-service-4a").note.startswith("最低绩效要求：平均劳动生产率")
    assert guide.subprogramme("digital").condition("digital-3").note.startswith("最低绩效要求：")


def test_officer_conditions_never_block(guide):
    conditions = guide.basic_conditions + [c for s in guide.subprogrammes for c in s.conditions]
    for condition in conditions:
        if condition.rule.kind == "officer":
            assert not condition.blocking
    assert sum(c.rule.kind == "officer" for c in conditions) >= 10


def test_materials_common_to_all(guide):
    for sub in guide.subprogrammes:
        form, pledge = sub.materials[0], sub.materials[1]
        assert (form.key, form.number, form.generated, form.types) == (
            "application-form",
            "①",
            True,
            [],
        )
        assert "无需另行上传" in form.note
        assert pledge.template == "pledge" and pledge.seal_required
        assert pledge.seal_pages.markers == ["（单位盖章）"] and pledge.seal_pages.expected == 2
        assert sub.materials_note.startswith("说明：上述申报材料须在落款处加盖公章。")
        for material in sub.materials[1:]:
            assert material.seal_required and material.max_size_mb >= 50
        if sub.report_template:
            report = sub.material("report")
            assert report.template == sub.report_template
            assert report.seal_pages.markers == ["申报单位（盖章）"]


def test_material_specifics(guide):
    sub = guide.subprogramme
    assert [m.number for m in sub("honors").materials] == ["①", "②", "③"]
    assert sub("honors").report_template is None
    innovation = sub("innovation")
    group = [m.key for m in innovation.materials if m.alternative_group == "report-or-certificate"]
    assert group == ["report", "certificate"]
    assert innovation.material("input-output").title == "项目投入产出测算报告"
    assert sub("incubation").material("report").max_chars == 30000
    assert sub("qi-service").material("evidence").multiple
    assert "mp4" in sub("gba").material("evidence").types


CHINESE_COUNT = {"三": 3, "四": 4, "五": 5}


def test_templates(guide):
    assert [t.key for t in guide.templates] == [
        "pledge", "report-qi-service", "report-gba", "report-brand",
        "report-innovation", "report-digital", "report-incubation",
    ]  # fmt: skip
    assert [t.attachment for t in guide.templates] == [f"附件{n}" for n in range(1, 8)]
    for template in guide.templates[1:6]:
        count = CHINESE_COUNT[re.search(r"以下(.)个评价维度", template.intro).group(1)]
        assert len(template.dimensions) == count
        assert template.subtitle == "（模板）"
        assert template.footer == ["申报单位（盖章）：", "日期：  年  月  日"]
    counts = [sum(len(d.items) for d in t.dimensions) for t in guide.templates[1:6]]
    assert counts == [11, 2, 9, 12, 13]
    assert guide.template("report-gba").min_requirement.startswith("最低绩效要求：")
    assert len(guide.template("report-innovation").notes) == 2


def test_pledge_template(guide):
    pledge = guide.template("pledge")
    integrity, compliance = pledge.parts
    assert (integrity.title, integrity.subtitle) == ("廉洁承诺书", "（适用申领单位）")
    assert len(integrity.items) == 8
    assert compliance.title == "合规承诺书"
    assert [i.number for i in compliance.items] == ["1.", "2.", "3.", "4.", "5."]
    assert len(compliance.items[4].items) == 8
    for part in pledge.parts:
        assert part.signature == ["法定代表人签名：", "承诺日期：", "（单位盖章）"]


def test_incubation_template(guide):
    template = guide.template("report-incubation")
    assert template.max_chars == 30000
    assert [s.title for s in template.sections] == [
        "组织简介",
        "质量管理制度、模式或方法简介",
        "自评情况",
    ]
    items = template.items()
    assert [i.number for i in items] == [f"{n}." for n in range(1, 19)]
    assert [d.title for d in template.dimensions] == [
        "领导", "战略", "顾客与市场", "人力资源", "创新、测量分析与改进", "运营和过程管理",
    ]  # fmt: skip
    results = [i.title for i in items if i.kind == "result"]
    assert results == [i.title for i in items if i.title.endswith("结果")]
    assert len(results) == 6
    assert all(i.kind == "process" for i in items if i.title not in results)
    assert len(template.notes) == 8 and template.notes[0] == "1.报告字数限3万字以内。"


def test_every_figure_used_by_a_rule_is_declared(guide):
    for sub in guide.subprogrammes:
        keys = {f.key for f in sub.figures}
        assert set(thresholds(sub)) - keys <= {"hk_macao_units/participating_units"}
        if sub.completion_period:
            assert sub.figure("completed_on").type == "date"
