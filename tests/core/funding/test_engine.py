"""The plan rules come from the guide file, so a new year's guide changes them without code."""

import json

import pytest

from qualityfund.core.funding.engine import guide_rules, plan_rules
from qualityfund.domain.guide import GUIDE_2025, load_guide
from qualityfund.domain.plan import DEFAULT_RULES_2025, simulate


def test_the_2025_guide_gives_exactly_the_engine_rules_of_2025():
    assert guide_rules(load_guide(GUIDE_2025)) == dict(DEFAULT_RULES_2025)


def test_another_years_guide_changes_the_amounts_without_code(tmp_path):
    text = GUIDE_2025.read_text(encoding="utf-8")
    changed = text.replace("      kind: fixed\n      amount: 200000\n      post_hoc: true\n"
                           "      max_projects: 10\n",
                           "      kind: fixed\n      amount: 250000\n      post_hoc: true\n"
                           "      max_projects: 3\n")
    assert changed != text
    path = tmp_path / "guide-2026.yaml"
    path.write_text(changed, encoding="utf-8")
    rules = plan_rules(load_guide(path).subprogramme("brand"))
    assert (rules.amount, rules.max_projects, rules.max_per_org) == (250_000, 3, 1)
    payload = {"applications": [
        {"id": str(i), "subprogramme": "brand", "org": f"ORG{i}", "score": 90 - i}
        for i in range(4)]}
    result = simulate(payload, {"brand": rules})
    assert [r["amount"] for r in result["results"]] == [250_000, 250_000, 250_000, 0]
    assert json.dumps(result, ensure_ascii=False)


@pytest.mark.parametrize("key", sorted(DEFAULT_RULES_2025))
def test_each_subprogramme_reads_its_own_entry(key):
    assert plan_rules(load_guide(GUIDE_2025).subprogramme(key)) == DEFAULT_RULES_2025[key]
