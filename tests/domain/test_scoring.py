from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.guide import GUIDE_2025, load_guide
from qualityfund.domain.scoring import (
    BAND_VALUES,
    BANDS,
    Entries,
    Opinion,
    band_of,
    check,
    decide,
    parse_score,
    sheet_spec,
    total,
)

GUIDE = load_guide(GUIDE_2025)
PANEL_KEYS = ("qi-service", "gba", "brand", "innovation", "digital", "incubation")
SPECS = {key: sheet_spec(GUIDE, key) for key in PANEL_KEYS}

half_points = st.integers(min_value=0, max_value=200).map(lambda n: Decimal(n) / 2)
band_values = st.sampled_from(sorted(BAND_VALUES))


def full_entries(spec, score="80", **overrides):
    fields = {
        "scores": {key: score for key in spec.score_keys},
        "comments": {d.key: "论证充分" for d in spec.dimensions},
        "recommendation": True,
        "tier": 2 if spec.tiers else None,
        "amount": 150_000 if spec.amount_cap else None,
        "site_visit": "现场核查：设备与台账一致" if spec.site_visit != "none" else "",
    }
    fields.update(overrides)
    return Entries(**fields)


def test_sheets_follow_the_templates_of_the_guide():
    assert [d.title for d in SPECS["qi-service"].dimensions] == [
        "行动目标准确", "服务能力领先", "服务质量保障", "服务效能释放"]
    assert len(SPECS["gba"].dimensions) == 3 and SPECS["gba"].tiers == {
        1: 2_000_000, 2: 1_000_000, 3: 500_000}
    assert len(SPECS["digital"].dimensions) == 5 and SPECS["digital"].site_visit == "required"
    assert SPECS["innovation"].site_visit == "optional" and SPECS["innovation"].top_n == 15
    assert SPECS["innovation"].amount_cap == 200_000 and SPECS["brand"].amount_cap is None
    # 附件2 四、1 is split across lines in the guide; the sheet shows the whole item.
    assert SPECS["qi-service"].dimensions[0].guidance[0].startswith("1.说明有无综合性质量服务")
    incubation = SPECS["incubation"]
    assert incubation.mode == "excellence" and len(incubation.score_keys) == 18
    kinds = [i.kind for d in incubation.dimensions for i in d.items]
    assert kinds.count("process") == 12 and kinds.count("result") == 6
    assert incubation.pass_percent == 50


def test_honors_has_no_sheet():
    with pytest.raises(ValueError, match="不采用评审制"):
        sheet_spec(GUIDE, "honors")


def test_bands_cover_every_multiple_of_five_once():
    assert sorted(v for b in BANDS for v in b.values) == list(range(0, 101, 5))
    assert band_of(45).label == "30%–45%" and band_of(50).label == "50%–65%"
    with pytest.raises(ValueError, match="不在"):
        band_of(48)


@pytest.mark.parametrize("key", PANEL_KEYS)
def test_a_complete_sheet_has_no_problem(key):
    assert check(SPECS[key], full_entries(SPECS[key]), final=True) == []


def test_a_draft_may_be_partial_but_not_wrong():
    spec = SPECS["qi-service"]
    partial = Entries(scores={"d1": "90"}, comments={})
    assert check(spec, partial, final=False) == []
    wrong = Entries(scores={"d1": "101", "d2": "abc", "d3": "80.3"}, comments={})
    messages = [p.message for p in check(spec, wrong, final=False)]
    assert messages == ["“一、行动目标准确”的评分应在 0–100 分之间",
                        "“二、服务能力领先”的评分应为数字",
                        "“三、服务质量保障”的评分最小单位为 0.5 分"]


def test_confirming_requires_every_score_comment_and_recommendation():
    spec = SPECS["qi-service"]
    problems = check(spec, full_entries(spec, comments={"d1": "好"}, recommendation=None),
                     final=True)
    fields = {p.field for p in problems}
    assert fields == {"comment-d2", "comment-d3", "comment-d4", "recommendation"}
    assert "“二、服务能力领先”须填写评审意见" in [p.message for p in problems]


def test_opinions_have_a_length_limit_and_no_control_characters():
    spec = SPECS["digital"]
    entries = full_entries(spec, comments={"d1": "字" * 2001, "d2": "论证\x00充分"},
                           site_visit="核" * 2001)
    problems = {p.field: p.message for p in check(spec, entries, final=False)}
    assert problems == {
        "comment-d1": "“一、应用场景典型”的评审意见不能超过2000字（当前2001字），请精简后重新填写",
        "comment-d2": "“二、策划管理落地”的评审意见含有不可见字符 U+0000（空字符），请删除后重新填写",
        "site_visit": "现场核查意见不能超过2000字（当前2001字），请精简后重新填写"}


