import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.inspection import count_words


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("   \n\t\u3000", 0),
    ("质量品牌", 4),
    ("质量，品牌。", 6),                 # full-width punctuation counts
    ("“卓越绩效”（GB/T 19580）", 10),    # “ 卓越绩效 ” （ GB/T 19580 ）: 1+4+1+1+1+1+1
    ("依据GB/T 19580评审，得分75%。", 11),
    ("KPI", 1),
    ("KPI,ROI", 1),                      # ASCII punctuation joins a run
    ("2024年", 2),
    ("A B  C", 3),
    ("ＡＢＣ１２３", 6),                  # full-width letters are East Asian characters
    ("한국어", 3),
    ("第1章", 3),
])
def test_word_convention(text, expected):
    assert count_words(text) == expected


def test_the_guide_sentence():
    # 指南 三（七）: "报告字数限3万字以内。" → 报告字数限(5) 3(1) 万字以内(4) 。(1)
    assert count_words("报告字数限3万字以内。") == 11


cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=50)
latin = st.text(alphabet="abcXYZ0189-/.%", min_size=1, max_size=10)


@given(cjk)
def test_each_ideograph_is_one(text):
    assert count_words(text) == len(text)


@given(st.lists(latin, max_size=20))
def test_each_latin_run_is_one(runs):
    assert count_words(" ".join(runs)) == len(runs)


@given(st.text(max_size=200), st.text(max_size=200))
def test_whitespace_separated_parts_add_up(left, right):
    assert count_words(left + " " + right) == count_words(left) + count_words(right)


@given(st.text(max_size=200))
def test_never_more_than_the_visible_characters(text):
    assert count_words(text) <= len("".join(text.split()))
