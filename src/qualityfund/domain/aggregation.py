"""Expert panel scores: the panel's result, dispersion, outliers, leniency, ranking.

指南 三（二）5 and the other panel sub-programmes: 成立5人以上单数的专家组 ... 综合评审.
The usual practice for such panels, and the default here, is to drop the highest and the
lowest score and average the rest, so that one extreme expert cannot move the result.
Scores stay ``Decimal``; rounding to two places is for display only.
"""

import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, TypeVar

Method = Literal["trimmed_mean", "mean", "median"]
METHODS = ("trimmed_mean", "mean", "median")
_DISPLAY = Decimal("0.01")
# 1 / Φ⁻¹(3/4): turns the median absolute deviation into an estimate of σ for normal data.
MAD_TO_SIGMA = Decimal("1.4826")

K = TypeVar("K")


def _score(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"评分应为整数或Decimal，不接受{type(value).__name__}")
    score = Decimal(value)
    if not score.is_finite():
        raise ValueError("评分应为有限数值")
    return score


def display(value: Decimal) -> Decimal:
    """Two decimal places, half up: for showing a score, never for computing with it."""
    return value.quantize(_DISPLAY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Aggregate:
    """One application's panel result; ``result`` is the value the chosen method gives."""

    mean: Decimal
    median: Decimal
    spread: Decimal
    stdev: Decimal
    trimmed_mean: Decimal
    result: Decimal
    n: int

    def rounded(self) -> "Aggregate":
        """The same figures rounded for display."""
        return Aggregate(
            mean=display(self.mean),
            median=display(self.median),
            spread=display(self.spread),
            stdev=display(self.stdev),
            trimmed_mean=display(self.trimmed_mean),
            result=display(self.result),
            n=self.n,
        )


def aggregate(
    scores: Iterable[Decimal | int],
    method: Method = "trimmed_mean",
    trim: int = 1,
    min_panel_for_trim: int = 5,
) -> Aggregate:
    """Summarise a panel's scores for one application.

    ``trimmed_mean`` drops the ``trim`` highest and ``trim`` lowest scores when the panel
    has at least ``min_panel_for_trim`` scores (and more than ``2 * trim``); a smaller
    panel is simply averaged. ``stdev`` is the population standard deviation: the panel
    is the whole population of scores for the application, not a sample of one.
    """
    values = sorted(_score(s) for s in scores)
    if not values:
        raise ValueError("评分列表不能为空")
    if method not in METHODS:
        raise ValueError(f"未知的汇总方法“{method}”，应为 {'、'.join(METHODS)}")
    if trim < 0:
        raise ValueError(f"去掉的最高分和最低分个数不能为负数，当前为{trim}")
    n = len(values)
    kept = values[trim : n - trim] if n >= min_panel_for_trim and n > 2 * trim else values
    summary = {
        "mean": statistics.mean(values),
        "median": statistics.median(values),
        "trimmed_mean": statistics.mean(kept),
    }
    return Aggregate(
        spread=values[-1] - values[0],
        stdev=statistics.pstdev(values),
        result=summary[method],
        n=n,
        **summary,
    )


def outliers(
    scores_by_expert: Mapping[str, Decimal | int],
    threshold: Decimal | int = 3,
    min_difference: Decimal | int = 10,
) -> set[str]:
    """Experts whose score is far from the rest of the panel.

    Rule (robust, so the outlier itself cannot hide by inflating the spread): with m the
    panel median and MAD the median absolute deviation from m, an expert is flagged when
    ``|score − m| > threshold × 1.4826 × MAD`` and also ``|score − m| ≥ min_difference``.
    The second condition keeps a tight panel (MAD of 0 or 1 point) from flagging ordinary
    differences of a few points on a 100-point scale. Fewer than three scores cannot show
    which one is out of line, so they flag nobody.
    """
    scores = {expert: _score(value) for expert, value in scores_by_expert.items()}
    if len(scores) < 3:
        return set()
    middle = statistics.median(scores.values())
    mad = statistics.median(abs(s - middle) for s in scores.values())
    limit = Decimal(threshold) * MAD_TO_SIGMA * mad
    return {
        expert
        for expert, score in scores.items()
        if abs(score - middle) > limit and abs(score - middle) >= Decimal(min_difference)
    }


def leniency(
    matrix: Mapping[str, Mapping[Hashable, Decimal | int]],
) -> dict[str, float]:
    """Each expert's average standardised score: above 0 lenient, below 0 strict.

    For every application scored by at least two experts, each expert's score is turned
    into a z-score against that application's panel (population mean and standard
    deviation); an application on which the panel agreed exactly gives everyone 0. An
    expert's leniency is the mean of their z-scores, 0.0 when they have none.
    """
    by_application: dict[Hashable, dict[str, Decimal]] = {}
    for expert, row in matrix.items():
        for application, value in row.items():
            by_application.setdefault(application, {})[expert] = _score(value)
    z_scores: dict[str, list[Decimal]] = {expert: [] for expert in matrix}
    for panel in by_application.values():
        if len(panel) < 2:
            continue
        centre = statistics.mean(panel.values())
        spread = statistics.pstdev(panel.values())
        for expert, score in panel.items():
            z_scores[expert].append((score - centre) / spread if spread else Decimal(0))
    return {
        expert: float(statistics.mean(values)) if values else 0.0
        for expert, values in z_scores.items()
    }


def rank_with_ties(
    items: Iterable[tuple[K, Decimal | int]],
) -> list[tuple[K, Decimal | int, int]]:
    """Competition ranking, highest score first: scores 90, 80, 80, 70 rank 1, 2, 2, 4.

    Equal scores keep their input order, so the output is deterministic.
    """
    ordered = sorted(items, key=lambda item: -_score(item[1]))
    ranked: list[tuple[K, Decimal | int, int]] = []
    for position, (key, score) in enumerate(ordered, start=1):
        tied = ranked and _score(ranked[-1][1]) == _score(score)
        ranked.append((key, score, ranked[-1][2] if tied else position))
    return ranked