def test_tier_amount_and_site_visit_rules():
    gba = SPECS["gba"]
    assert [p.message for p in check(gba, full_entries(gba, tier=None), final=True)] == [
        "推荐时须选择“推荐等次”（一等、二等或三等）"]
    assert [p.field for p in check(gba, full_entries(gba, tier=4), final=False)] == ["tier"]
    assert check(gba, full_entries(gba, tier=None, recommendation=False), final=True) == []
    qi = SPECS["qi-service"]
    over = check(qi, full_entries(qi, amount=300_001), final=False)
    assert [p.message for p in over] == ["“建议资助金额”应大于0且不超过资助上限 300,000 元"]
    brand = SPECS["brand"]
    assert [p.field for p in check(brand, full_entries(brand, amount=1), final=False)] == [
        "amount"]
    digital = SPECS["digital"]
    assert [p.message for p in check(digital, full_entries(digital, site_visit=" "),
                                     final=True)] == ["本子项目须现场核查，须填写“现场核查意见”"]
    innovation = SPECS["innovation"]
    assert check(innovation, full_entries(innovation, site_visit=""), final=True) == []
    assert [p.field for p in check(brand, full_entries(brand, site_visit="看过"),
                                   final=False)] == ["site_visit"]


def test_excellence_items_take_band_percentages():
    spec = SPECS["incubation"]
    assert parse_score(spec, "i1", "65") == Decimal(65)
    with pytest.raises(ValueError, match="5% 的整数倍"):
        parse_score(spec, "i1", "67")
    with pytest.raises(ValueError, match="5% 的整数倍"):
        parse_score(spec, "i1", "105")


def test_excellence_total_is_a_share_of_the_full_score():
    spec = SPECS["incubation"]
    scores = {key: "50" for key in spec.score_keys}
    assert total(spec, scores) == Decimal("50.00")
    scores["i1"] = "45"  # one item of 18 drops a band: 5 % × 100/18 points
    assert total(spec, scores) == Decimal("49.72")


def test_dimension_total_respects_weights():
    spec = SPECS["qi-service"]
    assert total(spec, {"d1": "100", "d2": "80", "d3": "60", "d4": "40"}) == Decimal("70.00")


@given(st.sampled_from(("qi-service", "gba", "brand", "innovation", "digital")), half_points)
def test_equal_dimension_scores_give_that_total(key, score):
    spec = SPECS[key]
    assert total(spec, {k: score for k in spec.score_keys}) == score.quantize(Decimal("0.01"))


@given(st.lists(band_values, min_size=18, max_size=18), st.integers(0, 17))
def test_excellence_total_is_bounded_and_monotone(values, position):
    spec = SPECS["incubation"]
    keys = spec.score_keys
    scores = dict(zip(keys, values, strict=True))
    result = total(spec, scores)
    assert 0 <= result <= 100
    if values[position] < 100:
        better = {**scores, keys[position]: values[position] + 5}
        assert total(spec, better) > result


@given(st.lists(st.booleans(), min_size=5, max_size=9).filter(lambda v: len(v) % 2),
       st.integers(1, 20), st.integers(0, 100))
def test_recommended_only_with_a_majority_within_top_n_and_threshold(votes, rank, score):
    spec = SPECS["incubation"]
    decision = decide(spec, [Opinion(v) for v in votes], score=Decimal(score), rank=rank)
    expected = sum(votes) * 2 > len(votes) and score >= 50 and rank <= 15
    assert decision.recommended is expected
    assert decision.amount == (300_000 if expected else None)
    assert bool(decision.reasons) is not expected


def test_tier_and_amount_are_the_less_generous_median():
    gba = SPECS["gba"]
    opinions = [Opinion(True, 1), Opinion(True, 2), Opinion(True, 1), Opinion(True, 3),
                Opinion(False)]
    decision = decide(gba, opinions, score=Decimal(80), rank=1)
    assert (decision.tier, decision.amount) == (2, 1_000_000)
    qi = SPECS["qi-service"]
    opinions = [Opinion(True, amount=a) for a in (300_000, 200_000, 250_000, 100_000)]
    assert decide(qi, opinions, score=Decimal(70), rank=3).amount == 200_000
    refused = decide(qi, [Opinion(False)] * 3 + [Opinion(True, amount=1)] * 2,
                     score=Decimal(70), rank=30)
    assert refused.reasons == ("推荐专家 2 人，未超过专家组半数",)
