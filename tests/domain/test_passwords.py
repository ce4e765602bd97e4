"""The password rule: 12 characters of at least three kinds, with a Chinese reason."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain import passwords

KINDS = {"大写字母": string.ascii_uppercase, "小写字母": string.ascii_lowercase,
         "数字": string.digits, "符号": "-_!@#.，。中文"}


@given(st.text(max_size=40))
def test_a_password_passes_exactly_when_long_enough_with_three_kinds(password):
    meets = len(password) >= 12 and len(passwords.classes(password)) >= 3
    assert (passwords.problem(password) is None) == meets


@given(st.text(min_size=1, max_size=40))
def test_every_character_has_one_of_the_four_kinds(password):
    assert passwords.classes(password) <= set(passwords.CLASS_NAMES)


@given(st.sampled_from(sorted(KINDS)), st.integers(min_value=12, max_value=40))
def test_one_kind_however_long_is_refused(kind, length):
    password = (KINDS[kind] * 40)[:length]
    assert passwords.problem(password) is not None


@given(st.lists(st.sampled_from(sorted(KINDS)), min_size=3, max_size=4, unique=True))
def test_three_kinds_of_twelve_characters_pass(kinds):
    password = "".join(KINDS[k][i % len(KINDS[k])] for i in range(12) for k in kinds)[:12]
    assert len(passwords.classes(password)) >= 3 and passwords.problem(password) is None


@pytest.mark.parametrize("password", ["Short-1a", "alllowercaseletters", "abcdefgh1234"])
def test_the_reason_names_the_rule_and_what_was_given(password):
    reason = passwords.problem(password)
    assert reason.startswith("密码至少须有12个字符，并包含大写字母、小写字母、数字、符号中的至少3类")
    assert f"当前{len(password)}个字符" in reason


def test_the_readmes_demo_password_meets_the_rule():
    assert passwords.problem("demo-pass-2025") is None
