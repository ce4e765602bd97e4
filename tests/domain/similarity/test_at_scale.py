"""At the scale of ten years of applications: one application checked against 100,000 stored
documents still finds exactly its real pairs (the timing is measured by ``make bench``)."""

import random
from dataclasses import replace

import numpy as np

from qualityfund.domain.similarity import NUM_PERM, NearDuplicateIndex, check_one, signature
from qualityfund.domain.similarity.signature import FORMAT_TAG, RECORD
from qualityfund.domain.similarity.text import sentence_spans

from .corpus import A_DIGITAL_AGAIN, CURRENT, EARLIER, ORG_A

STORED = 100_000
VARIANTS_PER_DOCUMENT = 20


def synthetic_signatures(count: int, seed: int) -> list[tuple[str, bytes]]:
    """Signatures of unrelated texts, generated directly: random MinHash values and sizes."""
    rng = np.random.default_rng(seed)
    records = np.zeros(count, dtype=RECORD)
    records["tag"] = FORMAT_TAG
    records["size"] = rng.integers(200, 20_000, count)
    records["hashvalues"] = rng.integers(0, 2**32, (count, NUM_PERM), dtype=np.uint32)
    blob, size = records.tobytes(), RECORD.itemsize
    return [(f"synthetic-{i}", blob[i * size : (i + 1) * size]) for i in range(count)]


def variants(seed: int):
    """Real texts to confirm: each corpus document with sentences dropped and others mixed in,
    a few of them filed by the organisation under test."""
    rng = random.Random(seed)
    sources = CURRENT + EARLIER
    sentences = [doc.text[s:e] for doc in sources for s, e in sentence_spans(doc.text)]
    for doc in sources:
        own = [doc.text[s:e] for s, e in sentence_spans(doc.text)]
        for n in range(VARIANTS_PER_DOCUMENT):
            kept = [s for s in own if rng.random() < 0.3 + 0.7 * n / VARIANTS_PER_DOCUMENT]
            mixed = kept + rng.sample(sentences, rng.randint(0, 5))
            org = ORG_A if n % 7 == 0 else f"91440300MA5V{n:06d}"
            yield replace(doc, id=f"{doc.id}-v{n}", org=org, text="\n".join(mixed))


def test_check_one_finds_its_pairs_among_100000_stored_documents():
    real = {doc.id: doc for doc in [*CURRENT, *EARLIER, *variants(seed=7)]}
    pairs = [(doc.id, signature(doc.text)) for doc in real.values()]
    index = NearDuplicateIndex.from_signatures(
        [*synthetic_signatures(STORED - len(pairs), seed=7), *pairs]
    )
    assert len(index) == STORED

    new = replace(A_DIGITAL_AGAIN, id="new-application")
    found = check_one(new, index, real, 0.5)
    assert {"a-digital-2025", "a-innovation-2025"} <= {pair.a for pair in found} | {
        pair.b for pair in found
    }
