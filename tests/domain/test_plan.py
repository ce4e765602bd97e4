from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualityfund.domain.credit_code import make_valid, normalise
from qualityfund.domain.plan import (
    DEFAULT_RULES_2025,
    PlanInputError,
    PlanRules,
    simulate,
)

ORGS = [make_valid(f"91440300MA5F{n:05d}") for n in range(20)]
KEYS = list(DEFAULT_RULES_2025)
RANKED = [k for k, rule in DEFAULT_RULES_2025.items() if rule.ranked]


def app(id, subprogramme, org=0, **fields):
    return {"id": id, "subprogramme": subprogramme, "org": ORGS[org], **fields}


def run(*applications, budgets=None):
    payload = {"applications": list(applications)}
    if budgets is not None:
        payload["budgets"] = budgets
    return {r["id"]: r for r in simulate(payload)["results"]}


def statuses(results):
    return {key: r["status"] for key, r in results.items()}


# --- output shape ------------------------------------------------------------------------


def test_output_shape_order_and_totals():
    out = simulate(
        {
            "applications": [
                app("h", "honors"),
                app("b", "brand", score=80),
                app("g", "gba", tier=2),
            ]
        }
    )
    assert [r["id"] for r in out["results"]] == ["h", "b", "g"]
    assert set(out["results"][0]) == {"id", "subprogramme", "status", "amount", "rank", "reason"}
    assert out["totals"] == {
        "honors": 200_000,
        "qi-service": 0,
        "gba": 1_000_000,
        "brand": 200_000,
        "innovation": 0,
        "digital": 0,
        "incubation": 0,
    }


def test_empty_plan():
    out = simulate({"applications": []})
    assert out == {"results": [], "totals": dict.fromkeys(KEYS, 0)}


# --- rule 1: out before ranking -----------------------------------------------------------


def test_not_eligible_or_not_recommended():
    results = run(
        app("a", "brand", score=99, eligible=False),
        app("b", "brand", score=98, recommended=False),
        app("c", "brand", org=1, score=50),
    )
    assert results["a"] == {
        "id": "a",
        "subprogramme": "brand",
        "status": "not_funded",
        "amount": 0,
        "rank": None,
        "reason": "经审核不符合资助条件，不予资助",
    }
    assert results["b"]["reason"] == "专家组未予推荐，不予资助"
    assert results["b"]["rank"] is None
    # The excluded do not take ranks from the rest.
    assert results["c"]["rank"] == 1
    assert results["c"]["status"] == "funded"


def test_honors_not_recommended_after_verification():
    results = run(app("h", "honors", recommended=False))
    assert results["h"]["reason"] == "经核查未予推荐，不予资助"


@pytest.mark.parametrize("key", ["honors", "innovation"])
def test_previously_funded_project_is_funded_once(key):
    results = run(app("x", key, score=90, previously_funded=True))
    assert results["x"]["status"] == "not_funded"
    assert results["x"]["rank"] is None
    assert results["x"]["reason"] == "同一项目仅资助1次，该项目已获资助，不予资助"


def test_previously_funded_does_not_matter_elsewhere():
    results = run(app("b", "brand", score=90, previously_funded=True))
    assert results["b"]["status"] == "funded"


def test_incubation_only_first_time():
    results = run(
        app("i1", "incubation", score=90, first_time=False),
        app("i2", "incubation", org=1, score=60),
    )
    assert results["i1"]["status"] == "not_funded"
    assert results["i1"]["rank"] is None
    assert "首次" in results["i1"]["reason"]
    assert results["i2"]["rank"] == 1
    assert results["i2"]["status"] == "funded"


def test_first_time_does_not_matter_elsewhere():
    assert run(app("b", "brand", score=90, first_time=False))["b"]["status"] == "funded"


def test_flag_defaults():
    results = run(app("h", "honors"))
    assert results["h"]["status"] == "funded"
    assert results["h"]["reason"] == "经核查符合资助条件，按标准予以资助20万元"


# --- rule 2: ranks -------------------------------------------------------------------------


