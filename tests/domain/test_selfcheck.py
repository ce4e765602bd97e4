"""Live self-check of the 2025 guide's conditions, per sub-programme."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.guide import GUIDE_2025, load_guide
from qualityfund.domain.selfcheck import (
    DISTRICTS,
    OrgFacts,
    blocking_failures,
    coerce_figure,
    established_cutoff,
    names_identical,
    self_check,
)

GUIDE = load_guide(GUIDE_2025)
NAME = "深圳市优品质量科技（集团）有限公司"
ORG = OrgFacts(
    name=NAME,
    credit_code="91440300MA5G0X0X0X",
    established_on=date(2019, 3, 1),
    district="南山区",
    bank_account_name="深圳市优品质量科技(集团)有限公司",  # half-width brackets on the bank side
    account_subject_name=" 深圳市优品质量科技（集团）有限公司",
    trust_level=5,
)
DONE = date(2024, 9, 30)

# The least that meets every hard threshold: each value sits exactly on the guide's line.
PASSING: dict[str, dict[str, object]] = {
    "honors": {
        "award_event": "国际质量管理小组大会（ICQCC）优胜项目",
        "award_year": 2024,
        "award_name": "ICQCC 2024 金奖",
    },
    "qi-service": {
        "completed_on": DONE,
        "is_one_stop_platform": True,
        "smes_served": 40,
        "labour_productivity_gain_percent": Decimal(5),
        "quality_loss_reduction_percent": Decimal(10),
        "typical_cases": 3,
    },
    "gba": {
        "completed_on": DONE,
        "activity_form": "高端论坛",
        "gba_regions": 5,
        "participating_units": 30,
        "hk_macao_units": 3,
        "media_reports": 1,
    },
    "brand": {
        "completed_on": DONE,
        "coverage_percent": Decimal(50),
        "public_reach": 0,
        "typical_experiences": 3,
        "satisfaction_percent": Decimal(80),
        "published_list": False,
        "influential_media": 0,
    },
    "innovation": {
        "completed_on": DONE,
        "project_type": "质量技术攻关",
        "funded_before_same_core": False,
        "cost_benefit_summary": "投入120万元，年节约质量成本300万元",
    },
    "digital": {
        "completed_on": DONE,
        "e_report_rate_percent": Decimal(60),
        "key_process_percent": Decimal(50),
        "data_shared": True,
        "digital_tools": 1,
    },
    "incubation": {
        "has_core_ip": True,
        "gbt19580_since": date(2023, 12, 31),
        "received_quality_award_funding": False,
    },
}


def by_id(results):
    return {r.condition_id: r for r in results}


def check(key, org=ORG, **changes):
    return by_id(self_check(GUIDE, key, org, {**PASSING[key], **changes}))


@pytest.mark.parametrize("key", list(PASSING))
def test_passing_figures_leave_no_blocking_failure(key):
    results = self_check(GUIDE, key, ORG, PASSING[key])
    assert blocking_failures(results) == []
    assert {r.status for r in results} <= {"met", "officer"}
    sub = GUIDE.subprogramme(key)
    expected = [c.id for c in GUIDE.basic_conditions] + [c.id for c in sub.conditions]
    assert [r.condition_id for r in results] == expected


@pytest.mark.parametrize(
    ("key", "figure", "value", "condition", "words"),
    [
        ("honors", "award_year", 2023, "honors-1", ["获奖年度", "2024年"]),
        ("honors", "award_event", "其他", "honors-1", ["获奖赛事", "国际质量创新大赛优胜项目"]),
        ("qi-service", "completed_on", date(2025, 1, 1), "qi-service-1", ["2024年12月31日"]),
        ("qi-service", "completed_on", date(2023, 12, 31), "qi-service-1", ["2024年1月1日"]),
        ("qi-service", "is_one_stop_platform", False, "qi-service-2", ["一站式", "「是」"]),
        (
            "qi-service",
            "labour_productivity_gain_percent",
            Decimal("4.9"),
            "qi-service-4a",
            ["平均劳动生产率提高幅度", "填报 4.9%", "低于指南要求的 5%"],
        ),
        (
            "qi-service",
            "quality_loss_reduction_percent",
            Decimal("9.99"),
            "qi-service-4a",
            ["质量损失减少幅度", "9.99%", "10%"],
        ),
        ("qi-service", "typical_cases", 2, "qi-service-4b", ["典型案例数", "3个"]),
        ("gba", "gba_regions", 4, "gba-3", ["地市数", "5地"]),
        ("gba", "participating_units", 29, "gba-3", ["参与单位总数", "30家"]),
        ("gba", "hk_macao_units", 2, "gba-3", ["港澳地区参与比例", "6.67%", "10%"]),
        ("gba", "media_reports", 0, "gba-4a", ["宣传报道数", "1篇"]),
        ("brand", "coverage_percent", Decimal(49), "brand-3", ["覆盖率", "50%", "5000人次"]),
        ("brand", "typical_experiences", 2, "brand-4a", ["典型经验数", "3个", "2家"]),
        ("brand", "satisfaction_percent", Decimal("79.5"), "brand-4a", ["满意率", "80%"]),
        ("innovation", "funded_before_same_core", True, "innovation-3", ["同一核心内容", "「否」"]),
        ("innovation", "completed_on", date(2025, 3, 1), "innovation-1", ["项目完成时间"]),
        ("digital", "e_report_rate_percent", Decimal("59.9"), "digital-3", ["报表电子化率", "60%"]),
        ("digital", "key_process_percent", Decimal(49), "digital-3", ["关键业务流程", "50%"]),
        ("digital", "data_shared", False, "digital-3", ["获取和共享"]),
        ("digital", "digital_tools", 0, "digital-3", ["管理工具、系统数量", "1项"]),
        ("incubation", "has_core_ip", False, "incubation-1", ["自主知识产权"]),
        (
            "incubation",
            "gbt19580_since",
            date(2024, 1, 1),
            "incubation-2",
            ["GB/T 19580", "1年", "2023年12月31日"],
        ),
        ("incubation", "received_quality_award_funding", True, "incubation-4", ["政府质量奖"]),
    ],
)
def test_just_below_each_threshold_fails_and_says_why(key, figure, value, condition, words):
    result = check(key, **{figure: value})[condition]
    assert result.status == "not_met" and result.blocking
    for word in words:
        assert word in result.reason, result.reason
    assert blocking_failures(list(check(key, **{figure: value}).values())) == [result]


def test_brand_alternatives_either_branch_suffices():
    by_public = check("brand", coverage_percent=Decimal(10), public_reach=5000)
    assert by_public["brand-3"].status == "met"
    by_list = check(
        "brand", typical_experiences=0, satisfaction_percent=None, published_list=True,
        influential_media=2,
    )  # fmt: skip
    assert by_list["brand-4a"].status == "met"
    none_given = by_id(self_check(GUIDE, "brand", ORG, {"completed_on": DONE}))
    assert none_given["brand-3"].status == "missing"
    assert none_given["brand-4a"].status == "missing"


def test_gba_ratio_edge_cases():
    assert check("gba", participating_units=40, hk_macao_units=4)["gba-3"].status == "met"
    assert check("gba", participating_units=40, hk_macao_units=3)["gba-3"].status == "not_met"
    too_many = check("gba", participating_units=30, hk_macao_units=31)["gba-3"]
    assert too_many.status == "not_met" and "不能多于" in too_many.reason


def test_officer_conditions_are_reported_as_officer():
    results = check("qi-service")
    for condition_id in ("basic-2", "basic-4", "basic-5", "basic-6", "basic-7", "qi-service-3"):
        assert results[condition_id].status == "officer"
        assert not results[condition_id].blocking
    # 二（一）and 二（三）: the organisation's data settles one half, an officer the other.
    assert results["basic-1"].status == "officer" and "成立运行1年以上" in results["basic-1"].reason
    assert results["basic-3"].status == "officer" and "南山区" in results["basic-3"].reason


def test_missing_figures_block():
    results = self_check(GUIDE, "digital", ORG, {})
    failing = {r.condition_id: r.status for r in blocking_failures(results)}
    assert failing == {"digital-1": "missing", "digital-3": "missing"}
    assert "尚未填报" in by_id(results)["digital-1"].reason


def test_blank_strings_count_as_missing():
    result = check("innovation", project_type="  ", funded_before_same_core=None)["innovation-3"]
    assert result.status == "missing"


def test_results_carry_the_guide_words():
    result = check("gba")["gba-3"]
    assert result.clause == "三（三）3（3）"
    assert result.text.startswith("参与方覆盖大湾区范围内不少于5地")


def test_established_years_boundary():
    cutoff = established_cutoff(GUIDE, 1)
    assert cutoff == date(2024, 6, 12)
    on_line = check("honors", org=replace(ORG, established_on=cutoff))["basic-1"]
    assert on_line.status == "officer"
    young = check("honors", org=replace(ORG, established_on=cutoff + timedelta(days=1)))["basic-1"]
    assert young.status == "not_met" and young.blocking
    assert "不满1年" in young.reason and "2024年6月12日" in young.reason


def test_org_checks():
    outside = check("honors", org=replace(ORG, district="东莞市"))["basic-3"]
    assert outside.status == "not_met" and "东莞市" in outside.reason
    assert check("honors", org=replace(ORG, district=None))["basic-3"].status == "missing"
    assert (
        check("honors", org=replace(ORG, district="深汕特别合作区"))["basic-3"].status == "officer"
    )
    names = check("honors", org=replace(ORG, bank_account_name="深圳市优品科技有限公司"))["basic-8"]
    assert names.status == "not_met" and "银行开户名" in names.reason and names.blocking
    assert (
        check("honors", org=replace(ORG, account_subject_name=None))["basic-8"].status == "missing"
    )
    assert check("honors")["basic-8"].status == "met"
    low = check("honors", org=replace(ORG, trust_level=4))["basic-9"]
    assert low.status == "not_met" and "4级" in low.reason and "5级" in low.reason
    assert check("honors", org=replace(ORG, trust_level=None))["basic-9"].status == "missing"


def test_districts():
    assert len(DISTRICTS) == 11 and DISTRICTS[-1] == "深汕特别合作区"
    assert "大鹏新区" in DISTRICTS


def test_unknown_subprogramme_and_wrong_types():
    with pytest.raises(KeyError):
        self_check(GUIDE, "nope", ORG, {})
    with pytest.raises(TypeError):
        check("digital", digital_tools="3")
    with pytest.raises(TypeError):
        check("digital", digital_tools=True)
    with pytest.raises(TypeError):
        check("digital", completed_on="2024-05-01")


# --- coercion -------------------------------------------------------------------------------

FIGURES = {f.key: f for s in GUIDE.subprogrammes for f in s.figures}


@pytest.mark.parametrize(
    ("key", "raw", "value"),
    [
        ("typical_cases", "3", 3),
        ("participating_units", "1,200", 1200),
        ("participating_units", "３０", 30),
        ("e_report_rate_percent", "60%", Decimal(60)),
        ("e_report_rate_percent", " 62.5 ", Decimal("62.5")),
        ("completed_on", "2024-05-01", date(2024, 5, 1)),
        ("completed_on", "2024/5/1", date(2024, 5, 1)),
        ("completed_on", "2024年5月1日", date(2024, 5, 1)),
        ("data_shared", "是", True),
        ("data_shared", "否", False),
        ("data_shared", "true", True),
        ("project_type", "质量管理创新", "质量管理创新"),
        ("award_name", "  金奖 ", "金奖"),
        ("coverage_percent", "", None),
    ],
)
def test_coerce_figure(key, raw, value):
    assert coerce_figure(FIGURES[key], raw) == value


@pytest.mark.parametrize(
    ("key", "raw", "words"),
    [
        ("typical_cases", "", "「输出典型案例数」为必填项"),
        ("typical_cases", "3.5", "「输出典型案例数」须为整数"),
        ("typical_cases", "三个", "「输出典型案例数」须为数字"),
        ("typical_cases", "-1", "不能小于 0个"),
        ("quality_loss_reduction_percent", "101", "不能大于 100%"),
        ("e_report_rate_percent", "NaN", "须为数字"),
        ("completed_on", "2024-13-01", "「项目完成时间」须为有效日期"),
        ("data_shared", "也许", "须填写「是」或「否」"),
        ("project_type", "其他", "须为以下之一"),
    ],
)
def test_coerce_figure_rejects_with_the_field_name(key, raw, words):
    with pytest.raises(ValueError, match=words):
        coerce_figure(FIGURES[key], raw)


# --- properties -----------------------------------------------------------------------------

percents = st.decimals(min_value=0, max_value=1000, places=2)


@given(percents, percents)
def test_compare_is_monotone_in_the_value(low, extra):
    high = low + extra
    status = {
        v: check("qi-service", labour_productivity_gain_percent=v)["qi-service-4a"].status
        for v in (low, high)
    }
    if status[low] == "met":
        assert status[high] == "met"
    assert status[low] == ("met" if low >= 5 else "not_met")


@given(st.integers(1, 10_000), st.integers(0, 10_000))
def test_ratio_matches_exact_arithmetic(units, hk):
    hk = min(hk, units)
    result = check("gba", participating_units=max(units, 30), hk_macao_units=hk)["gba-3"]
    assert (result.status == "met") == (hk * 10 >= max(units, 30))


names = st.text(alphabet="深圳市优品质量科技集团有限公司()（） ABCabc", min_size=1, max_size=12)


@given(names, names)
def test_names_identical_is_symmetric(a, b):
    assert names_identical(a, b) == names_identical(b, a)


@given(names)
def test_names_identical_ignores_spaces_and_bracket_width(name):
    variant = name.replace("(", "（").replace(")", "）").replace("A", "Ａ")
    assert names_identical(name, f" {variant}\u3000", name.replace(" ", ""))


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2025, 12, 31)), st.integers(1, 5))
def test_established_years_boundary_property(founded, years):
    cutoff = established_cutoff(GUIDE, years)
    result = check("honors", org=replace(ORG, established_on=founded))["basic-1"]
    # basic-1 asks for one year; the general cutoff moves back one year per year.
    assert (result.status == "not_met") == (founded > established_cutoff(GUIDE, 1))
    assert cutoff == date(2025 - years, 6, 12)


@given(st.integers(0, 10**9))
def test_coerce_integer_round_trip(n):
    assert coerce_figure(FIGURES["smes_served"], f"{n:,}") == n


def test_a_choice_with_full_width_brackets_is_accepted_as_the_guide_spells_it():
    from qualityfund.domain.guide import GUIDE_2025, load_guide
    from qualityfund.domain.selfcheck import coerce_figure

    figure = load_guide(GUIDE_2025).subprogramme("honors").figure("award_event")
    assert coerce_figure(figure, "国际质量管理小组大会（ICQCC）优胜项目") == figure.choices[0]
    assert coerce_figure(figure, "国际质量管理小组大会(ICQCC)优胜项目") == figure.choices[0]
