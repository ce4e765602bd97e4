"""A panel's results: each expert's total, the aggregate, outliers, leniency, the ranking,
and the panel's score on each criterion of the rubric.

Read in a fixed number of queries whatever the panel's size (entries, members, sheets), and
computed by the pure rules of ``domain.aggregation`` and ``domain.scoring`` with the
aggregation the guide file sets for the sub-programme (``review.aggregation``), applied to
the totals and to each criterion alike.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from qualityfund.domain import aggregation
from qualityfund.domain.scoring import Decision, Opinion, criterion_scores, decide

from .models import Panel, PanelApplication, PanelMember, ScoreSheet

METHOD_NAMES = {"trimmed_mean": "去掉最高分和最低分后取平均", "mean": "算术平均",
                "median": "中位数"}


@dataclass
class Row:
    entry: PanelApplication
    sheets: dict[int, ScoreSheet]  # member id → confirmed sheet
    complete: bool
    aggregate: aggregation.Aggregate | None = None
    outliers: set[int] = field(default_factory=set)
    rank: int | None = None
    decision: Decision | None = None
    criteria: dict[str, Decimal] = field(default_factory=dict)  # criterion key → panel score

    @property
    def application(self):
        return self.entry.application


@dataclass
class Results:
    panel: Panel
    spec: object  # domain.scoring.SheetSpec
    members: list[PanelMember]
    rows: list[Row]
    leniency: dict[int, float]
    method: str
    method_text: str

    @property
    def complete(self) -> bool:
        return bool(self.rows) and all(row.complete for row in self.rows)


def method_text(review) -> str:
    agg = review.aggregation
    if agg.method == "trimmed_mean":
        return (f"专家组不少于{agg.min_panel_for_trim}人时，去掉{agg.trim}个最高分和"
                f"{agg.trim}个最低分后取平均；不足{agg.min_panel_for_trim}人时取平均")
    return METHOD_NAMES[agg.method]


def _combine(review, scores) -> aggregation.Aggregate:
    """The panel's figure from its experts' scores, by the guide's aggregation."""
    agg = review.aggregation
    return aggregation.aggregate(list(scores), method=agg.method, trim=agg.trim,
                                 min_panel_for_trim=agg.min_panel_for_trim).rounded()


def compute(panel: Panel, *, hide_applications=frozenset()) -> Results:
    """The results of ``panel``; ``hide_applications`` (ids) drops rows a viewer may not see."""
    spec = panel.sheet_spec
    review = panel.spec.review
    members = list(panel.members.filter(status="active").select_related("expert__user"))

    member_ids = {m.pk for m in members}
    entries = [e for e in PanelApplication.objects.filter(panel=panel).select_related(
        "application__organisation") if e.application_id not in hide_applications]
    sheets: dict[int, dict[int, ScoreSheet]] = {}
    for sheet in ScoreSheet.objects.filter(panel=panel, status="confirmed",
                                           member_id__in=member_ids):
        sheets.setdefault(sheet.application_id, {})[sheet.member_id] = sheet
    rows = []
    for entry in entries:
        by_member = sheets.get(entry.application_id, {})
        row = Row(entry=entry, sheets=by_member, complete=set(by_member) == member_ids)
        if by_member:
            totals = {m: s.total for m, s in by_member.items()}
            row.aggregate = _combine(review, totals.values())
            by_criterion = [criterion_scores(spec, s.scores) for s in by_member.values()]
            row.criteria = {c.key: _combine(review, (s[c.key] for s in by_criterion)).result
                            for c in spec.criteria}
            row.outliers = {int(m) for m in aggregation.outliers(
                {str(m): t for m, t in totals.items()})}
        rows.append(row)
    scored = [(row, row.aggregate.result) for row in rows if row.aggregate]
    for row, _, rank in aggregation.rank_with_ties(scored):
        row.rank = rank
        row.decision = decide(spec, [
            Opinion(bool(s.recommendation), s.tier, s.amount) for s in row.sheets.values()],
            score=row.aggregate.result, rank=rank)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.application.number or ""))
    matrix = {str(m.pk): {} for m in members}
    for row in rows:
        for member_id, sheet in row.sheets.items():
            matrix[str(member_id)][row.application.pk] = sheet.total
    lenient = {int(k): v for k, v in aggregation.leniency(matrix).items()}
    return Results(panel=panel, spec=spec, members=members, rows=rows, leniency=lenient,
                   method=review.aggregation.method, method_text=method_text(review))


def display_score(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"
