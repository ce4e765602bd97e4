"""Reproducible random drawing of an expert panel (专家组) from the expert pool.

指南 三（二）5 and the other panel sub-programmes: 成立5人以上单数的专家组. Experts with a
conflict of interest must stand aside (回避). The draw is random but reproducible: the
same pool, criteria and seed always give the same panel, so an auditor can replay it.
The seed is hashed with SHA-256 into the state of ``random.Random`` and the eligible
candidates are sorted by id first, so neither the pool's order nor Python's string
hashing changes the result.

Nobody chooses a seed: ``fresh_seed`` takes one from the operating system's CSPRNG, and its
``commitment`` (SM3 where OpenSSL provides it, else SHA-256) is recorded before the draw and
the seed after it, so a replay shows that the seed drawn with is the one fixed beforehand.

A seat left empty (a conflict with nobody eligible to replace it) is ``None`` in
``Draw.members``; ``fill`` draws for it from a wider field.
"""

import hashlib
import hmac
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualityfund.domain.credit_code import normalise

UNAVAILABLE = "本次不能参加评审"
DECLARED_CONFLICT = "已申报回避"
SAME_EMPLOYER = "与申报单位为同一工作单位，须回避"
RELATED = "与申报单位存在关联关系，须回避"
NO_EXPERTISE = "专业领域与评审项目不符"
CONFLICT_AFTER_DRAW = "抽取后申报回避，已替换"
CONFLICT_LEFT_EMPTY = "抽取后申报回避，无可替换专家，席位空缺"
SEED_BYTES = 32


def fresh_seed() -> str:
    """A seed nobody chose: 256 bits from the CSPRNG (``secrets``), as hex."""
    return secrets.token_hex(SEED_BYTES)


def hash_algorithm() -> str:
    """SM3 (GB/T 32905) where the platform's OpenSSL provides it, else SHA-256."""
    try:
        hashlib.new("sm3")
    except ValueError:
        return "sha256"
    return "sm3"


def commitment(seed: str, algorithm: str | None = None) -> tuple[str, str]:
    """(algorithm, hex digest) of ``seed``: recorded before the draw, checked by the replay."""
    algorithm = algorithm or hash_algorithm()
    return algorithm, hashlib.new(algorithm, seed.encode("utf-8")).hexdigest()


def commitment_holds(seed: str, algorithm: str, digest: str) -> bool:
    return hmac.compare_digest(commitment(seed, algorithm)[1], digest)


class DrawError(ValueError):
    """The panel cannot be drawn as asked; the message says why, in Chinese."""


@dataclass(frozen=True)
class Candidate:
    """An expert of the pool; codes are the credit codes of organisations."""

    id: str
    expertise: frozenset[str]
    employer_code: str
    related_codes: frozenset[str] = frozenset()
    available: bool = True


@dataclass(frozen=True)
class Draw:
    """The panel seat by seat (``None`` for a vacant seat), every candidate set aside with
    the reason, the seed.

    ``replacements`` counts replacement draws so far; a replacement recorded before each one
    had a seed of its own drew with the panel's seed and that count.
    """

    members: list[str | None]
    excluded: dict[str, str]
    seed: str
    replacements: int = 0


