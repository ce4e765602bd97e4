from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.aggregation import (
    Aggregate,
    aggregate,
    display,
    leniency,
    outliers,
    rank_with_ties,
)

scores = st.decimals(min_value=0, max_value=100, places=2)
panels = st.lists(scores, min_size=1, max_size=15)


def test_trimmed_mean_drops_highest_and_lowest_from_five():
    result = aggregate([80, 85, 90, 70, 95])
    assert result.trimmed_mean == Decimal(85)
    assert result.result == Decimal(85)
    assert result.mean == Decimal(84)
    assert result.median == Decimal(85)
    assert result.spread == Decimal(25)
    assert result.n == 5
    assert display(result.stdev) == Decimal("8.60")


def test_small_panel_is_not_trimmed():
    result = aggregate([Decimal("80.5"), 85, 90, 70])
    assert result.trimmed_mean == result.mean == Decimal("81.375")
    assert result.rounded().result == Decimal("81.38")
    assert result.rounded().median == Decimal("82.75")


def test_other_methods_and_trim():
    values = [60, 70, 80, 90, 100, 100, 100]
    assert aggregate(values, method="mean").result == aggregate(values).mean
    assert aggregate(values, method="median").result == Decimal(90)
    assert aggregate(values, trim=2).trimmed_mean == Decimal(90)
    assert aggregate(values, trim=0).trimmed_mean == aggregate(values).mean
    assert aggregate(values, min_panel_for_trim=9).trimmed_mean == aggregate(values).mean


def test_rounding_is_half_up():
    assert display(Decimal("84.125")) == Decimal("84.13")
    assert display(Decimal("84.135")) == Decimal("84.14")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"scores": []}, ValueError, "不能为空"),
        ({"scores": [80], "method": "max"}, ValueError, "未知的汇总方法"),
        ({"scores": [80], "trim": -1}, ValueError, "不能为负数"),
        ({"scores": [80.5]}, TypeError, "float"),
        ({"scores": [True]}, TypeError, "bool"),
        ({"scores": [Decimal("NaN")]}, ValueError, "有限数值"),
    ],
)
def test_aggregate_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        aggregate(**kwargs)


def test_outlier_in_an_otherwise_agreeing_panel():
    assert outliers({"a": 80, "b": 82, "c": 78, "d": 81, "e": 60}) == {"e"}


def test_identical_panel_with_one_far_score():
    assert outliers({"a": 80, "b": 80, "c": 80, "d": 80, "e": 50}) == {"e"}


def test_small_differences_are_not_outliers():
    assert outliers({"a": 80, "b": 80, "c": 80, "d": 80, "e": 85}) == set()
    assert outliers({"a": 60, "b": 70, "c": 80, "d": 90, "e": 100}) == set()


def test_too_few_scores_flag_nobody():
    assert outliers({"a": 10, "b": 90}) == set()


def test_leniency_signs():
    z = leniency(
        {
            "lenient": {"p1": 90, "p2": 80, "p3": 95},
            "strict": {"p1": 70, "p2": 60, "p3": 75},
            "middle": {"p1": 80, "p2": 70, "p3": 85},
        }
    )
    assert z["lenient"] > 0 > z["strict"]
    assert z["middle"] == pytest.approx(0)
    assert z["lenient"] == pytest.approx(-z["strict"])


def test_leniency_ignores_lone_and_unanimous_applications():
    z = leniency({"a": {"p1": 90, "solo": 10}, "b": {"p1": 90}, "c": {}})
    assert z == {"a": 0.0, "b": 0.0, "c": 0.0}


def test_rank_with_ties_competition_ranking():
    assert rank_with_ties([("x", 90), ("y", 80), ("z", 80), ("w", 70)]) == [
        ("x", 90, 1),
        ("y", 80, 2),
        ("z", 80, 2),
        ("w", 70, 4),
    ]
    assert rank_with_ties([("a", Decimal("80.0")), ("b", 80)]) == [
        ("a", Decimal("80.0"), 1),
        ("b", 80, 1),
    ]
    assert rank_with_ties([]) == []


@given(panels)
def test_aggregate_lies_within_the_scores(values):
    result = aggregate(values)
    assert isinstance(result, Aggregate)
    for figure in (result.mean, result.median, result.trimmed_mean, result.result):
        assert min(values) <= figure <= max(values)
    assert result.spread == max(values) - min(values)
    assert result.stdev >= 0
    assert result.n == len(values)


@given(panels)
def test_trimmed_mean_ignores_how_high_the_highest_is(values):
    ordered = sorted(values)
    if len(ordered) < 5:
        return
    raised = ordered[:-1] + [Decimal(100)]
    assert aggregate(raised).trimmed_mean == aggregate(ordered).trimmed_mean


@given(panels, st.randoms())
def test_aggregate_ignores_order(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)
    assert aggregate(values) == aggregate(shuffled)


@given(st.lists(st.tuples(st.integers(), scores), max_size=30))
def test_ranks_are_competition_ranks(items):
    ranked = rank_with_ties(items)
    assert sorted((k, s) for k, s, _ in ranked) == sorted(items)
    for _, score, rank in ranked:
        assert rank == 1 + sum(1 for _, other in items if other > score)
    assert [r[2] for r in ranked] == sorted(r[2] for r in ranked)


@given(st.dictionaries(st.text(min_size=1, max_size=3), scores, max_size=12))
def test_outliers_are_far_from_the_median(panel):
    flagged = outliers(panel)
    assert flagged <= set(panel)
    if flagged:
        values = sorted(panel.values())
        middle = (
            values[len(values) // 2]
            if len(values) % 2
            else (values[len(values) // 2 - 1] + values[len(values) // 2]) / 2
        )
        assert all(abs(panel[expert] - middle) >= 10 for expert in flagged)
    # Fewer than half the panel can be flagged: the median holds by construction.
    assert len(flagged) <= len(panel) // 2


@given(
    st.dictionaries(
        st.sampled_from("abcde"),
        st.dictionaries(st.sampled_from(["p1", "p2", "p3"]), scores, min_size=1),
        min_size=2,
    )
)
def test_leniency_is_centred_on_complete_panels(matrix):
    z = leniency(matrix)
    assert set(z) == set(matrix)
    apps = {app for row in matrix.values() for app in row}
    if all(set(row) == apps for row in matrix.values()):
        assert sum(z.values()) == pytest.approx(0, abs=1e-9)