def test_competition_ranks():
    results = run(
        app("a", "qi-service", org=0, score=90),
        app("b", "qi-service", org=1, score=80),
        app("c", "qi-service", org=2, score=80.0),
        app("d", "qi-service", org=3, score=Decimal(70)),
        app("e", "qi-service", org=4, score=Decimal("80.00")),
    )
    assert {k: r["rank"] for k, r in results.items()} == {"a": 1, "b": 2, "c": 2, "d": 5, "e": 2}


def test_no_rank_for_honors_even_with_a_score():
    assert run(app("h", "honors", score=90))["h"]["rank"] is None


def test_gba_and_digital_rank_the_scores_they_have():
    results = run(
        app("g1", "gba", score=70, tier=2),
        app("g2", "gba", score=90, tier=3),
        app("g3", "gba", tier=1),
        app("d1", "digital", score=88),
    )
    assert results["g1"]["rank"] == 2
    assert results["g2"]["rank"] == 1
    assert results["g3"]["rank"] is None
    assert results["d1"]["rank"] == 1
    # In gba the tier decides the award, not the rank.
    assert results["g3"]["amount"] == 2_000_000
    assert results["g2"]["amount"] == 500_000


# --- rule 3: amounts -----------------------------------------------------------------------


def test_fixed_amounts_ignore_requested():
    results = run(
        app("h", "honors", requested=50_000),
        app("b", "brand", score=80, requested=500_000),
        app("i", "incubation", score=80, requested=10_000),
    )
    assert results["h"]["amount"] == 200_000
    assert results["b"]["amount"] == 200_000
    assert results["i"]["amount"] == 300_000
    assert results["b"]["reason"] == "排名第1，在资助名额内，按标准予以资助20万元"


def test_gba_tiers():
    results = run(
        app("g1", "gba", tier=1),
        app("g2", "gba", tier=2),
        app("g3", "gba", tier=3),
        app("g0", "gba", tier=None),
        app("gx", "gba"),
    )
    assert [results[k]["amount"] for k in ("g1", "g2", "g3", "g0", "gx")] == [
        2_000_000,
        1_000_000,
        500_000,
        0,
        0,
    ]
    assert results["g1"]["reason"] == "评定为一等，按等次标准予以资助200万元"
    assert results["g0"]["status"] == "not_funded"
    assert results["g0"]["reason"] == "专家组未评定等次，不予资助"


@pytest.mark.parametrize(
    ("key", "requested", "amount"),
    [
        ("qi-service", 250_000, 250_000),
        ("qi-service", 350_000, 300_000),
        ("qi-service", None, 300_000),
        ("innovation", 150_000, 150_000),
        ("innovation", 260_000, 200_000),
        ("innovation", None, 200_000),
        ("digital", 120_000, 120_000),
        ("digital", 1_000_000, 300_000),
        ("digital", None, 300_000),
    ],
)
def test_capped_amounts(key, requested, amount):
    fields = {"score": 80} if requested is None else {"score": 80, "requested": requested}
    assert run(app("x", key, **fields))["x"]["amount"] == amount


def test_capped_amount_reasons():
    results = run(
        app("q1", "qi-service", org=0, score=90, requested=185_000),
        app("q2", "qi-service", org=1, score=80, requested=350_000),
        app("q3", "qi-service", org=2, score=70),
    )
    assert results["q1"]["reason"] == "排名第1，按申请金额予以资助18.5万元"
    assert results["q2"]["reason"] == (
        "排名第2，申请金额35万元超过最高资助额30万元，按最高资助额予以资助30万元"
    )
    assert results["q3"]["reason"] == "排名第3，按最高资助额予以资助30万元"


# --- rule 4: incubation threshold ----------------------------------------------------------


def test_incubation_threshold_is_inclusive():
    results = run(
        app("at", "incubation", org=0, score=50),
        app("below", "incubation", org=1, score=49.99),
    )
    assert results["at"]["status"] == "funded"
    assert results["below"]["status"] == "not_funded"
    assert results["below"]["rank"] == 2
    assert results["below"]["reason"] == (
        "排名第2，得分49.99，未达到50分（含）以上的资助标准，不予资助"
    )


