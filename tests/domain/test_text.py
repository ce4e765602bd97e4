"""Length limits and invisible characters in what people type."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.text import (
    TextError,
    check_length,
    check_name,
    check_text,
    describe,
    is_invisible,
)

# Letters, digits, punctuation and symbols (Chinese included) and the ordinary spaces.
visible = st.characters(categories=("L", "N", "P", "S"), exclude_characters=[
    chr(c) for c in (0x115F, 0x1160, 0x3164, 0xFFA0)]) | st.sampled_from([" ", "\u3000"])
names = st.text(visible, min_size=1, max_size=60)
# Everything the issue names, and a sample of each category a name refuses.
TROJANS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C,
                            0x200D, 0x2060, 0xFEFF)]
invisible = (st.sampled_from(TROJANS)
             | st.characters(categories=("Cc", "Cf", "Co", "Zl", "Zp"))
             | st.characters(categories=("Zs",), exclude_characters=[" ", "\u3000"])
             | st.sampled_from(["\u3164", "\ufe0f", "\u034f"]))


@given(names)
def test_a_visible_name_passes(name):
    check_name(name, 60, "单位名称")


@given(names, invisible, st.data())
def test_an_invisible_character_anywhere_in_a_name_is_refused_and_named(name, char, data):
    at = data.draw(st.integers(min_value=0, max_value=len(name)))
    with pytest.raises(TextError) as refused:
        check_name(name[:at] + char + name[at:], 200, "单位名称")
    message = str(refused.value)
    assert message.startswith("单位名称含有不可见字符 ")
    assert f"U+{ord(char):04X}（" in message


def test_the_messages_say_what_the_character_is():
    with pytest.raises(TextError, match=r"含有不可见字符 U\+202E（从右至左覆盖）"):
        check_name("深圳市甲\u202e司公限有", 200, "单位名称")
    assert describe("\u200b") == "U+200B（零宽空格）"
    assert describe("\ufeff") == "U+FEFF（零宽不换行空格（字节顺序标记））"
    assert describe("\u2067") == "U+2067（从右至左隔离）"
    assert describe("\x07") == "U+0007（控制字符）"
    assert describe("\u00a0") == "U+00A0（不换行空格）"
    assert describe("\ufe0f") == "U+FE0F（变体选择符）"


@given(st.text(max_size=80), st.integers(min_value=1, max_value=60))
def test_a_length_passes_exactly_up_to_the_limit(value, limit):
    if len(value) <= limit:
        check_length(value, limit, "项目简介")
    else:
        with pytest.raises(TextError) as refused:
            check_length(value, limit, "项目简介")
        assert str(refused.value).startswith(f"项目简介不能超过{limit}字（当前{len(value)}字）")


@given(st.text(st.characters(categories=("L", "N", "P", "S", "Zs")) | st.sampled_from(
    ["\n", "\r", "\t", "\u200b", "\u202e"]), max_size=200))
def test_free_text_keeps_line_breaks_and_what_is_typed(value):
    check_text(value, 200, "异议内容")


@given(st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), max_size=50),
       st.characters(categories=("Cc",), exclude_characters=["\t", "\n", "\r"]))
def test_free_text_refuses_controls_no_keyboard_types(value, control):
    with pytest.raises(TextError, match=rf"异议内容含有不可见字符 U\+{ord(control):04X}"):
        check_text(value + control, 200, "异议内容")


@given(st.characters())
def test_invisible_is_what_a_reader_cannot_see(char):
    category = unicodedata.category(char)
    if category[0] in "LNPS" and char not in "\u115f\u1160\u3164\uffa0":
        assert not is_invisible(char)
    if category in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"):
        assert is_invisible(char)
