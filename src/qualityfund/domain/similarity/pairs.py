"""Flagging pairs of applications whose content overlaps, and saying what the overlap suggests.

指南 二（五） and 七（七）5: no funding where a project 向市有关部门相关项目资助计划多头或重复申报,
or where 本属同一完整事项的项目刻意分拆、虚假包装成两个及以上项目并多头申报. The detector cannot
prove either; it lists the pairs an officer should read side by side, each with a kind:

- "duplicate" (多头或重复申报): the same organisation, and either an application of the year
  with Jaccard similarity >= threshold to another of its applications of that year (whatever
  the sub-programme), or one whose overlap with a project of another year reaches the
  threshold in containment (re-filing all or part of a project already funded).
- "split" (刻意分拆): two applications of the same organisation in the same year that are not
  duplicates, where either the smaller shares at least `threshold` of its content with the other
  (a piece of the other, or two pieces sharing the framing of one plan), or each has at least
  `threshold` of its own content inside a third document of that organisation, the whole they
  were cut from (reported as `whole`; e.g. a project funded last year, cut in two this year).
- "similar": different organisations with containment >= threshold (possible copying).

Containment is |A∩B| / min(|A|, |B|) on shingles: unlike Jaccard similarity it stays high when
one text is a part of a much larger one. It is never below the Jaccard similarity, so a pair
qualifies for any kind exactly when its containment reaches the threshold.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from qualityfund.domain.similarity.index import NearDuplicateIndex
from qualityfund.domain.similarity.signature import signature
from qualityfund.domain.similarity.text import shingles

Kind = Literal["duplicate", "split", "similar"]

# Texts with fewer shingles (about this many characters) say too little to be judged.
MIN_SHINGLES = 50

# With 128 MinHash values a Jaccard estimate has a standard error of at most 0.044; a containment
# estimate about as much for texts of equal size, more for a small text against a large one.
# Candidates are fetched this far below the threshold (never below half of it, so that a low
# threshold does not fetch the whole index) and then measured exactly.
ESTIMATE_MARGIN = 0.15


def _fetch_floor(threshold: float) -> float:
    return max(threshold - ESTIMATE_MARGIN, threshold / 2)


@dataclass(frozen=True)
class Document:
    """What is compared of an application or funded project; text = name + summary + reports."""

    id: str
    org: str  # 统一社会信用代码
    year: int
    subprogramme: str | None
    title: str
    text: str


@dataclass(frozen=True)
class Pair:
    """Two documents (a < b by id) flagged together; similarity is their exact Jaccard
    similarity on shingles, containment the share of the smaller one found in the other."""

    a: str
    b: str
    similarity: float
    kind: Kind
    containment: float
    whole: str | None = None  # for a split found through the document both pieces came from


@dataclass(frozen=True)
class _Overlap:
    jaccard: float
    containment: float
    contained_in_other: float  # share of the first document found in the second


def _overlap(a: set[str], b: set[str]) -> _Overlap:
    common = len(a & b)
    union = len(a) + len(b) - common
    return _Overlap(
        jaccard=common / union if union else 1.0,
        containment=common / min(len(a), len(b)) if a and b else float(a == b),
        contained_in_other=common / len(a) if a else 1.0,
    )


def similarity(a_text: str, b_text: str) -> float:
    """Exact Jaccard similarity of the two texts' shingles (1.0 for two texts with none)."""
    return _overlap(shingles(a_text), shingles(b_text)).jaccard


def _kind(doc: Document, other: Document, overlap: _Overlap, threshold: float) -> Kind | None:
    if overlap.containment < threshold:
        return None
    if doc.org != other.org:
        return "similar"
    if doc.year != other.year or overlap.jaccard >= threshold:
        return "duplicate"
    return "split"


def _pair(a: str, b: str, overlap: _Overlap, kind: Kind, whole: str | None = None) -> Pair:
    first, second = sorted((a, b))
    return Pair(first, second, overlap.jaccard, kind, overlap.containment, whole)