def test_below_threshold_takes_no_place():
    apps = [app(f"i{n}", "incubation", org=n, score=40 + n) for n in range(20)]
    results = run(*apps)
    funded = [k for k, r in results.items() if r["status"] == "funded"]
    # Scores 50..59 pass the threshold: ten projects, all within the fifteen places.
    assert sorted(funded) == sorted(f"i{n}" for n in range(10, 20))


# --- rule 5: places and organisation limits -------------------------------------------------


def test_brand_top_ten():
    results = run(*[app(f"b{n}", "brand", org=n, score=100 - n) for n in range(12)])
    assert [results[f"b{n}"]["status"] for n in range(12)] == ["funded"] * 10 + ["not_funded"] * 2
    assert (
        results["b10"]["reason"]
        == "排名第11，位于资助名额之外（本年度资助不超过10个项目），不予资助"
    )


def test_brand_one_per_organisation_and_next_moves_up():
    apps = [app(f"b{n}", "brand", org=n, score=100 - n) for n in range(11)]
    apps[3]["org"] = ORGS[0]
    results = run(*apps)
    assert results["b3"]["status"] == "not_funded"
    assert results["b3"]["reason"] == (
        "排名第4，同一单位当年获得资助项目不超过1项，该单位已有排名更前的项目获资助，不予资助"
    )
    assert results["b10"]["status"] == "funded"
    assert sum(r["status"] == "funded" for r in results.values()) == 10


def test_organisation_codes_compared_normalised():
    results = run(
        app("b1", "brand", score=90),
        {"id": "b2", "subprogramme": "brand", "org": " " + ORGS[0].lower(), "score": 80},
    )
    assert results["b2"]["status"] == "not_funded"