def draw_panel(
    pool: Sequence[Candidate],
    *,
    size: int,
    expertise: Iterable[str],
    applicant_codes: Iterable[str],
    seed: str,
    exclude: Iterable[str] = (),
) -> Draw:
    """Draw ``size`` experts at random among those with no conflict and matching expertise."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 5 or size % 2 == 0:
        raise DrawError(f"专家组人数应为5人以上单数，当前为{size}人")
    if not isinstance(seed, str) or not seed:
        raise DrawError("抽取种子不能为空")
    eligible, excluded = _screen(pool, expertise, applicant_codes, exclude)
    if len(eligible) < size:
        raise DrawError(f"符合条件的专家仅{len(eligible)}人，不足专家组所需的{size}人")
    members = _rng(seed).sample(eligible, size)
    return Draw(members=members, excluded=excluded, seed=seed)


def replacement(
    draw: Draw,
    conflicted_id: str,
    pool: Sequence[Candidate],
    *,
    expertise: Iterable[str],
    applicant_codes: Iterable[str],
    exclude: Iterable[str] = (),
    seed: str | None = None,
) -> Draw:
    """Replace a member who declares a conflict after the draw, reproducibly.

    The replacement comes from the same screening, minus the panel and everyone set aside
    before, drawn with ``seed`` (``None``: the panel's seed and the replacement's number, as
    replacements were drawn before each had its own); the new member takes the conflicted
    member's seat. DrawError when nobody is left: see ``vacate``.
    """
    if conflicted_id not in draw.members:
        raise DrawError(f"专家“{conflicted_id}”不是本专家组成员，无法替换")
    eligible, excluded = _screen(pool, expertise, applicant_codes, exclude)
    excluded = {**draw.excluded, **excluded, conflicted_id: CONFLICT_AFTER_DRAW}
    remaining = [c for c in eligible if c not in draw.members and c not in excluded]
    if not remaining:
        raise DrawError("没有可替换的符合条件的专家")
    count = draw.replacements + 1
    chosen = _rng(seed or f"{draw.seed}#replacement-{count}").choice(remaining)
    members = [chosen if m == conflicted_id else m for m in draw.members]
    return Draw(members=members, excluded=excluded, seed=draw.seed, replacements=count)


def vacate(draw: Draw, conflicted_id: str) -> Draw:
    """The conflicted member leaves and nobody can replace them: their seat stays empty."""
    if conflicted_id not in draw.members:
        raise DrawError(f"专家“{conflicted_id}”不是本专家组成员")
    return Draw(members=[None if m == conflicted_id else m for m in draw.members],
                excluded={**draw.excluded, conflicted_id: CONFLICT_LEFT_EMPTY},
                seed=draw.seed, replacements=draw.replacements)


def fill(
    draw: Draw,
    seat: int,
    pool: Sequence[Candidate],
    *,
    expertise: Iterable[str],
    applicant_codes: Iterable[str],
    exclude: Iterable[str] = (),
    seed: str,
) -> Draw:
    """Draw an expert for the vacant ``seat`` (1-based) from a wider field, reproducibly.

    ``pool`` and ``expertise`` may be wider than the first draw's (a pool grown since, more
    fields of expertise); the same conflicts are screened out, and neither a member nor
    anyone who declared a conflict on the panel comes back.
    """
    if not 1 <= seat <= len(draw.members) or draw.members[seat - 1] is not None:
        raise DrawError(f"第{seat}席没有空缺")
    eligible, excluded = _screen(pool, expertise, applicant_codes, exclude)
    remaining = [c for c in eligible if c not in draw.members and draw.excluded.get(c) not in (
        CONFLICT_AFTER_DRAW, CONFLICT_LEFT_EMPTY)]
    if not remaining:
        raise DrawError("扩大范围后仍没有符合条件的专家")
    chosen = _rng(seed).choice(remaining)
    members = [chosen if position == seat - 1 else m for position, m in enumerate(draw.members)]
    return Draw(members=members, excluded={**draw.excluded, **excluded}, seed=draw.seed,
                replacements=draw.replacements)


def _screen(
    pool: Sequence[Candidate],
    expertise: Iterable[str],
    applicant_codes: Iterable[str],
    exclude: Iterable[str],
) -> tuple[list[str], dict[str, str]]:
    """The eligible ids, sorted, and the reasons for everyone else."""
    wanted = set(expertise)
    if not wanted:
        raise DrawError("应至少指定一个评审专业领域")
    applicants = {normalise(code) for code in applicant_codes}
    declared = set(exclude)
    ids = [c.id for c in pool]
    if len(set(ids)) != len(ids):
        raise DrawError("专家库中存在重复的专家编号")
    eligible: list[str] = []
    excluded: dict[str, str] = {}
    for candidate in sorted(pool, key=lambda c: c.id):
        reasons = []
        if not candidate.available:
            reasons.append(UNAVAILABLE)
        if candidate.id in declared:
            reasons.append(DECLARED_CONFLICT)
        if normalise(candidate.employer_code) in applicants:
            reasons.append(SAME_EMPLOYER)
        if {normalise(code) for code in candidate.related_codes} & applicants:
            reasons.append(RELATED)
        if not candidate.expertise & wanted:
            reasons.append(NO_EXPERTISE)
        if reasons:
            excluded[candidate.id] = "；".join(reasons)
        else:
            eligible.append(candidate.id)
    return eligible, excluded


def _rng(seed: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big"))
