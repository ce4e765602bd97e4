"""MinHash signatures of texts, as fixed-size bytes to keep beside each document in the database.

A signature is one record of RECORD: a format tag, the number of shingles of the text (so that
an index can estimate containment, not only Jaccard similarity) and NUM_PERM 32-bit MinHash
values. The values come from datasketch's "affine32" scheme over SHA-1 hashes of the shingles,
with a fixed seed, so they are the same in every process and on every machine; signatures made
with another scheme, seed or NUM_PERM carry another tag and are refused rather than compared.
"""

import numpy as np
from datasketch import MinHash

from qualityfund.domain.similarity.text import shingles

NUM_PERM = 128
_SEED = 1
_SCHEME = "affine32"
FORMAT_TAG = b"QFM1"  # bump when NUM_PERM, the seed, the scheme or shingles() change

RECORD = np.dtype([("tag", "S4"), ("size", "<u4"), ("hashvalues", "<u4", (NUM_PERM,))])


def pack(size: int, hashvalues: np.ndarray) -> bytes:
    """The signature bytes of a text with `size` shingles and these MinHash values."""
    record = np.zeros((), dtype=RECORD)
    record["tag"] = FORMAT_TAG
    record["size"] = size
    record["hashvalues"] = hashvalues
    return record.tobytes()


def unpack(data: bytes | np.ndarray) -> np.ndarray:
    """Signature bytes (one or many concatenated) as RECORD rows, after checking their tag."""
    records = np.frombuffer(data, dtype=RECORD)
    if not (records["tag"] == FORMAT_TAG).all():
        raise ValueError(f"not a {FORMAT_TAG.decode()} similarity signature")
    return records


def signature(text: str) -> bytes:
    """The MinHash signature of the text's shingles (an empty text has size 0)."""
    units = shingles(text)
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch([unit.encode("utf-8") for unit in units])
    return pack(len(units), minhash.hashvalues)