def test_innovation_two_per_organisation_fifteen_in_all():
    apps = [app(f"n{n}", "innovation", org=n // 3, score=100 - n) for n in range(30)]
    results = run(*apps)
    funded = [n for n in range(30) if results[f"n{n}"]["status"] == "funded"]
    assert len(funded) == 15
    assert all(n % 3 != 2 for n in funded)  # the third of each organisation never
    assert funded == [n for n in range(22) if n % 3 != 2]


def test_qi_service_two_per_platform_without_overall_limit():
    apps = [app(f"q{n}", "qi-service", org=n % 4, score=100 - n) for n in range(40)]
    results = run(*apps)
    funded = [n for n in range(40) if results[f"q{n}"]["status"] == "funded"]
    assert funded == list(range(8))


def test_incubation_at_most_fifteen():
    results = run(*[app(f"i{n}", "incubation", org=n % 3, score=90 - n) for n in range(20)])
    assert sum(r["status"] == "funded" for r in results.values()) == 15


def test_unlimited_sub_programmes_fund_everyone():
    results = run(*[app(f"d{n}", "digital", org=0, requested=100_000) for n in range(25)])
    assert all(r["status"] == "funded" for r in results.values())


# --- rule 6: ties at the cut ---------------------------------------------------------------


def test_tie_at_the_cut_is_left_to_the_decision_meeting():
    apps = [app(f"i{n}", "incubation", org=n, score=90 - n) for n in range(14)]
    apps += [app(f"t{n}", "incubation", org=14 + n, score=70) for n in range(3)]
    apps.append(app("low", "incubation", org=19, score=60))
    results = run(*apps)
    assert all(results[f"i{n}"]["status"] == "funded" for n in range(14))
    for n in range(3):
        assert results[f"t{n}"] == {
            "id": f"t{n}",
            "subprogramme": "incubation",
            "status": "tie_at_cutoff",
            "amount": 0,
            "rank": 15,
            "reason": "与其他2个项目并列第15名，剩余名额不足，由集体研究决策确定",
        }
    assert results["low"]["status"] == "not_funded"
    assert results["low"]["rank"] == 18


def test_tie_that_fits_is_funded():
    apps = [app(f"b{n}", "brand", org=n, score=90 - n) for n in range(8)]
    apps += [app(f"t{n}", "brand", org=8 + n, score=70) for n in range(2)]
    apps.append(app("low", "brand", org=12, score=60))
    results = run(*apps)
    assert results["t0"]["status"] == results["t1"]["status"] == "funded"
    assert results["t0"]["rank"] == 9
    assert results["low"]["status"] == "not_funded"


def test_no_tie_when_no_place_is_left():
    apps = [app(f"b{n}", "brand", org=n, score=90 - n) for n in range(10)]
    apps += [app(f"t{n}", "brand", org=10 + n, score=70) for n in range(2)]
    results = run(*apps)
    assert results["t0"]["status"] == results["t1"]["status"] == "not_funded"


def test_organisation_limit_applies_before_the_tie():
    apps = [app(f"b{n}", "brand", org=n, score=90 - n) for n in range(9)]
    apps.append(app("same-org", "brand", org=0, score=70))
    apps.append(app("other", "brand", org=15, score=70))
    results = run(*apps)
    assert results["same-org"]["status"] == "not_funded"
    assert "同一单位" in results["same-org"]["reason"]
    assert results["other"]["status"] == "funded"


def test_organisation_limit_tie():
    results = run(
        app("q1", "qi-service", org=0, score=90),
        app("q2", "qi-service", org=0, score=80),
        app("q3", "qi-service", org=0, score=80),
        app("q4", "qi-service", org=0, score=70),
        app("q5", "qi-service", org=1, score=80),
    )
    assert results["q1"]["status"] == "funded"
    for key in ("q2", "q3"):
        assert results[key]["status"] == "tie_at_cutoff"
        assert results[key]["amount"] == 0
        assert results[key]["rank"] == 2
        assert results[key]["reason"] == (
            "与同一单位其他1个项目并列第2名，同一单位当年获得资助项目不超过2项，"
            "该单位剩余名额1项，由集体研究决策确定"
        )
    assert results["q4"]["status"] == "not_funded"
    assert results["q4"]["reason"] == (
        "排名第5，同一单位当年获得资助项目不超过2项，"
        "该单位已有排名更前的项目获资助或待集体研究决策，不予资助"
    )
    assert results["q5"]["status"] == "funded"


def test_organisation_limit_tie_holds_only_the_places_left():
    # Brand: 8 funded, then two projects of one organisation tie with one other project.
    apps = [app(f"b{n}", "brand", org=n, score=90 - n) for n in range(8)]
    apps += [
        app("x1", "brand", org=10, score=70),
        app("x2", "brand", org=10, score=70),
        app("y", "brand", org=11, score=70),
        app("z", "brand", org=12, score=60),
    ]
    results = run(*apps)
    # The organisation holds one place, y takes the other: the ten places are used up.
    assert statuses(results) == {
        **{f"b{n}": "funded" for n in range(8)},
        "x1": "tie_at_cutoff",
        "x2": "tie_at_cutoff",
        "y": "funded",
        "z": "not_funded",
    }


def test_places_tie_including_an_organisation_tie():
    apps = [app(f"b{n}", "brand", org=n, score=90 - n) for n in range(9)]
    apps += [
        app("x1", "brand", org=10, score=70),
        app("x2", "brand", org=10, score=70),
        app("y", "brand", org=11, score=70),
    ]
    results = run(*apps)
    for key in ("x1", "x2", "y"):
        assert results[key]["status"] == "tie_at_cutoff"
        assert results[key]["reason"] == "与其他2个项目并列第10名，剩余名额不足，由集体研究决策确定"


# --- rule 7: budgets -----------------------------------------------------------------------


def test_budget_scaling_rounds_down_to_hundreds():
    out = simulate(
        {
            "budgets": {"digital": 500_000},
            "applications": [app(f"d{n}", "digital", org=n, requested=300_000) for n in range(3)],
        }
    )
    assert [r["amount"] for r in out["results"]] == [166_600] * 3
    assert out["totals"]["digital"] == 499_800
    assert out["results"][0]["reason"] == (
        "按申请金额核定30万元；预算不足，按预算额度折算分配，予以资助16.66万元"
    )


def test_budget_scaling_is_proportional():
    results = run(
        app("a", "digital", org=0, requested=300_000),
        app("b", "digital", org=1, requested=100_000),
        budgets={"digital": 200_000},
    )
    assert results["a"]["amount"] == 150_000
    assert results["b"]["amount"] == 50_000


def test_enough_budget_changes_nothing():
    out = simulate(
        {
            "budgets": {"brand": 400_000},
            "applications": [
                app("a", "brand", org=0, score=90),
                app("b", "brand", org=1, score=80),
            ],
        }
    )
    assert [r["amount"] for r in out["results"]] == [200_000, 200_000]
    assert "折算" not in out["results"][0]["reason"]


def test_zero_budget():
    results = run(app("h", "honors"), budgets={"honors": 0})
    assert results["h"]["status"] == "funded"
    assert results["h"]["amount"] == 0


def test_budget_ignores_ties_and_other_sub_programmes():
    apps = [app(f"b{n}", "brand", org=n, score=90 - n) for n in range(9)]
    apps += [app(f"t{n}", "brand", org=10 + n, score=70) for n in range(2)]
    apps.append(app("h", "honors"))
    out = simulate({"budgets": {"brand": 900_000}, "applications": apps})
    by_id = {r["id"]: r for r in out["results"]}
    assert by_id["t0"]["amount"] == by_id["t1"]["amount"] == 0
    assert by_id["b0"]["amount"] == 100_000
    assert out["totals"] == {**dict.fromkeys(KEYS, 0), "brand": 900_000, "honors": 200_000}


# --- rules are data --------------------------------------------------------------------------


def test_custom_rules():
    rules = {"pilot": PlanRules(amount=100_000, max_projects=1, ranked=True)}
    out = simulate(
        {
            "applications": [
                {"id": 1, "subprogramme": "pilot", "org": "A", "score": 60},
                {"id": 2, "subprogramme": "pilot", "org": "B", "score": 70},
            ]
        },
        rules=rules,
    )
    assert [r["status"] for r in out["results"]] == ["not_funded", "funded"]
    assert out["totals"] == {"pilot": 100_000}


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"amount": 1, "cap": 2},
        {"amount": 1, "max_projects": 3},
        {"amount": 1, "ranked": True, "panel": False},
    ],
)
def test_inconsistent_rules_rejected(kwargs):
    with pytest.raises(ValueError):
        PlanRules(**kwargs)


