"""Checks on who files an objection: 公示 objections must be signed (匿名异议不予受理)."""

import unicodedata

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def resident_id(raw: str) -> str:
    """A mainland resident ID number (GB 11643-1999), normalised; ValueError saying why."""
    code = "".join(unicodedata.normalize("NFKC", raw).split()).upper()
    if len(code) != 18:
        raise ValueError(f"身份证号码应为18位，当前为{len(code)}位")
    if not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        raise ValueError("身份证号码前17位应为数字，第18位为数字或X")
    expected = _CHECK[sum(int(c) * w for c, w in zip(code, _WEIGHTS, strict=False)) % 11]
    if code[17] != expected:
        raise ValueError(f"身份证号码校验位错误：第18位应为{expected}")
    return code


def with_check_digit(first17: str) -> str:
    """Complete 17 digits with the check digit (for tests and demo data)."""
    return first17 + _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def same_name(*names: str) -> bool:
    """指南 七（五）: 三者名称必须一致 — compared after width folding and trimming only."""
    folded = {"".join(unicodedata.normalize("NFKC", n or "").split()) for n in names}
    return len(folded) == 1 and "" not in folded
