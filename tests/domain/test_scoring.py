from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.guide import GUIDE_2025, load_guide
from qualityfund.domain.scoring import (
    BAND_VALUES,
    BANDS,
    DIMENSION_STEP,
    Entries,
    Opinion,
    band_of,
    check,
    criterion_scores,
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
        "comments": {c.key: "论证充分" for c in spec.criteria},
        "recommendation": True,
        "tier": 2 if spec.tiers else None,
        "amount": 150_000 if spec.amount_cap else None,
        "site_visit": "现场核查：设备与台账一致" if spec.site_visit != "none" else "",
    }
    fields.update(overrides)
    return Entries(**fields)


@pytest.mark.parametrize(("key", "criteria"), [
    ("qi-service", ["代表性", "辐射力", "实效性", "示范性"]),
    ("gba", ["代表性", "辐射力", "实效性", "示范性"]),
    ("brand", ["示范代表性", "社会参与度", "群众获得感"]),
    ("innovation", ["实用性", "技术经济效果", "示范推广价值"]),
    ("digital", ["建设情况", "绩效结果"]),
])
def test_sheets_score_the_criteria_the_guide_names(key, criteria):
    spec = SPECS[key]
    assert spec.mode == "criteria"
    assert [c.title for c in spec.criteria] == criteria
    assert [c.title for c in spec.criteria] == GUIDE.subprogramme(key).review.criteria
    assert all(c.weight == 1 for c in spec.criteria)  # the guide weighs none above another
    for criterion in spec.criteria:
        assert criterion.evidence, criterion.title  # where in the report to look
        assert [d.label for d in criterion.descriptors] == ["优秀", "良好", "一般", "较差"]


def test_criteria_point_into_the_report_template():
    representative = SPECS["qi-service"].criteria[0]
    assert [e.label for e in representative.evidence] == ["一、行动目标准确", "二、服务能力领先"]
    assert representative.evidence[0].points[0].startswith("2.是否瞄准“20+8”")
    assert [d.span for d in representative.descriptors] == [
        "90–100", "75–89.5", "60–74.5", "0–59.5"]
    assert representative.band(Decimal("89.5")).label == "良好"
    assert representative.band(Decimal(90)).label == "优秀"
    assert "“20+8”" in representative.band(Decimal(95)).text
    digital = SPECS["digital"]
    assert [e.label for e in digital.criteria[0].evidence] == [
        "一、应用场景典型", "二、策划管理落地", "三、数改智转能力"]
    assert digital.site_visit == "required"  # 建设情况和绩效结果：现场核查和材料审查


def test_other_terms_of_the_sheet():
    assert SPECS["gba"].tiers == {1: 2_000_000, 2: 1_000_000, 3: 500_000}
    assert SPECS["innovation"].site_visit == "optional" and SPECS["innovation"].top_n == 15
    assert SPECS["innovation"].amount_cap == 200_000 and SPECS["brand"].amount_cap is None
    incubation = SPECS["incubation"]
    assert incubation.mode == "excellence" and len(incubation.score_keys) == 18
    kinds = [i.kind for c in incubation.criteria for i in c.items]
    assert kinds.count("process") == 12 and kinds.count("result") == 6
    assert incubation.pass_percent == 50


def test_without_a_rubric_the_named_criteria_count_equally():
    sub = GUIDE.subprogramme("brand")
    review = sub.review.model_copy(update={"rubric": None})
    bare = GUIDE.model_copy(update={"subprogrammes": [
        s.model_copy(update={"review": review}) if s.key == "brand" else s
        for s in GUIDE.subprogrammes]})
    spec = sheet_spec(bare, "brand")
    assert [(c.key, c.title, c.weight) for c in spec.criteria] == [
        ("c1", "示范代表性", 1), ("c2", "社会参与度", 1), ("c3", "群众获得感", 1)]
    assert spec.criteria[0].evidence == ()
    assert [d.label for d in spec.criteria[0].descriptors] == ["优秀", "良好", "一般", "较差"]
    assert total(spec, {"c1": "90", "c2": "60", "c3": "75"}) == Decimal("75.00")