# --- validation ------------------------------------------------------------------------------


def _with(**fields):
    return {"applications": [app("ok", "honors"), {**app("x", "brand", score=80), **fields}]}


def _without(field):
    item = app("x", "brand", score=80)
    del item[field]
    return {"applications": [app("ok", "honors"), item]}


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ([], "", "拟资助方案的输入应为对象"),
        ({}, "applications", "缺少申报项目列表"),
        ({"applications": {}}, "applications", "应为数组"),
        ({"applications": [], "year": 2025}, "year", "未知字段"),
        ({"applications": ["x"]}, "applications[0]", "应为对象"),
        (_with(subprogramme="quality"), "applications[1].subprogramme", "未知子项目“quality”"),
        (_without("subprogramme"), "applications[1].subprogramme", "缺少子项目"),
        (_without("id"), "applications[1].id", "缺少项目编号"),
        (_with(id=""), "applications[1].id", "非空文本或整数"),
        (_with(id=True), "applications[1].id", "非空文本或整数"),
        (_with(id="ok"), "applications[1].id", "与 applications[0] 重复"),
        (_without("org"), "applications[1].org", "统一社会信用代码"),
        (_with(org="  "), "applications[1].org", "非空文本"),
        (_without("score"), "applications[1].score", "缺少评审得分"),
        (_with(score=None), "applications[1].score", "缺少评审得分"),
        (_with(score=100.5), "applications[1].score", "应在0到100之间"),
        (_with(score=-1), "applications[1].score", "应在0到100之间"),
        (_with(score=float("nan")), "applications[1].score", "应在0到100之间"),
        (_with(score="80"), "applications[1].score", "应为数字"),
        (_with(score=True), "applications[1].score", "应为数字"),
        (_with(tier=4), "applications[1].tier", "应为1、2、3或null"),
        (_with(tier=True), "applications[1].tier", "应为1、2、3或null"),
        (_with(tier=1.0), "applications[1].tier", "应为1、2、3或null"),
        (_with(requested=1.5), "applications[1].requested", "不能有小数"),
        (_with(requested=-100), "applications[1].requested", "不能为负数"),
        (_with(requested=True), "applications[1].requested", "应为整数"),
        (_with(requested="200000"), "applications[1].requested", "应为整数"),
        (_with(requested=float("inf")), "applications[1].requested", "有限"),
        (_with(eligible="yes"), "applications[1].eligible", "应为 true 或 false"),
        (_with(recommended=1), "applications[1].recommended", "应为 true 或 false"),
        (_with(previously_funded=None), "applications[1].previously_funded", "true 或 false"),
        (_with(first_time=0), "applications[1].first_time", "应为 true 或 false"),
        (_with(elligible=True), "applications[1].elligible", "未知字段"),
        ({"applications": [], "budgets": []}, "budgets", "应为对象"),
        ({"applications": [], "budgets": {"x": 1}}, "budgets.x", "未知子项目"),
        ({"applications": [], "budgets": {"brand": 1.5}}, "budgets.brand", "不能有小数"),
        ({"applications": [], "budgets": {"brand": -1}}, "budgets.brand", "不能为负数"),
    ],
)
def test_invalid_input(payload, field, message):
    with pytest.raises(PlanInputError) as caught:
        simulate(payload)
    assert caught.value.field == field
    assert message in caught.value.message


