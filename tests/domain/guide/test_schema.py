"""The schema's own invariants, exercised on small objects and on the shipped guide."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from qualityfund.domain.guide import Guide
from qualityfund.domain.guide.schema import (
    AllOfRule,
    CompareRule,
    Condition,
    Figure,
    Funding,
    Material,
    Review,
    Rubric,
    SealPages,
    Window,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENS = datetime(2025, 6, 12, 9, 0, tzinfo=SHANGHAI)
CLOSES = datetime(2025, 7, 3, 18, 0, tzinfo=SHANGHAI)


def test_window_includes_both_instants():
    window = Window(opens_at=OPENS, closes_at=CLOSES)
    assert window.is_open(OPENS)
    assert window.is_open(CLOSES)
    assert not window.is_open(OPENS - timedelta(microseconds=1))
    assert not window.is_open(CLOSES + timedelta(microseconds=1))


def test_window_compares_instants_across_zones():
    window = Window(opens_at=OPENS, closes_at=CLOSES)
    assert window.is_open(datetime(2025, 7, 3, 10, 0, tzinfo=UTC))  # 18:00 in Shenzhen
    assert not window.is_open(datetime(2025, 7, 3, 10, 0, 1, tzinfo=UTC))


@given(st.datetimes(timezones=st.just(SHANGHAI)))
def test_window_open_exactly_between(at):
    window = Window(opens_at=OPENS, closes_at=CLOSES)
    assert window.is_open(at) == (OPENS <= at <= CLOSES)


def test_window_rejects_naive_and_reversed_times():
    with pytest.raises(ValidationError, match="时区"):
        Window(opens_at=datetime(2025, 6, 12, 9), closes_at=CLOSES)
    with pytest.raises(ValidationError, match="晚于"):
        Window(opens_at=CLOSES, closes_at=OPENS)
    with pytest.raises(ValueError):
        Window(opens_at=OPENS, closes_at=CLOSES).is_open(datetime(2025, 6, 20))


@pytest.mark.parametrize("size", [None, 3, 4, 6])
def test_panel_needs_an_odd_panel_of_at_least_five(size):
    with pytest.raises(ValidationError, match="单数"):
        Review(method="panel", min_panel_size=size, selection_text="评审制")


@pytest.mark.parametrize("size", [5, 7, 9])
def test_panel_sizes_that_pass(size):
    assert (
        Review(method="panel", min_panel_size=size, selection_text="评审制").min_panel_size == size
    )


def test_verification_has_no_panel():
    with pytest.raises(ValidationError):
        Review(method="verification", min_panel_size=5, selection_text="核查")


def test_funding_fields_follow_the_kind():
    assert Funding(kind="fixed", amount=200000).maximum == 200000
    assert Funding(kind="capped", cap=300000).maximum == 300000
    assert Funding(kind="tiered", tiers={1: 2000000, 2: 1000000, 3: 500000}).maximum == 2000000
    for bad in (
        {"kind": "fixed"},
        {"kind": "fixed", "amount": 1, "cap": 2},
        {"kind": "capped", "amount": 1},
        {"kind": "tiered", "tiers": {1: 100, 3: 50}},
        {"kind": "tiered", "tiers": {1: 100, 2: 500}},
        {"kind": "fixed", "amount": -5},
        {"kind": "fixed", "amount": 0},
    ):
        with pytest.raises(ValidationError):
            Funding(**bad)


def test_models_are_frozen_and_forbid_unknown_keys():
    funding = Funding(kind="fixed", amount=200000)
    with pytest.raises(ValidationError):
        funding.amount = 1
    with pytest.raises(ValidationError, match="extra"):
        Funding(kind="fixed", amount=1, ammount=2)


def test_rules_are_a_union_discriminated_by_kind():
    condition = Condition.model_validate(
        {
            "id": "x-1",
            "clause": "三",
            "text": "…",
            "blocking": True,
            "rule": {
                "kind": "all_of",
                "rules": [
                    {"kind": "compare", "figure": "a", "op": "ge", "value": 5},
                    {"kind": "any_of", "rules": [{"kind": "officer"}, {"kind": "officer"}]},
                ],
            },
        }
    )
    assert isinstance(condition.rule, AllOfRule)
    assert isinstance(condition.rule.rules[0], CompareRule)
    with pytest.raises(ValidationError):
        Condition.model_validate(
            {"id": "x", "clause": "", "text": "", "blocking": False, "rule": {"kind": "maybe"}}
        )


def test_officer_conditions_cannot_block():
    with pytest.raises(ValidationError, match="blocking"):
        Condition(id="x", clause="", text="", blocking=True, rule={"kind": "officer"})


def test_choice_figures_need_choices():
    with pytest.raises(ValidationError):
        Figure(key="kind", label="类型", type="choice")
    with pytest.raises(ValidationError):
        Figure(key="name", label="名称", type="text", choices=["a"])
    with pytest.raises(ValidationError):
        Figure(key="n", label="数", type="integer", min=5, max=1)
    with pytest.raises(ValidationError):
        Figure(key="BadKey", label="数", type="integer")


def test_generated_material_has_no_upload_slot():
    base = {
        "key": "application-form",
        "number": "①",
        "category": "basic",
        "title": "资助项目申请表",
        "text": "资助项目申请表",
        "max_size_mb": 50,
        "generated": True,
    }
    assert Material(**base, types=[], seal_required=False, seal_pages={"mode": "none"})
    with pytest.raises(ValidationError):
        Material(**base, types=["pdf"], seal_required=False, seal_pages={"mode": "none"})
    with pytest.raises(ValidationError):
        Material(**base, types=[], seal_required=True, seal_pages={"mode": "last"})


def test_seal_markers_only_with_marker_mode():
    assert SealPages(mode="marker", markers=["（单位盖章）"]).fallback == "last"
    with pytest.raises(ValidationError):
        SealPages(mode="marker")
    with pytest.raises(ValidationError):
        SealPages(mode="last", markers=["（单位盖章）"])


def test_direct_validation_also_checks_cross_references(guide):
    data = guide.model_dump()
    data["subprogrammes"][1]["conditions"][0]["rule"]["figure"] = "nowhere"
    with pytest.raises(ValidationError, match="nowhere"):
        Guide.model_validate(data)


def test_round_trip_through_a_dump(guide):
    assert Guide.model_validate(guide.model_dump()) == guide


def test_lookups(guide):
    assert guide.subprogramme("gba").clause == "三（三）"
    assert guide.template("pledge").attachment == "附件1"
    with pytest.raises(KeyError):
        guide.subprogramme("nope")
    with pytest.raises(KeyError):
        guide.template("nope")
    sub = guide.subprogramme("digital")
    assert sub.figure("digital_tools").type == "integer"
    assert sub.material("report").template == "report-digital"
    assert sub.condition("digital-3").blocking
    with pytest.raises(KeyError):
        sub.figure("nope")


def test_round_trip_through_json(guide):
    """Layer 2 stores the guide as JSON; reading it back must give the same guide."""
    data = json.loads(json.dumps(guide.model_dump(mode="json")))
    assert Guide.model_validate(data) == guide


def test_a_rubric_needs_criteria_and_bands_from_the_top_down_to_zero():
    criterion = {"key": "reach", "name": "辐射力"}
    with pytest.raises(ValidationError, match="criteria"):
        Rubric()
    assert [b.label for b in Rubric(criteria=[criterion]).bands] == ["优秀", "良好", "一般", "较差"]
    for bands in ([{"label": "好", "min": 60, "descriptor": "…"}],
                  [{"label": "好", "min": 0, "descriptor": "…"},
                   {"label": "差", "min": 60, "descriptor": "…"}],
                  [{"label": "好", "min": 60, "descriptor": "…"},
                   {"label": "好", "min": 0, "descriptor": "…"}]):
        with pytest.raises(ValidationError, match="评分档"):
            Rubric(criteria=[criterion], bands=bands)
    with pytest.raises(ValidationError, match="未知评分档"):
        Rubric(criteria=[{**criterion, "descriptors": {"卓越": "…"}}])
    with pytest.raises(ValidationError, match="不设 criteria"):
        Rubric(scoring="excellence", criteria=[criterion])
    with pytest.raises(ValidationError, match="extra"):
        Rubric(criteria=[{**criterion, "weigth": 2}])


def test_verification_has_no_rubric():
    with pytest.raises(ValidationError, match="评分细则"):
        Review(method="verification", selection_text="核查", rubric={"scoring": "excellence"})