def test_weights_of_the_rubric_count():
    sub = GUIDE.subprogramme("innovation")
    rubric = sub.review.rubric
    weighted = rubric.model_copy(update={"criteria": [
        c.model_copy(update={"weight": w}) for c, w in zip(rubric.criteria, (2, 1, 1),
                                                           strict=True)]})
    review = sub.review.model_copy(update={"rubric": weighted})
    guide = GUIDE.model_copy(update={"subprogrammes": [
        s.model_copy(update={"review": review}) if s.key == "innovation" else s
        for s in GUIDE.subprogrammes]})
    spec = sheet_spec(guide, "innovation")
    assert [spec.share(c) for c in spec.criteria] == [50, 25, 25]
    scores = {"practicality": "100", "techno-economic-effect": "60",
              "demonstration-value": "60"}
    assert total(spec, scores) == Decimal("80.00")
    assert criterion_scores(spec, scores)["practicality"] == Decimal(100)


def test_panels_drawn_before_the_rubric_score_the_template_dimensions():
    spec = sheet_spec(GUIDE, "qi-service", basis="dimensions")
    assert spec.mode == "dimensions"
    assert [c.title for c in spec.criteria] == [
        "行动目标准确", "服务能力领先", "服务质量保障", "服务效能释放"]
    # 附件2 四、1 is split across lines in the guide; the sheet shows the whole item.
    assert spec.criteria[0].evidence[0].points[0].startswith("1.说明有无综合性质量服务")
    assert total(spec, {"d1": "100", "d2": "80", "d3": "60", "d4": "40"}) == Decimal("70.00")
    assert sheet_spec(GUIDE, "incubation", basis="dimensions").mode == "excellence"


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
    partial = Entries(scores={"representativeness": "90"}, comments={})
    assert check(spec, partial, final=False) == []
    wrong = Entries(scores={"representativeness": "101", "reach": "abc",
                            "effectiveness": "80.3", "d1": "80"}, comments={"d2": "好"})
    messages = [p.message for p in check(spec, wrong, final=False)]
    assert messages == ["“代表性”的评分应在 0–100 分之间", "“辐射力”的评分应为数字",
                        "“实效性”的评分最小单位为 0.5 分", "评分表没有“d1”这一项",
                        "评分表没有评审标准“d2”"]


def test_confirming_requires_every_score_comment_and_recommendation():
    spec = SPECS["qi-service"]
    problems = check(spec, full_entries(spec, comments={"representativeness": "好"},
                                        recommendation=None), final=True)
    fields = {p.field for p in problems}
    assert fields == {"comment-reach", "comment-effectiveness", "comment-exemplarity",
                      "recommendation"}
    assert "“辐射力”须填写评审意见" in [p.message for p in problems]


def test_opinions_have_a_length_limit_and_no_control_characters():
    spec = SPECS["digital"]
    entries = full_entries(spec, comments={"construction": "字" * 2001,
                                           "performance": "论证\x00充分"},
                           site_visit="核" * 2001)
    problems = {p.field: p.message for p in check(spec, entries, final=False)}
    assert problems == {
        "comment-construction": "“建设情况”的评审意见不能超过2000字（当前2001字），请精简后重新填写",
        "comment-performance": "“绩效结果”的评审意见含有不可见字符 U+0000（空字符），请删除后重新填写",
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


def test_criteria_total_is_the_weighted_mean():
    spec = SPECS["qi-service"]
    scores = {"representativeness": "100", "reach": "80", "effectiveness": "60",
              "exemplarity": "40"}
    assert total(spec, scores) == Decimal("70.00")


@given(st.sampled_from(("qi-service", "gba", "brand", "innovation", "digital")), half_points)
def test_equal_criterion_scores_give_that_total(key, score):
    spec = SPECS[key]
    assert total(spec, {k: score for k in spec.score_keys}) == score.quantize(Decimal("0.01"))


@given(st.sampled_from(("qi-service", "gba", "brand", "innovation", "digital")),
       st.lists(half_points, min_size=4, max_size=4), st.integers(0, 3))
def test_criteria_total_lies_between_the_scores_and_rises_with_each(key, values, position):
    spec = SPECS[key]
    keys = spec.score_keys
    scores = dict(zip(keys, values, strict=False))
    result = total(spec, scores)
    assert min(scores.values()) <= result <= max(scores.values())
    position %= len(keys)
    if scores[keys[position]] < 100:
        better = {**scores, keys[position]: scores[keys[position]] + DIMENSION_STEP}
        assert total(spec, better) >= result


@given(st.sampled_from(("qi-service", "gba", "brand", "innovation", "digital")),
       st.integers(0, 200).map(lambda n: Decimal(n) / 2))
def test_every_score_falls_in_exactly_one_band(key, score):
    for criterion in SPECS[key].criteria:
        holding = [d for d in criterion.descriptors if d.low <= score <= d.high]
        assert len(holding) == 1 and criterion.band(score) == holding[0]


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
