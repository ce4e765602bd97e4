"""The hash chain's pure functions: one canonical form per content, SM3 where available."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain import hashchain

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


def test_sm3_is_the_national_standard_hash_here():
    assert hashchain.preferred_algorithm() == "sm3"
    # GB/T 32905-2016, appendix A, example 1
    assert hashchain.digest("sm3", b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")


@given(JSON)
def test_content_digests_the_same_after_a_trip_through_a_json_column(value):
    content = {"data": value, "action": "x"}
    travelled = json.loads(json.dumps(content))
    assert hashchain.canonical(travelled) == hashchain.canonical(content)


@given(st.dictionaries(st.text(), st.integers(), min_size=2))
def test_key_order_does_not_matter(content):
    reordered = dict(reversed(list(content.items())))
    assert hashchain.content_digest("sm3", reordered) == hashchain.content_digest("sm3", content)


@given(st.text(), st.text())
def test_different_content_different_digest(a, b):
    same = hashchain.content_digest("sm3", {"v": a}) == hashchain.content_digest("sm3", {"v": b})
    assert same == (a == b)


def test_a_whole_float_digests_as_the_integer_postgresql_prints():
    assert hashchain.canonical({"v": 1e16}) == hashchain.canonical({"v": 10**16})
    assert hashchain.canonical({"v": 85.5}) == b'{"v":85.5}'


def test_each_link_hash_binds_previous_position_record_and_digest():
    base = hashchain.link_hash("sm3", hashchain.GENESIS, 1, 7, "ab")
    assert base != hashchain.link_hash("sm3", hashchain.GENESIS, 2, 7, "ab")
    assert base != hashchain.link_hash("sm3", hashchain.GENESIS, 1, 8, "ab")
    assert base != hashchain.link_hash("sm3", hashchain.GENESIS, 1, 7, "ac")
    assert base != hashchain.link_hash("sha256", hashchain.GENESIS, 1, 7, "ab")


def test_an_unknown_algorithm_is_refused():
    with pytest.raises(ValueError, match="md5"):
        hashchain.digest("md5", b"x")
