"""Resident ID numbers of people who file an objection."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.identity import resident_id, with_check_digit


def test_a_valid_number_is_normalised():
    assert resident_id(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(("raw", "message"), [
    ("1101051949123100", "应为18位，当前为16位"),
    ("110105194912310021", "校验位错误：第18位应为X"),
    ("110105194913310021", "出生日期无效"),
    ("11010519491231A02X", "前17位应为数字"),
])
def test_each_fault_is_named_in_chinese(raw, message):
    with pytest.raises(ValueError, match=message):
        resident_id(raw)


@given(st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_every_completed_number_validates(birth, serial):
    code = with_check_digit(f"440305{birth:%Y%m%d}{serial:03d}")
    assert resident_id(code) == code
