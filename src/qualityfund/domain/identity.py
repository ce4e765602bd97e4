"""Mainland resident ID numbers (GB 11643-1999), for objections filed by a named person.

公示 objections must be signed (匿名异议不予受理). python-stdnum computes the check digit and
reads the birth date; its table of address codes is not consulted, since a county renamed
since the holder's birth would wrongly refuse a real person.
"""

import unicodedata

from stdnum import exceptions
from stdnum.cn import ric


def resident_id(raw: str) -> str:
    """The normalised number, or ValueError with a Chinese reason."""
    code = "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()
    if len(code) != 18:
        raise ValueError(f"身份证号码应为18位，当前为{len(code)}位")
    if not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        raise ValueError("身份证号码前17位应为数字，第18位为数字或X")
    expected = ric.calc_check_digit(code)  # it ignores the last character
    if code[17] != expected:
        raise ValueError(f"身份证号码校验位错误：第18位应为{expected}")
    try:
        ric.get_birth_date(code)
    except exceptions.InvalidComponent:
        raise ValueError("身份证号码中的出生日期无效") from None
    return code


def with_check_digit(first17: str) -> str:
    """Complete 17 digits with the check digit (for tests and demo data)."""
    return first17 + ric.calc_check_digit(first17 + "0")  # the last character is ignored
