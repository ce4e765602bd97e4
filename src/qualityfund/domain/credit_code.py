"""Unified social credit code (统一社会信用代码, GB 32100-2015) checks.

Applicants type or paste the code from a licence, often with spaces or full-width
characters, so the code is normalised before it is checked. The check digit comes from
``stdnum.cn.uscc``; the other checks are ours so that each failure gets a Chinese message
naming the rule that was broken.
"""

import unicodedata

from stdnum.cn import uscc

FIELD = "统一社会信用代码"
LENGTH = 18
# GB 32100-2015 uses the digits and the upper-case letters except I, O, Z, S and V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
UNUSED_LETTERS = "I、O、Z、S、V"


class InvalidCreditCode(ValueError):
    """A credit code that breaks a rule of GB 32100-2015; ``message`` says which."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise(raw: str) -> str:
    """Full-width to half-width, drop every kind of whitespace, upper-case."""
    half_width = unicodedata.normalize("NFKC", raw)
    return "".join(half_width.split()).upper()


def validate(raw: object) -> str:
    """Return the normalised code, or raise InvalidCreditCode saying what is wrong."""
    if not isinstance(raw, str):
        raise InvalidCreditCode(f"{FIELD}应为文本")
    code = normalise(raw)
    if not code:
        raise InvalidCreditCode(f"{FIELD}不能为空")
    if len(code) != LENGTH:
        raise InvalidCreditCode(f"{FIELD}应为{LENGTH}位，当前为{len(code)}位")
    _check_characters(code)
    expected = uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        raise InvalidCreditCode(f"{FIELD}校验位错误：第18位应为{expected}")
    return code


def make_valid(prefix17: str) -> str:
    """Append the check digit to the first 17 characters (for tests and demo data)."""
    prefix = normalise(prefix17)
    if len(prefix) != 17:
        raise InvalidCreditCode(f"{FIELD}前17位应为17位，当前为{len(prefix)}位")
    _check_characters(prefix)
    return prefix + uscc.calc_check_digit(prefix)


def _check_characters(code: str) -> None:
    for position, char in enumerate(code, start=1):
        if char not in ALPHABET:
            raise InvalidCreditCode(
                f"{FIELD}第{position}位“{char}”不合法：只能使用数字和大写英文字母，"
                f"且不使用字母{UNUSED_LETTERS}"
            )
    # GB 32100-2015: positions 3-8 are the registering authority's administrative
    # division code, which is numeric.
    if not code[2:8].isdigit():
        raise InvalidCreditCode(f"{FIELD}第3至8位为登记管理机关行政区划码，应为数字")
