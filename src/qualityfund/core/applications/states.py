"""The application lifecycle of DESIGN.md, with the public name of each state.

The names are Chinese msgids: pages show them in the chosen language; exports stay Chinese.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待受理")
    SUPPLEMENTING = "supplementing", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    RECHECKED = "rechecked", _("已复审")
    REVIEWED = "reviewed", _("已评审")
    CLEARED = "cleared", _("不予资助情形查询通过")
    DISQUALIFIED = "disqualified", _("不予资助")
    FUNDED = "funded", _("拟资助")
    NOT_FUNDED = "not_funded", _("未获资助")
    DISBURSED = "disbursed", _("已拨付")
    WITHDRAWN = "withdrawn", _("已撤回")
    ABANDONED = "abandoned", _("视为放弃")


def chinese_name(state: str) -> str:
    """The public name in Chinese whatever the page's language, for exports and documents."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(State(state).label)


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
