"""Every kind of problem is reported against its file, YAML line and document path."""

import pytest

from qualityfund.domain.guide import (
    GUIDE_2025,
    GuideError,
    Problem,
    check_guide,
    load_guide,
    load_guide_text,
)


def edit(text: str, old: str, new: str, *, after: str | None = None) -> str:
    """Replace the first `old` (after the first `after`, when given)."""
    start = text.index(after) if after else 0
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def line_of(text: str, needle: str, *, after: str | None = None) -> int:
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(GuideError) as caught:
        load_guide_text(text, "g.yaml")
    return caught.value.problems


def only_problem(text: str) -> Problem:
    problems = problems_of(text)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_the_shipped_guide_has_no_problems():
    assert check_guide(GUIDE_2025) == []
    assert load_guide(GUIDE_2025).year == 2025


def test_bytes_in_memory_load(guide_text):
    assert load_guide_text(guide_text.encode("utf-8"), "upload.yaml").year == 2025


def test_problem_prints_file_line_location_reason():
    problem = Problem("g.yaml", 12, "subprogrammes[2].conditions[0].rule.value", "须为数字")
    assert str(problem) == "g.yaml:12: subprogrammes[2].conditions[0].rule.value: 须为数字"


def test_yaml_syntax_error_names_the_line(guide_text):
    text = edit(guide_text, "year: 2025\n", "year: [2025\n")
    problem = only_problem(text)
    assert problem.reason.startswith("YAML 语法错误")
    assert problem.line is not None and problem.line >= line_of(text, "year: [2025")


def test_not_utf8_empty_and_not_a_mapping():
    assert "UTF-8" in only_problem("year: 年".encode("gbk")).reason
    assert only_problem("").reason == "文件为空"
    assert "映射" in only_problem("- 1\n- 2\n").reason


def test_misspelt_key_is_caught_with_its_line(guide_text):
    text = edit(guide_text, "    blocking: false", "    blockng: false", after="id: basic-2")
    problems = problems_of(text)
    located = {(p.location, p.line) for p in problems}
    line = line_of(text, "blockng")
    assert ("basic_conditions[1].blockng", line) in located
    assert any(p.location == "basic_conditions[1].blocking" for p in problems)  # now missing
    assert any("未知字段" in p.reason for p in problems)


def test_wrong_value_in_a_nested_rule(guide_text):
    old = "{kind: compare, figure: gba_regions, op: ge, value: 5}"
    text = edit(guide_text, old, old.replace("value: 5", "value: five"))
    problem = only_problem(text)
    assert problem.location == "subprogrammes[2].conditions[2].rule.rules[0].value"
    assert problem.line == line_of(text, "value: five")
    assert problem.reason == "须为数字"
    assert str(problem).startswith(f"g.yaml:{problem.line}: subprogrammes[2]")


def test_unknown_rule_kind(guide_text):
    text = edit(guide_text, "kind: is_true, figure: is_one_stop_platform", "kind: truthy")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[1].conditions[1].rule"
    assert "truthy" in problem.reason
    assert problem.line == line_of(text, "kind: truthy")


def test_bad_literal(guide_text):
    text = edit(guide_text, "site_visit: required", "site_visit: always")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[5].review.site_visit"
    assert problem.line == line_of(text, "site_visit: always")
    assert "always" in problem.reason


def test_unknown_figure_in_a_rule(guide_text):
    text = edit(guide_text, "figure: typical_cases", "figure: typical_case")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[1].conditions[4].rule.figure"
    assert problem.line == line_of(text, "figure: typical_case,")
    assert "typical_case" in problem.reason


def test_rule_on_a_figure_of_the_wrong_type(guide_text):
    text = edit(
        guide_text, "{kind: is_true, figure: data_shared}", "{kind: is_true, figure: digital_tools}"
    )
    problem = only_problem(text)
    assert "boolean" not in problem.reason and "integer" in problem.reason
    assert problem.line == line_of(text, "{kind: is_true, figure: digital_tools}")


def test_unknown_templates(guide_text):
    text = edit(guide_text, "template: report-gba\n", "template: report-gab\n")
    problems = problems_of(text)
    assert {p.location for p in problems} == {
        "subprogrammes[2].materials[2].template",
        "subprogrammes[2].report_template",
    }
    assert any(p.line == line_of(text, "template: report-gab") for p in problems)
    text = edit(guide_text, "report_template: report-brand", "report_template: report-brnd")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[3].report_template"
    assert problem.line == line_of(text, "report_template: report-brnd")


def test_seven_keys_exactly_once(guide_text):
    text = edit(guide_text, "  - key: gba\n", "  - key: brand\n")
    problems = problems_of(text)
    reasons = " ".join(p.reason for p in problems)
    assert "缺少子项目 gba" in reasons
    assert "brand 出现不止一次" in reasons
    assert any(p.line == line_of(text, "  - key: brand\n") for p in problems)


def test_even_panel(guide_text):
    text = edit(guide_text, "min_panel_size: 5", "min_panel_size: 4", after="key: brand")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[3].review"
    assert "单数" in problem.reason
    assert problem.line == line_of(text, "review:", after="key: brand")


def test_amount_must_be_positive(guide_text):
    text = edit(guide_text, "amount: 200000", "amount: -200000")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[0].funding.amount"
    assert problem.line == line_of(text, "amount: -200000")
    assert "> 0" in problem.reason


def test_window_order(guide_text):
    text = edit(
        guide_text, "closes_at: 2025-07-03T18:00:00+08:00", "closes_at: 2025-06-01T18:00:00+08:00"
    )
    problem = only_problem(text)
    assert problem.location == "window"
    assert problem.line == line_of(text, "window:")
    assert "晚于" in problem.reason


