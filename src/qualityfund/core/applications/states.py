"""The application lifecycle of DESIGN.md, with the Chinese public name of each state."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交，待受理"
    SUPPLEMENTING = "supplementing", "待补正"
    ACCEPTED = "accepted", "已受理"
    REFUSED = "refused", "不予受理"
    RECHECKED = "rechecked", "已复审"
    REVIEWED = "reviewed", "已评审"
    CLEARED = "cleared", "不予资助情形查询通过"
    DISQUALIFIED = "disqualified", "不予资助"
    FUNDED = "funded", "拟资助"
    NOT_FUNDED = "not_funded", "未获资助"
    DISBURSED = "disbursed", "已拨付"
    WITHDRAWN = "withdrawn", "已撤回"
    ABANDONED = "abandoned", "视为放弃"


# Allowed moves; every service function checks against this table before it changes a state.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.SUBMITTED}),
    State.SUBMITTED: frozenset({State.SUPPLEMENTING, State.ACCEPTED, State.REFUSED,
                                State.WITHDRAWN}),
    State.SUPPLEMENTING: frozenset({State.SUBMITTED, State.ABANDONED, State.WITHDRAWN}),
    State.ACCEPTED: frozenset({State.RECHECKED, State.REFUSED}),
    State.RECHECKED: frozenset({State.REVIEWED}),
    State.REVIEWED: frozenset({State.CLEARED, State.DISQUALIFIED}),
    State.CLEARED: frozenset({State.FUNDED, State.NOT_FUNDED}),
    State.FUNDED: frozenset({State.DISBURSED}),
}

# The applicant may withdraw until the application is accepted (DESIGN.md, 撤回).
WITHDRAWABLE = frozenset({State.SUBMITTED, State.SUPPLEMENTING})
EDITABLE = frozenset({State.DRAFT})
# During 补正 the applicant changes only the items the officer listed (core.review).
SUPPLEMENTABLE = frozenset({State.SUPPLEMENTING})


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())
