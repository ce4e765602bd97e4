import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.credit_code import make_valid
from qualityfund.domain.drawing import (
    CONFLICT_AFTER_DRAW,
    CONFLICT_LEFT_EMPTY,
    DECLARED_CONFLICT,
    NO_EXPERTISE,
    RELATED,
    SAME_EMPLOYER,
    UNAVAILABLE,
    Candidate,
    Draw,
    DrawError,
    commitment,
    commitment_holds,
    draw_panel,
    fill,
    fresh_seed,
    hash_algorithm,
    replacement,
    vacate,
)

CODES = [make_valid(f"91440300MA5G{n:05d}") for n in range(12)]
APPLICANT = CODES[0]


def expert(n, expertise=("标准化",), employer=5, related=(), available=True):
    return Candidate(
        id=f"e{n:02d}",
        expertise=frozenset(expertise),
        employer_code=CODES[employer],
        related_codes=frozenset(CODES[r] for r in related),
        available=available,
    )


POOL = [expert(n, employer=1 + n % 10) for n in range(12)]
ARGS = {"expertise": {"标准化"}, "applicant_codes": {APPLICANT}}


def test_draw_is_reproducible_and_sized():
    first = draw_panel(POOL, size=5, seed="2025-brand-panel-1", **ARGS)
    again = draw_panel(list(reversed(POOL)), size=5, seed="2025-brand-panel-1", **ARGS)
    assert first == again
    assert len(first.members) == len(set(first.members)) == 5
    assert first.seed == "2025-brand-panel-1"
    assert first.replacements == 0


def test_different_seeds_differ():
    panels = {tuple(draw_panel(POOL, size=5, seed=f"s{n}", **ARGS).members) for n in range(20)}
    assert len(panels) > 1


def test_exclusions_with_reasons():
    pool = [
        expert(0, available=False),
        expert(1, employer=0),
        expert(2, related=(0,)),
        expert(3, expertise=("计量",)),
        expert(4),
        *[expert(n) for n in range(5, 11)],
    ]
    draw = draw_panel(
        pool,
        size=5,
        expertise={"标准化", "认证"},
        applicant_codes={APPLICANT.lower()},
        seed="x",
        exclude={"e04"},
    )
    assert draw.excluded == {
        "e00": UNAVAILABLE,
        "e01": SAME_EMPLOYER,
        "e02": RELATED,
        "e03": NO_EXPERTISE,
        "e04": DECLARED_CONFLICT,
    }
    assert set(draw.members) <= {f"e{n:02d}" for n in range(5, 11)}


def test_several_reasons_are_all_given():
    pool = [expert(0, expertise=("计量",), employer=0, available=False)] + POOL[1:]
    draw = draw_panel(pool, size=5, seed="x", **ARGS)
    assert draw.excluded["e00"] == f"{UNAVAILABLE}；{SAME_EMPLOYER}；{NO_EXPERTISE}"


@pytest.mark.parametrize("size", [3, 4, 6, 0, -5, True])
def test_size_must_be_odd_and_at_least_five(size):
    with pytest.raises(DrawError, match="专家组人数应为5人以上单数"):
        draw_panel(POOL, size=size, seed="x", **ARGS)


def test_not_enough_candidates():
    with pytest.raises(DrawError, match="符合条件的专家仅12人，不足专家组所需的13人"):
        draw_panel(POOL, size=13, seed="x", **ARGS)


def test_bad_requests():
    with pytest.raises(DrawError, match="种子"):
        draw_panel(POOL, size=5, seed="", **ARGS)
    with pytest.raises(DrawError, match="专业领域"):
        draw_panel(POOL, size=5, seed="x", expertise=set(), applicant_codes=set())
    with pytest.raises(DrawError, match="重复"):
        draw_panel([*POOL, POOL[0]], size=5, seed="x", **ARGS)


def test_replacement_is_reproducible_and_keeps_the_place():
    draw = draw_panel(POOL, size=5, seed="s", **ARGS)
    out = draw.members[2]
    new = replacement(draw, out, POOL, **ARGS)
    assert new == replacement(draw, out, POOL, **ARGS)
    assert new.members[:2] == draw.members[:2]
    assert new.members[3:] == draw.members[3:]
    assert new.members[2] not in draw.members
    assert new.excluded[out] == CONFLICT_AFTER_DRAW
    assert new.replacements == 1
    assert new.seed == draw.seed


def test_replaced_expert_never_comes_back():
    draw = draw_panel(POOL, size=5, seed="s", **ARGS)
    gone = set()
    for _ in range(7):
        gone.add(draw.members[0])
        draw = replacement(draw, draw.members[0], POOL, **ARGS)
        assert not gone & set(draw.members)
    assert draw.replacements == 7
    with pytest.raises(DrawError, match="没有可替换"):
        replacement(draw, draw.members[0], POOL, **ARGS)


def test_replacement_of_a_non_member():
    draw = draw_panel(POOL, size=5, seed="s", **ARGS)
    outsider = next(c.id for c in POOL if c.id not in draw.members)
    with pytest.raises(DrawError, match="不是本专家组成员"):
        replacement(draw, outsider, POOL, **ARGS)


def test_draw_type():
    assert isinstance(draw_panel(POOL, size=5, seed="s", **ARGS), Draw)


candidates = st.builds(
    Candidate,
    id=st.sampled_from([f"e{n:02d}" for n in range(40)]),
    expertise=st.frozensets(st.sampled_from(["标准化", "计量", "认证", "品牌"]), max_size=2),
    employer_code=st.sampled_from(CODES),
    related_codes=st.frozensets(st.sampled_from(CODES), max_size=2),
    available=st.booleans(),
)
pools = st.lists(candidates, max_size=40, unique_by=lambda c: c.id)


