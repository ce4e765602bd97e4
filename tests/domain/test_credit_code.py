import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.credit_code import (
    ALPHABET,
    InvalidCreditCode,
    make_valid,
    normalise,
    validate,
)

# Published codes: 华为技术有限公司 and 腾讯科技（深圳）有限公司.
HUAWEI = "914403001922038216"
TENCENT = "9144030071526726XG"
CHARACTER_RULE = "只能使用数字和大写英文字母，且不使用字母I、O、Z、S、V"

prefixes = st.builds(
    lambda head, region, body: head + region + body,
    st.text(alphabet=ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)


def test_real_codes_validate():
    assert validate(HUAWEI) == HUAWEI
    assert validate(TENCENT) == TENCENT


def test_normalise_spaces_case_and_full_width():
    assert normalise(" 9144 0300\u300071526726xg\n") == TENCENT
    assert normalise("９１４４０３００７１５２６７２６ＸＧ") == TENCENT


def test_validate_returns_normalised_code():
    assert validate("9144030071526726xg") == TENCENT


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("91440300", "统一社会信用代码应为18位，当前为8位"),
        (HUAWEI + "0", "统一社会信用代码应为18位，当前为19位"),
        ("", "统一社会信用代码不能为空"),
        ("  ", "统一社会信用代码不能为空"),
        ("9144030019220382I6", "统一社会信用代码第17位“I”不合法：" + CHARACTER_RULE),
        ("91440300192203821-", "统一社会信用代码第18位“-”不合法：" + CHARACTER_RULE),
        ("9144A3001922038216", "统一社会信用代码第3至8位为登记管理机关行政区划码，应为数字"),
        ("914403001922038217", "统一社会信用代码校验位错误：第18位应为6"),
        ("9144030071526726XA", "统一社会信用代码校验位错误：第18位应为G"),
    ],
)
def test_validate_messages(raw, message):
    with pytest.raises(InvalidCreditCode) as caught:
        validate(raw)
    assert caught.value.message == message
    assert str(caught.value) == message


@pytest.mark.parametrize("letter", "IOZSV")
def test_unused_letters_rejected(letter):
    with pytest.raises(InvalidCreditCode, match="不使用字母"):
        validate("91440300" + letter + "1234567" + "8X")


def test_non_text_rejected():
    with pytest.raises(InvalidCreditCode, match="应为文本"):
        validate(914403001922038216)


def test_letters_allowed_in_first_two_positions():
    # Codes of registering authorities such as N (农业) or Y (其他) start with a letter.
    code = make_valid("N2440300MA5F00001")
    assert validate(code) == code


def test_make_valid_matches_real_code():
    assert make_valid(HUAWEI[:17]) == HUAWEI
    assert make_valid(TENCENT[:17].lower()) == TENCENT


def test_make_valid_rejects_bad_prefix():
    with pytest.raises(InvalidCreditCode, match="前17位应为17位，当前为3位"):
        make_valid("914")
    with pytest.raises(InvalidCreditCode, match="不合法"):
        make_valid("9144030019220382O")


@given(prefixes)
def test_every_made_code_validates(prefix):
    code = make_valid(prefix)
    assert len(code) == 18
    assert validate(code) == code


@given(prefixes, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_changing_one_character_fails(prefix, position, replacement):
    code = make_valid(prefix)
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(InvalidCreditCode):
        validate(changed)


@given(prefixes, st.lists(st.sampled_from([" ", "\u3000", "\t", "\n"]), max_size=5), st.data())
def test_lower_case_and_spaces_normalise(prefix, spaces, data):
    code = make_valid(prefix)
    messy = code.lower()
    for space in spaces:
        at = data.draw(st.integers(min_value=0, max_value=len(messy)))
        messy = messy[:at] + space + messy[at:]
    assert validate(messy) == code