def test_error_text_names_the_field():
    with pytest.raises(PlanInputError, match=r"applications\[1\]\.score：评审得分 score"):
        simulate(_with(score=101))


def test_money_accepted_forms():
    results = run(
        app("a", "digital", org=0, requested=200_000.0),
        app("b", "digital", org=1, requested=Decimal(150_000)),
        budgets={"digital": Decimal(1_000_000)},
    )
    assert results["a"]["amount"] == 200_000
    assert results["b"]["amount"] == 150_000
    assert isinstance(results["a"]["amount"], int)


def test_score_not_needed_where_ranking_does_not_matter():
    results = run(app("h", "honors"), app("g", "gba", tier=1), app("d", "digital"))
    assert all(r["status"] == "funded" for r in results.values())


# --- properties ------------------------------------------------------------------------------

SCORES = st.one_of(
    st.sampled_from([40, 49.5, 50, 60, 70, 70, 80, 80, 90, 100]),
    st.decimals(min_value=0, max_value=100, places=1),
)


@st.composite
def applications(draw, index, keys, orgs):
    key = draw(st.sampled_from(keys))
    item = {"id": f"a{index}", "subprogramme": key, "org": ORGS[draw(st.integers(0, orgs - 1))]}
    rule = DEFAULT_RULES_2025[key]
    if rule.ranked or draw(st.booleans()):
        item["score"] = draw(SCORES)
    if draw(st.booleans()):
        item["requested"] = draw(st.integers(min_value=0, max_value=400_000))
    if key == "gba":
        item["tier"] = draw(st.sampled_from([1, 2, 3, None]))
    for flag, likely in (
        ("eligible", True),
        ("recommended", True),
        ("previously_funded", False),
        ("first_time", True),
    ):
        if draw(st.booleans()):
            item[flag] = draw(st.sampled_from([likely] * 4 + [not likely]))
    return item


@st.composite
def payloads(draw):
    # Either every sub-programme, or one ranked sub-programme crowded enough to fill its
    # places, so that cuts, ties and organisation limits all happen.
    keys = draw(st.sampled_from([KEYS, *([k] for k in RANKED)]))
    orgs = draw(st.sampled_from([3, 8, 20]))
    count = draw(st.integers(min_value=0, max_value=45))
    apps = [draw(applications(n, keys, orgs)) for n in range(count)]
    budgets = draw(
        st.dictionaries(st.sampled_from(KEYS), st.integers(min_value=0, max_value=5_000_000))
    )
    return {"budgets": budgets, "applications": apps}


def contender(item):
    rule = DEFAULT_RULES_2025[item["subprogramme"]]
    return (
        item.get("eligible", True)
        and item.get("recommended", True)
        and not (rule.once_per_project and item.get("previously_funded", False))
        and not (rule.first_time_only and not item.get("first_time", True))
    )


STATUS_ORDER = {"not_funded": 0, "tie_at_cutoff": 1, "funded": 2}