@given(
    pools,
    st.sampled_from([5, 7, 9]),
    st.sets(st.sampled_from(["标准化", "计量", "认证", "品牌"]), min_size=1),
    st.sets(st.sampled_from(CODES), max_size=3),
    st.text(min_size=1, max_size=10),
    st.sets(st.sampled_from([f"e{n:02d}" for n in range(40)]), max_size=5),
    st.randoms(),
)
def test_draw_properties(pool, size, expertise, applicants, seed, exclude, random):
    args = {
        "size": size,
        "expertise": expertise,
        "applicant_codes": applicants,
        "seed": seed,
        "exclude": exclude,
    }
    try:
        draw = draw_panel(pool, **args)
    except DrawError:
        eligible = [
            c
            for c in pool
            if c.available
            and c.id not in exclude
            and c.employer_code not in applicants
            and not c.related_codes & applicants
            and c.expertise & expertise
        ]
        assert len(eligible) < size
        return
    shuffled = list(pool)
    random.shuffle(shuffled)
    assert draw_panel(shuffled, **args) == draw
    assert len(draw.members) == len(set(draw.members)) == size
    assert not set(draw.members) & set(draw.excluded)
    by_id = {c.id: c for c in pool}
    for member in draw.members:
        c = by_id[member]
        assert c.available
        assert member not in exclude
        assert c.employer_code not in applicants
        assert not c.related_codes & applicants
        assert c.expertise & expertise
    assert set(draw.members) | set(draw.excluded) <= set(by_id)


def test_seeds_come_from_the_csprng_and_never_repeat():
    seeds = {fresh_seed() for _ in range(200)}
    assert len(seeds) == 200 and all(len(s) == 64 for s in seeds)
    int(next(iter(seeds)), 16)  # hex


def test_commitment_is_sm3_where_openssl_has_it():
    algorithm, digest = commitment("abc")
    assert algorithm == hash_algorithm() == "sm3"  # the platform's OpenSSL provides SM3
    # GB/T 32905-2016, example 1
    assert digest == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert commitment("abc", "sha256")[1] == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    assert commitment_holds("abc", algorithm, digest)
    assert not commitment_holds("abd", algorithm, digest)


@given(st.text(max_size=40), st.text(max_size=40))
def test_a_commitment_holds_only_for_its_own_seed(seed, other):
    algorithm, digest = commitment(seed)
    assert commitment_holds(other, algorithm, digest) is (other == seed)


def test_a_replacement_with_its_own_seed_is_reproducible():
    draw = draw_panel(POOL, size=5, seed="s", **ARGS)
    out = draw.members[1]
    picks = {replacement(draw, out, POOL, seed=f"r{n}", **ARGS).members[1] for n in range(30)}
    assert len(picks) > 1 and draw.members[1] not in picks
    assert replacement(draw, out, POOL, seed="r1", **ARGS) == replacement(
        draw, out, POOL, seed="r1", **ARGS)


def test_a_seat_left_empty_is_filled_from_a_wider_field():
    pool = [*POOL[:6], expert(20, expertise=("计量",)), expert(21, expertise=("计量",))]
    draw = draw_panel(pool, size=5, seed="s", **ARGS)  # 5 of the 6 标准化 experts
    first = draw.members[0]
    draw = replacement(draw, first, pool, exclude={first}, **ARGS)  # the sixth comes in
    gone = draw.members[2]
    with pytest.raises(DrawError, match="没有可替换"):
        replacement(draw, gone, pool, exclude={first, gone}, **ARGS)
    empty = vacate(draw, gone)
    assert empty.members[2] is None and empty.excluded[gone] == CONFLICT_LEFT_EMPTY
    with pytest.raises(DrawError, match="扩大范围后仍没有"):
        fill(empty, 3, pool, expertise={"标准化"}, applicant_codes={APPLICANT},
             exclude={first, gone}, seed="f")
    filled = fill(empty, 3, pool, expertise={"标准化", "计量"}, applicant_codes={APPLICANT},
                  exclude={first, gone}, seed="f")
    assert filled.members[2] in {"e20", "e21"}
    assert filled.members[:2] == empty.members[:2] and filled.members[3:] == empty.members[3:]
    assert filled == fill(empty, 3, pool, expertise={"标准化", "计量"},
                          applicant_codes={APPLICANT}, exclude={first, gone}, seed="f")
    with pytest.raises(DrawError, match="没有空缺"):
        fill(filled, 3, pool, expertise={"计量"}, applicant_codes={APPLICANT}, seed="f")


@given(pools, st.sets(st.sampled_from(["标准化", "计量", "认证", "品牌"]), min_size=1),
       st.text(min_size=1, max_size=8), st.integers(0, 4))
def test_a_filled_seat_never_takes_a_member_or_a_conflicted_expert(pool, wider, seed, seat):
    try:
        draw = draw_panel(pool, size=5, seed="s", expertise={"标准化"}, applicant_codes=set())
    except DrawError:
        return
    gone = draw.members[seat]
    empty = vacate(draw, gone)
    try:
        filled = fill(empty, seat + 1, pool, expertise=wider | {"标准化"}, applicant_codes=set(),
                      exclude={gone}, seed=seed)
    except DrawError:
        return
    chosen = filled.members[seat]
    assert chosen not in draw.members and chosen != gone
    assert {c.id: c for c in pool}[chosen].available
