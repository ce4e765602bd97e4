"""Near-duplicate detection across applications and earlier funded projects (指南 二（五）,
七（七）5: 多头或重复申报, 刻意分拆), in plain Python with no Django."""

from qualityfund.domain.similarity.index import NearDuplicateIndex
from qualityfund.domain.similarity.pairs import (
    Document,
    Pair,
    check_one,
    find_pairs,
    similarity,
)
from qualityfund.domain.similarity.passages import Passage, matching_passages
from qualityfund.domain.similarity.signature import NUM_PERM, signature
from qualityfund.domain.similarity.text import shingles, tokens, without_boilerplate

__all__ = [
    "NUM_PERM",
    "Document",
    "NearDuplicateIndex",
    "Pair",
    "Passage",
    "check_one",
    "find_pairs",
    "matching_passages",
    "shingles",
    "signature",
    "similarity",
    "tokens",
    "without_boilerplate",
]