def test_naive_window_time(guide_text):
    text = edit(guide_text, "opens_at: 2025-06-12T09:00:00+08:00", "opens_at: 2025-06-12T09:00:00")
    problem = only_problem(text)
    assert problem.location == "window.opens_at"
    assert "时区" in problem.reason


def test_duplicate_ids(guide_text):
    text = edit(guide_text, "id: gba-2\n", "id: gba-1\n")
    problems = problems_of(text)
    assert {p.location for p in problems} == {
        "subprogrammes[2].conditions[0].id",
        "subprogrammes[2].conditions[1].id",
    }
    assert all("gba-1" in p.reason for p in problems)


def test_duplicate_yaml_keys(guide_text):
    text = edit(guide_text, "year: 2025\n", "year: 2025\nyear: 2025 # again\n")
    problem = only_problem(text)
    assert problem.line == line_of(text, "# again")
    assert "重复" in problem.reason


def test_missing_field(guide_text):
    text = edit(guide_text, '    short_name: "特色品牌培育"\n', "")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[3].short_name"
    assert problem.reason == "缺少必填字段"
    assert problem.line == line_of(text, "  - key: brand")


def test_many_problems_are_all_reported(guide_text, tmp_path):
    text = edit(guide_text, "figure: typical_cases", "figure: typical_case")
    text = edit(text, "amount: 300000", "amount: 0")
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check_guide(path)
    assert len(problems) == 1  # cross-references are checked only once the shapes are valid
    assert problems[0].file == str(path)
    assert problems[0].location == "subprogrammes[6].funding.amount"
    fixed = edit(text, "amount: 0", "amount: 300000")
    path.write_text(fixed, encoding="utf-8")
    assert [p.location for p in check_guide(path)] == ["subprogrammes[1].conditions[4].rule.figure"]
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    assert str(path) in str(caught.value)


def test_a_2026_guide_loads_beside_2025(guide_text, tmp_path):
    text = guide_text.replace("year: 2025", "year: 2026")
    text = text.replace("2025-06-12T09:00:00+08:00", "2026-06-10T09:00:00+08:00")
    text = text.replace("2025-07-03T18:00:00+08:00", "2026-07-01T18:00:00+08:00")
    text = text.replace("2024-01-01", "2025-01-01").replace("2024-12-31", "2025-12-31")
    text = text.replace("cap: 300000", "cap: 350000")
    text = text.replace("amount: 200000", "amount: 250000", 1)
    path = tmp_path / "quality-brand-2026.yaml"
    path.write_text(text, encoding="utf-8")

    assert check_guide(path) == []
    new, old = load_guide(path), load_guide(GUIDE_2025)
    assert (new.year, old.year) == (2026, 2025)
    assert new.window.opens_at.isoformat() == "2026-06-10T09:00:00+08:00"
    assert new.subprogramme("honors").funding.amount == 250000
    assert old.subprogramme("honors").funding.amount == 200000
    assert new.subprogramme("digital").funding.cap == 350000
    assert new.subprogramme("gba").completion_period.end.year == 2025
    assert old.subprogramme("gba").completion_period.end.year == 2024


def test_window_must_open_in_the_guide_year(guide_text):
    problem = only_problem(guide_text.replace("year: 2025", "year: 2026"))
    assert problem.location == "window.opens_at"
    assert "2026" in problem.reason


def test_a_rubric_names_the_guides_criteria_in_its_words(guide_text):
    text = edit(guide_text, 'name: "辐射力"', 'name: "影响力"')
    problem = only_problem(text)
    assert problem.location == "subprogrammes[1].review.rubric.criteria"
    assert "代表性、辐射力、实效性、示范性" in problem.reason


def test_a_rubric_points_only_into_its_own_template(guide_text):
    text = edit(guide_text, "evidence: [d1-2, d1-3, d2-1]", "evidence: [d1-2, d9]")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[1].review.rubric.criteria[0].evidence"
    assert problem.reason == "报告模板 report-qi-service 中没有维度或条目 d9"
    assert problem.line == line_of(text, "evidence: [d1-2, d9]")


def test_rubric_bands_and_descriptors(guide_text):
    text = edit(guide_text, "min: 0, descriptor", "min: 10, descriptor")
    problems = problems_of(text)  # the bands are shared by an anchor: every panel says so
    assert [p.location for p in problems] == [
        f"subprogrammes[{n}].review.rubric" for n in range(1, 6)]
    assert all("最后一档下限为 0" in p.reason for p in problems)
    text = edit(guide_text, "              良好:", "              很好:", after="key: innovation")
    assert "未知评分档：很好" in only_problem(text).reason


def test_a_panel_without_criteria_or_rubric(guide_text):
    text = edit(guide_text, '      criteria: ["建设情况", "绩效结果"]\n', "      criteria: []\n")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[5].review.rubric.criteria"
    start = text.index("key: digital")
    rubric = text.index("      rubric:\n", start)
    end = text.index("      selection_text:", rubric)
    problem = only_problem(text[:rubric] + text[end:])
    assert problem.location == "subprogrammes[5].review.criteria"
    assert "评审制子项目须在 criteria 列出" in problem.reason


def test_excellence_scoring_needs_the_gbt19580_template(guide_text):
    text = edit(guide_text, "report_template: report-incubation",
                "report_template: report-digital")
    text = edit(text, "template: report-incubation", "template: report-digital",
                after="key: incubation")
    problem = only_problem(text)
    assert problem.location == "subprogrammes[6].review.rubric.scoring"