@settings(max_examples=300)
@given(payloads())
def test_plan_properties(payload):
    out = simulate(payload)
    results = out["results"]
    apps = payload["applications"]
    assert [r["id"] for r in results] == [a["id"] for a in apps]
    assert [r["subprogramme"] for r in results] == [a["subprogramme"] for a in apps]

    for key, rule in DEFAULT_RULES_2025.items():
        mine = [(a, r) for a, r in zip(apps, results, strict=True) if a["subprogramme"] == key]
        funded = [(a, r) for a, r in mine if r["status"] == "funded"]
        assert out["totals"][key] == sum(r["amount"] for _, r in funded)
        if key in payload["budgets"]:
            assert out["totals"][key] <= payload["budgets"][key]
        if rule.max_projects is not None:
            assert len(funded) <= rule.max_projects
        if rule.max_per_org is not None:
            assert max(Counter(a["org"] for a, _ in funded).values(), default=0) <= (
                rule.max_per_org
            )
        for a, r in mine:
            assert isinstance(r["amount"], int)
            assert r["reason"]
            if r["status"] != "funded":
                assert r["amount"] == 0
            if not contender(a) or not rule.panel:
                assert r["rank"] is None
            if r["status"] == "funded":
                unscaled = rule.award(a.get("requested"), a.get("tier"))
                assert 0 <= r["amount"] <= unscaled
                if r["amount"] != unscaled:
                    assert "折算分配" in r["reason"]
                if "折算分配" in r["reason"]:
                    assert r["amount"] % 100 == 0

        scored = [(a, r) for a, r in mine if contender(a) and rule.panel and "score" in a]
        for a, r in scored:
            higher = sum(
                1 for b, _ in scored if Decimal(str(b["score"])) > Decimal(str(a["score"]))
            )
            assert r["rank"] == higher + 1

        if rule.ranked:
            for a, r in scored:
                for b, s in scored:
                    # A higher score is never worse off, except through an organisation limit.
                    higher_score = Decimal(str(a["score"])) > Decimal(str(b["score"]))
                    if higher_score and "同一单位" not in r["reason"]:
                        assert STATUS_ORDER[r["status"]] >= STATUS_ORDER[s["status"]]
            place_ties = [
                r
                for _, r in mine
                if r["status"] == "tie_at_cutoff" and "剩余名额不足" in r["reason"]
            ]
            if place_ties:
                assert len({r["rank"] for r in place_ties}) == 1
                assert len(funded) < rule.max_projects


@given(payloads())
def test_budgets_only_scale_amounts(payload):
    with_budgets = simulate(payload)["results"]
    without = simulate({"applications": payload["applications"]})["results"]
    for scaled, full in zip(with_budgets, without, strict=True):
        assert scaled["status"] == full["status"]
        assert scaled["rank"] == full["rank"]
        assert scaled["amount"] <= full["amount"]


@given(payloads(), st.randoms())
def test_outcome_does_not_depend_on_input_order(payload, random):
    shuffled = list(payload["applications"])
    random.shuffle(shuffled)
    first = {r["id"]: r for r in simulate(payload)["results"]}
    second = {r["id"]: r for r in simulate({**payload, "applications": shuffled})["results"]}
    assert {k: (r["status"], r["amount"], r["rank"]) for k, r in first.items()} == {
        k: (r["status"], r["amount"], r["rank"]) for k, r in second.items()
    }


# --- rounds (批次): what earlier rounds funded is taken first ---------------------------------


def test_a_later_round_has_only_the_places_left():
    payload = {
        "earlier": {"brand": {"projects": 9, "amount": 1_800_000, "orgs": {ORGS[0]: 1}}},
        "applications": [app("a", "brand", org=1, score=90), app("b", "brand", org=2, score=80)],
    }
    results = {r["id"]: r for r in simulate(payload)["results"]}
    assert results["a"]["status"] == "funded"
    assert results["b"]["status"] == "not_funded"
    assert "本年度资助不超过10个项目，前批次已资助9个" in results["b"]["reason"]


