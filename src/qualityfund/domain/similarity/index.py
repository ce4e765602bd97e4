"""An in-memory index of MinHash signatures answering "which stored documents resemble this one".

The index compares a query with every stored signature in one vectorised numpy pass instead of
using LSH banding. Measured with 100,000 signatures of 128 values: the pass takes about 10 ms
and the index holds 53 MB, while datasketch's MinHashLSH (threshold 0.3) took 10 s to fill and 1.3 GB of memory.
The pass also has no recall floor, and it can rank by estimated containment (how much of the
smaller text is found in the other), which banding on Jaccard similarity cannot: a piece cut
from a larger project has a low Jaccard similarity to it however completely it is contained.
"""

from collections.abc import Iterable

import numpy as np

from qualityfund.domain.similarity.signature import NUM_PERM, RECORD, unpack


class NearDuplicateIndex:
    """Signatures by document id; add, replace and remove are O(1) amortised."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._records = np.zeros(0, dtype=RECORD)

    @classmethod
    def from_signatures(cls, pairs: Iterable[tuple[str, bytes]]) -> "NearDuplicateIndex":
        """Build from many (doc_id, signature) pairs at once, a later duplicate id winning."""
        index = cls()
        ids: list[str] = []
        blobs: list[bytes] = []
        for doc_id, data in pairs:
            ids.append(doc_id)
            blobs.append(data)
        records = unpack(b"".join(blobs))
        if len(records) != len(ids):
            raise ValueError("every signature must be exactly one record long")
        last = {doc_id: row for row, doc_id in enumerate(ids)}
        keep = sorted(last.values())
        index._ids = [ids[row] for row in keep]
        index._row = {doc_id: row for row, doc_id in enumerate(index._ids)}
        index._records = records[keep]
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row

    def add(self, doc_id: str, data: bytes) -> None:
        """Store the document's signature, replacing any it had."""
        (record,) = unpack(data)
        row = self._row.get(doc_id)
        if row is None:
            row = len(self._ids)
            if row == len(self._records):
                grown = np.zeros(max(16, 2 * row), dtype=RECORD)
                grown[:row] = self._records
                self._records = grown
            self._ids.append(doc_id)
            self._row[doc_id] = row
        self._records[row] = record

    def remove(self, doc_id: str) -> None:
        """Forget the document; KeyError if it is not stored."""
        row = self._row.pop(doc_id)
        last = len(self._ids) - 1
        if row != last:
            moved = self._ids[last]
            self._ids[row] = moved
            self._row[moved] = row
            self._records[row] = self._records[last]
        self._ids.pop()

    def query(self, data: bytes, threshold: float) -> list[tuple[str, float]]:
        """Stored documents sharing content with the signature whose estimated Jaccard similarity
        is >= threshold, most similar first (then by id)."""
        return self._select(data, threshold, containment=False)

    def query_containment(self, data: bytes, threshold: float) -> list[tuple[str, float]]:
        """Stored documents sharing content with the signature whose estimated containment
        |A∩B| / min(|A|, |B|) is >= threshold, highest first (then by id)."""
        return self._select(data, threshold, containment=True)

    def _select(self, data: bytes, threshold: float, containment: bool) -> list[tuple[str, float]]:
        (query,) = unpack(data)
        stored = self._records[: len(self._ids)]
        if query["size"] == 0 or not len(stored):
            return []
        jaccard = (stored["hashvalues"] == query["hashvalues"]).sum(axis=1) / NUM_PERM
        score = (
            _containment(jaccard, stored["size"], int(query["size"])) if containment else jaccard
        )
        # An empty text's signature is all sentinels: it must match nothing, not every empty text.
        score[stored["size"] == 0] = 0.0
        rows = np.flatnonzero((score >= threshold) & (score > 0))
        return sorted(((self._ids[row], float(score[row])) for row in rows), key=_best_first)


def _best_first(result: tuple[str, float]) -> tuple[float, str]:
    return -result[1], result[0]


def _containment(jaccard: np.ndarray, sizes: np.ndarray, size: int) -> np.ndarray:
    """|A∩B| / min(|A|, |B|) from J = |A∩B| / |A∪B|, using |A∩B| = J (|A| + |B|) / (1 + J)."""
    sizes = sizes.astype(np.float64)
    overlap = jaccard * (sizes + size) / (1.0 + jaccard)
    return np.minimum(overlap / np.maximum(np.minimum(sizes, size), 1.0), 1.0)
