"""The audit trail's hash chain as pure functions: canonical content, digests and links.

Each audit record carries the digest of its own canonical content, computed when it is
written. A link binds one record into the chain: ``hash = H(prev | seq | record | digest)``,
so changing, removing or reordering a record breaks every link after it. The hash is SM3
(GB/T 32905-2016, the national standard) where the OpenSSL under Python provides it, and
SHA-256 otherwise; every record and link names the algorithm it used, so a chain written on
one machine is verified on another.
"""

import hashlib
import json
from decimal import Decimal

GENESIS = "0" * 64  # the "previous hash" of the first link of a chain never archived
ALGORITHMS = ("sm3", "sha256")


def preferred_algorithm() -> str:
    try:
        hashlib.new("sm3")
    except ValueError:
        return "sha256"
    return "sm3"


def digest(algorithm: str, data: bytes) -> str:
    if algorithm not in ALGORITHMS:
        raise ValueError(f"不支持的摘要算法：{algorithm}")
    return hashlib.new(algorithm, data).hexdigest()


def _key(key) -> str:
    return key if isinstance(key, str) else json.dumps(key)


def _normalise(value):
    """The value as it reads back from any database's JSON column: keys are strings, tuples
    are lists, and a whole float is the integer PostgreSQL's ``numeric`` prints for it."""
    if isinstance(value, float) and value.is_integer():
        return int(Decimal(repr(value)))
    if isinstance(value, dict):
        return {_key(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


def canonical(content: dict) -> bytes:
    """One byte string per content, whatever the key order or the database it came from."""
    return json.dumps(_normalise(content), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), allow_nan=False).encode()


def content_digest(algorithm: str, content: dict) -> str:
    return digest(algorithm, canonical(content))


def link_hash(algorithm: str, prev: str, seq: int, record_id: int, record_digest: str) -> str:
    return digest(algorithm, f"{prev}|{seq}|{record_id}|{record_digest}".encode())