def test_an_organisation_funded_in_an_earlier_round_is_full():
    payload = {
        "earlier": {"brand": {"projects": 1, "amount": 200_000, "orgs": {ORGS[0]: 1}}},
        "applications": [app("a", "brand", org=0, score=99), app("b", "brand", org=1, score=80)],
    }
    results = {r["id"]: r for r in simulate(payload)["results"]}
    assert results["a"]["status"] == "not_funded"
    assert "本年度前批次已有项目获资助" in results["a"]["reason"]
    assert results["b"]["status"] == "funded"


def test_a_later_round_shares_what_the_year_budget_leaves():
    payload = {
        "budgets": {"digital": 1_000_000},
        "earlier": {"digital": {"projects": 3, "amount": 800_000}},
        "applications": [app("a", "digital", requested=300_000),
                         app("b", "digital", org=1, requested=100_000)],
    }
    out = simulate(payload)
    assert out["totals"]["digital"] == 200_000
    assert "本年度预算扣除前批次已安排80万元后的余额" in out["results"][0]["reason"]


@pytest.mark.parametrize(
    ("earlier", "field"),
    [
        ([], "earlier"),
        ({"nope": {}}, "earlier.nope"),
        ({"brand": {"projects": -1}}, "earlier.brand.projects"),
        ({"brand": {"amount": 1.5}}, "earlier.brand.amount"),
        ({"brand": {"orgs": {ORGS[0]: 2}, "projects": 1}}, "earlier.brand.projects"),
        ({"brand": {"extra": 1}}, "earlier.brand.extra"),
    ],
)
def test_invalid_earlier_rounds(earlier, field):
    with pytest.raises(PlanInputError) as caught:
        simulate({"earlier": earlier, "applications": []})
    assert caught.value.field == field


def used_by(results, apps) -> dict:
    """The ``earlier`` entry of what ``results`` funded (ties decided not to fund)."""
    by_id = {a["id"]: a for a in apps}
    used: dict = {}
    for r in results:
        if r["status"] != "funded":
            continue
        entry = used.setdefault(r["subprogramme"], {"projects": 0, "amount": 0, "orgs": {}})
        entry["projects"] += 1
        entry["amount"] += r["amount"]
        org = by_id[r["id"]]["org"]
        entry["orgs"][org] = entry["orgs"].get(org, 0) + 1
    return used


def add_used(total: dict, more: dict) -> dict:
    for key, entry in more.items():
        mine = total.setdefault(key, {"projects": 0, "amount": 0, "orgs": {}})
        mine["projects"] += entry["projects"]
        mine["amount"] += entry["amount"]
        for org, n in entry["orgs"].items():
            mine["orgs"][org] = mine["orgs"].get(org, 0) + n
    return total


@settings(max_examples=200)
@given(payloads(), st.randoms(use_true_random=False))
def test_rounds_together_never_exceed_the_year_limits(payload, random):
    """However a year's applications are split into rounds, the funded projects of all rounds
    together keep the quota, the organisation limit and the year's budget."""
    apps = payload["applications"]
    rounds: list[list] = [[] for _ in range(4)]
    for item in apps:
        rounds[random.randrange(4)].append(item)
    earlier: dict = {}
    funded: list[tuple[dict, dict]] = []
    for batch in rounds:
        out = simulate({"budgets": payload["budgets"], "earlier": earlier, "applications": batch})
        by_id = {a["id"]: a for a in batch}
        funded += [(by_id[r["id"]], r) for r in out["results"] if r["status"] == "funded"]
        earlier = add_used(earlier, used_by(out["results"], batch))
    for key, rule in DEFAULT_RULES_2025.items():
        mine = [(a, r) for a, r in funded if a["subprogramme"] == key]
        if rule.max_projects is not None:
            assert len(mine) <= rule.max_projects
        if rule.max_per_org is not None:
            per_org = Counter(normalise(a["org"]) for a, _ in mine)
            assert max(per_org.values(), default=0) <= rule.max_per_org
        if key in payload["budgets"]:
            assert sum(r["amount"] for _, r in mine) <= payload["budgets"][key]


@given(payloads())
def test_one_round_with_nothing_earlier_is_the_whole_year_plan(payload):
    assert simulate({**payload, "earlier": {}}) == simulate(payload)
