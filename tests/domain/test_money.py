from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.money import (
    format_yuan,
    parse_yuan,
    to_wan,
    to_wan_plain,
    upper_case,
)

DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _group(n: int) -> str:
    """An independent oracle for one group of four digits (1..9999)."""
    out, zero = "", False
    for power, unit in zip((1000, 100, 10, 1), ("仟", "佰", "拾", ""), strict=True):
        digit = n // power % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
        out += DIGITS[digit] + unit
        zero = False
    return out


def reference_upper(amount: Decimal) -> str:
    """The People's Bank rules written out independently of cn2an, for comparison."""
    whole, cents = divmod(int(amount * 100), 100)
    jiao, fen = divmod(cents, 10)
    text, pending_zero = "", False
    groups = ((whole // 10**8, "亿"), (whole // 10**4 % 10**4, "万"), (whole % 10**4, ""))
    for group, unit in groups:
        if group == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or group < 1000):
            text += "零"
        text += _group(group) + unit
        pending_zero = False
    if whole:
        text += "元"
    if not cents:
        return (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    if fen:
        text += ("零" if whole and not jiao else "") + DIGITS[fen] + "分"
    return text


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (0, "零元整"),
        (10, "壹拾元整"),
        (200_000, "贰拾万元整"),
        (1_000_000, "壹佰万元整"),
        (300_500, "叁拾万零伍佰元整"),
        (2_000_000, "贰佰万元整"),
        (Decimal("100.53"), "壹佰元伍角叁分"),
        (Decimal("1409.50"), "壹仟肆佰零玖元伍角"),
        (Decimal("6007.14"), "陆仟零柒元壹角肆分"),
        (Decimal("16409.02"), "壹万陆仟肆佰零玖元零贰分"),
        (Decimal("325.04"), "叁佰贰拾伍元零肆分"),
        (Decimal("0.53"), "伍角叁分"),
        (Decimal("258300.00"), "贰拾伍万捌仟叁佰元整"),
        (100_001_000, "壹亿零壹仟元整"),
        (5_300_009_030, "伍拾叁亿零玖仟零叁拾元整"),
        (100_000_001, "壹亿零壹元整"),
        (100_010_000, "壹亿零壹万元整"),
    ],
)
def test_upper_case_examples(yuan, expected):
    assert upper_case(yuan) == expected


def test_upper_case_rejects_what_documents_cannot_show():
    with pytest.raises(ValueError, match="负数"):
        upper_case(-1)
    with pytest.raises(ValueError, match="精确到分"):
        upper_case(Decimal("1.005"))
    with pytest.raises(ValueError, match="一万亿"):
        upper_case(10**12)
    with pytest.raises(TypeError, match="float"):
        upper_case(1.5)
    with pytest.raises(TypeError, match="bool"):
        upper_case(True)


def test_to_wan():
    assert to_wan(200_000) == "20.00"
    assert to_wan(2_000_000) == "200.00"
    assert to_wan(185_050) == "18.51"  # half up
    assert to_wan(185_049) == "18.50"
    assert to_wan(Decimal(50)) == "0.01"
    assert to_wan(0) == "0.00"


def test_to_wan_plain():
    assert to_wan_plain(200_000) == "20"
    assert to_wan_plain(185_000) == "18.5"
    assert to_wan_plain(258_300) == "25.83"
    assert to_wan_plain(123) == "0.0123"
    assert to_wan_plain(0) == "0"
    assert to_wan_plain(Decimal("2E+5")) == "20"


def test_format_yuan():
    assert format_yuan(200_000) == "200,000.00"
    assert format_yuan(Decimal("1234567.891")) == "1,234,567.89"
    assert format_yuan(Decimal("0.005")) == "0.01"
    assert format_yuan(5) == "5.00"


def test_float_refused():
    for function in (to_wan, to_wan_plain, format_yuan):
        with pytest.raises(TypeError):
            function(0.1)


@pytest.mark.parametrize(
    ("raw", "yuan"),
    [
        ("200000", 200_000),
        ("200,000", 200_000),
        ("20万", 200_000),
        ("20万元", 200_000),
        ("200000元", 200_000),
        ("20.5万", 205_000),
        ("0.35万", 3_500),
        (" ２００，０００ ", 200_000),
        ("￥200,000", 200_000),
        ("人民币20万元", 200_000),
        ("200,000.00", 200_000),
        ("1,000,000", 1_000_000),
        (300_000, 300_000),
        ("0", 0),
    ],
)
def test_parse_yuan(raw, yuan):
    assert parse_yuan(raw) == yuan


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "金额不能为空"),
        ("万", "金额不能为空"),
        ("-5", "金额不能为负数"),
        (-5, "金额不能为负数"),
        ("20.5", "应为整数元"),
        ("0.00001万", "应为整数元"),
        ("2,00,000", "无法识别"),
        ("二十万", "无法识别"),
        ("1e5", "无法识别"),
        ("20万万", "无法识别"),
    ],
)
def test_parse_yuan_errors(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_yuan(raw)


@pytest.mark.parametrize("raw", [True, 20.0, None])
def test_parse_yuan_refuses_other_types(raw):
    with pytest.raises(TypeError, match="金额应为文本或整数"):
        parse_yuan(raw)


whole_yuan = st.integers(min_value=0, max_value=10**12 - 1)
fen_amounts = st.integers(min_value=0, max_value=10**12 - 1).map(lambda c: Decimal(c) / 100)


@given(st.one_of(whole_yuan, fen_amounts))
def test_upper_case_has_no_arabic_digits(amount):
    text = upper_case(amount)
    assert not any(char.isdigit() for char in text)
    assert set(text) <= set(DIGITS + "拾佰仟万亿元角分整")


@given(st.one_of(whole_yuan, fen_amounts))
def test_upper_case_matches_independent_rules(amount):
    assert upper_case(amount) == reference_upper(Decimal(amount))


@given(whole_yuan)
def test_whole_yuan_end_with_zheng_and_round_trip(yuan):
    text = upper_case(yuan)
    assert text.endswith("元整")
    assert cn2an.cn2an(text, "smart") == yuan


@given(
    st.integers(min_value=1, max_value=10**7),
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=0, max_value=9),
)
def test_amounts_with_jiao_round_trip(whole, jiao, fen):
    # cn2an reads neither "零贰分" nor an amount without a yuan part, so the round trip
    # is checked where it can read the text back.
    amount = whole + Decimal(jiao * 10 + fen) / 100
    text = upper_case(amount)
    assert not text.endswith("整")
    assert Decimal(str(cn2an.cn2an(text, "smart"))) == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_round_trips_every_written_form(yuan):
    assert parse_yuan(str(yuan)) == yuan
    assert parse_yuan(f"{yuan:,}") == yuan
    assert parse_yuan(format_yuan(yuan)) == yuan
    assert parse_yuan(to_wan_plain(yuan) + "万") == yuan


@given(st.integers(min_value=0, max_value=10**15))
def test_to_wan_is_two_decimal_places(yuan):
    wan = to_wan(yuan)
    assert len(wan.split(".")[1]) == 2
    assert abs(Decimal(wan) * 10_000 - yuan) <= 50
