"""Load a guide YAML file and report every problem against the line that causes it.

An administrator edits these files by hand, so a problem must name the file, the YAML line
and the path inside the document (`subprogrammes[2].conditions[0].rule.value`), in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from qualityfund.domain.guide.schema import (
    SKIP_CROSS_CHECK,
    Guide,
    Path_,
    cross_reference_problems,
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    location: str  # dotted path inside the document, "" for the whole file
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.location or '(文件)'}: {self.reason}"


class GuideError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_guide(path: str | Path) -> Guide:
    path = Path(path)
    return load_guide_text(path.read_bytes(), str(path))


def check_guide(path: str | Path) -> list[Problem]:
    path = Path(path)
    return _parse(path.read_bytes(), str(path))[1]


def load_guide_text(text: str | bytes, name: str = "<guide>") -> Guide:
    guide, problems = _parse(text, name)
    if problems:
        raise GuideError(problems)
    return guide


def _parse(text: str | bytes, name: str) -> tuple[Guide | None, list[Problem]]:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            return None, [Problem(name, None, "", f"文件不是 UTF-8 编码：{error}")]
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, [Problem(name, 1, "", "文件为空")]
        duplicates = _duplicate_keys(root, name)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        return None, [Problem(name, line, "", f"YAML 语法错误：{error.problem or error}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return None, [Problem(name, root.start_mark.line + 1, "", "文件顶层须为映射（键: 值）")]
    problems = list(duplicates)
    try:
        guide = Guide.model_validate(data, context={SKIP_CROSS_CHECK: True})
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            line, location = _locate(root, detail["loc"])
            problems.append(Problem(name, line, location, _reason(detail)))
        return None, problems
    for path, reason in cross_reference_problems(guide):
        line, location = _locate(root, path)
        problems.append(Problem(name, line, location, reason))
    return (None if problems else guide), problems


def _duplicate_keys(node: yaml.Node, name: str) -> list[Problem]:
    """PyYAML keeps the last of two equal keys silently; a hand-edited guide must not."""
    found = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                if key.value in seen:
                    found.append(
                        Problem(name, key.start_mark.line + 1, key.value, f"键 {key.value} 重复")
                    )
                seen.add(key.value)
            found += _duplicate_keys(value, name)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item, name)
    return found


def _child(node: yaml.Node, segment: Any) -> tuple[yaml.Node, yaml.Node] | None:
    """(node whose line names the segment, value node) or None when absent."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(segment):
                return key, value
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "<<":
                merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for source in merged:
                    hit = _child(source, segment)
                    if hit:
                        return hit
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(segment, int)
        and 0 <= segment < len(node.value)
    ):
        item = node.value[segment]
        return item, item
    return None


def _locate(root: yaml.Node, loc: Path_) -> tuple[int, str]:
    """Walk a pydantic loc through the YAML nodes; union tags that name no key are skipped."""
    node, line, parts = root, root.start_mark.line + 1, []
    for index, segment in enumerate(loc):
        hit = _child(node, segment)
        if hit is None:
            if index == len(loc) - 1 and isinstance(segment, str):
                parts.append(segment)  # a missing or unknown key: name it, keep the parent line
            continue
        marker, node = hit
        line = marker.start_mark.line + 1
        parts.append(segment)
    location = ""
    for part in parts:
        location += f"[{part}]" if isinstance(part, int) else (f".{part}" if location else part)
    return line, location


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（是否拼写错误？）",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "string_type": "须为文本",
    "list_type": "须为列表",
    "dict_type": "须为映射",
    "model_type": "须为映射",
    "model_attributes_type": "须为映射",
    "date_type": "须为日期，例如 2024-12-31",
    "date_parsing": "须为日期，例如 2024-12-31",
    "date_from_datetime_parsing": "须为日期，例如 2024-12-31",
    "date_from_datetime_inexact": "须为日期，不能带时刻",
    "datetime_type": "须为带时区的时间，例如 2025-06-12T09:00:00+08:00",
    "datetime_parsing": "须为带时区的时间，例如 2025-06-12T09:00:00+08:00",
    "decimal_type": "须为数字",
    "decimal_parsing": "须为数字",
    "union_tag_not_found": "规则缺少 kind",
}


def _reason(detail: dict[str, Any]) -> str:
    kind, ctx = detail["type"], detail.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind in ("literal_error", "enum"):
        return f"取值 {detail.get('input')!r} 无效，应为 {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"未知的规则类型 {ctx.get('tag')!r}，应为 {ctx.get('expected_tags')}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        sign = {
            "greater_than": ">",
            "greater_than_equal": "≥",
            "less_than": "<",
            "less_than_equal": "≤",
        }[kind]
        return f"取值 {detail.get('input')!r} 须 {sign} {bound}"
    if kind in ("too_short", "too_long"):
        return f"列表长度不符合要求（{detail['msg']}）"
    if kind == "string_pattern_mismatch":
        return f"取值 {detail.get('input')!r} 格式不符（须匹配 {ctx.get('pattern')}）"
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return detail["msg"]
