"""Reproducible random drawing of an expert panel (专家组) from the expert pool.

指南 三（二）5 and the other panel sub-programmes: 成立5人以上单数的专家组. Experts with a
conflict of interest must stand aside (回避). The draw is random but reproducible: the
same pool, criteria and seed always give the same panel, so an auditor can replay it.
The seed is hashed with SHA-256 into the state of ``random.Random`` and the eligible
candidates are sorted by id first, so neither the pool's order nor Python's string
hashing changes the result.
"""

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualityfund.domain.credit_code import normalise

UNAVAILABLE = "本次不能参加评审"
DECLARED_CONFLICT = "已申报回避"
SAME_EMPLOYER = "与申报单位为同一工作单位，须回避"
RELATED = "与申报单位存在关联关系，须回避"
NO_EXPERTISE = "专业领域与评审项目不符"
CONFLICT_AFTER_DRAW = "抽取后申报回避，已替换"


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
    """The panel in drawing order, every candidate set aside with the reason, the seed.

    ``replacements`` counts replacement draws so far; it is part of their seed.
    """

    members: list[str]
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
) -> Draw:
    """Replace a member who declares a conflict after the draw, reproducibly.

    The replacement comes from the same screening, minus the panel and everyone set
    aside before, drawn with the seed and the number of this replacement; the new member
    takes the conflicted member's place in the list.
    """
    if conflicted_id not in draw.members:
        raise DrawError(f"专家“{conflicted_id}”不是本专家组成员，无法替换")
    eligible, excluded = _screen(pool, expertise, applicant_codes, exclude)
    excluded = {**draw.excluded, **excluded, conflicted_id: CONFLICT_AFTER_DRAW}
    remaining = [c for c in eligible if c not in draw.members and c not in excluded]
    if not remaining:
        raise DrawError("没有可替换的符合条件的专家")
    count = draw.replacements + 1
    chosen = _rng(f"{draw.seed}#replacement-{count}").choice(remaining)
    members = [chosen if m == conflicted_id else m for m in draw.members]
    return Draw(members=members, excluded=excluded, seed=draw.seed, replacements=count)


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