class _Measured:
    """Shingle sets and signatures of the documents in docs_by_id, each computed once."""

    def __init__(self, docs_by_id: Mapping[str, Document]) -> None:
        self.docs_by_id = docs_by_id
        self._shingles: dict[str, set[str]] = {}
        self._signatures: dict[str, bytes] = {}

    def shingles(self, doc_id: str) -> set[str]:
        if doc_id not in self._shingles:
            self._shingles[doc_id] = shingles(self.docs_by_id[doc_id].text)
        return self._shingles[doc_id]

    def signature(self, doc_id: str) -> bytes:
        if doc_id not in self._signatures:
            self._signatures[doc_id] = signature(self.docs_by_id[doc_id].text)
        return self._signatures[doc_id]


def _by_containment(pair: Pair) -> tuple[float, str, str]:
    return -pair.containment, pair.a, pair.b


def check_one(
    doc: Document,
    index: NearDuplicateIndex,
    docs_by_id: Mapping[str, Document],
    threshold: float = 0.5,
) -> list[Pair]:
    """Pairs of `doc` with the indexed documents, highest containment first.

    docs_by_id must hold every indexed document (a lazy mapping is enough: only candidates are
    looked up). The index proposes candidates from estimates; every reported figure is then
    measured exactly on the texts. `doc` may be in the index (perhaps in an older version): it
    is not paired with itself.
    """
    measured = _Measured(docs_by_id)
    return _check(doc, shingles(doc.text), signature(doc.text), index, measured, threshold)


def _check(
    doc: Document,
    mine: set[str],
    my_signature: bytes,
    index: NearDuplicateIndex,
    measured: _Measured,
    threshold: float,
) -> list[Pair]:
    if len(mine) < MIN_SHINGLES:
        return []
    found: dict[str, Pair] = {}
    wholes = []
    for other_id, _ in index.query_containment(my_signature, _fetch_floor(threshold)):
        if other_id == doc.id or len(measured.shingles(other_id)) < MIN_SHINGLES:
            continue
        other = measured.docs_by_id[other_id]
        overlap = _overlap(mine, measured.shingles(other_id))
        kind = _kind(doc, other, overlap, threshold)
        if kind:
            found[other_id] = _pair(doc.id, other_id, overlap, kind)
        if other.org == doc.org and overlap.contained_in_other >= threshold:
            wholes.append(other)
    for whole in wholes:
        for piece in _pieces(doc, whole, index, measured, threshold):
            if piece.id not in found:
                overlap = _overlap(mine, measured.shingles(piece.id))
                found[piece.id] = _pair(doc.id, piece.id, overlap, "split", whole.id)
    return sorted(found.values(), key=_by_containment)


def _pieces(
    doc: Document,
    whole: Document,
    index: NearDuplicateIndex,
    measured: _Measured,
    threshold: float,
) -> Iterable[Document]:
    """The organisation's other applications of the year that, like `doc`, have at least
    `threshold` of their content inside `whole` (one more pass over the index per whole; an
    organisation has few documents that contain another of its own)."""
    whole_set = measured.shingles(whole.id)
    for piece_id, _ in index.query_containment(
        measured.signature(whole.id), _fetch_floor(threshold)
    ):
        piece = measured.docs_by_id[piece_id]
        if (
            piece_id not in (doc.id, whole.id)
            and piece.org == doc.org
            and piece.year == doc.year
            and len(measured.shingles(piece_id)) >= MIN_SHINGLES
            and _overlap(measured.shingles(piece_id), whole_set).contained_in_other >= threshold
        ):
            yield piece


def find_pairs(
    docs: list[Document], earlier: Iterable[Document] = (), threshold: float = 0.5
) -> list[Pair]:
    """Every flagged pair among the year's applications `docs` and between them and the
    projects of earlier years (pairs of two earlier projects are not examined)."""
    docs_by_id = {doc.id: doc for doc in [*earlier, *docs]}
    measured = _Measured(docs_by_id)
    index = NearDuplicateIndex.from_signatures((i, measured.signature(i)) for i in docs_by_id)
    found: dict[tuple[str, str], Pair] = {}
    for doc in docs:
        mine, my_signature = measured.shingles(doc.id), measured.signature(doc.id)
        for pair in _check(doc, mine, my_signature, index, measured, threshold):
            found.setdefault((pair.a, pair.b), pair)
    return sorted(found.values(), key=_by_containment)
