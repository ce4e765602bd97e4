"""Archiving the audit trail: records past the 180 days 等保 requires to be kept go to a
signed file, and only then leave the database.

The file is JSON Lines: a header naming the anchor the archived part of the chain starts
from, one line per ring (the record's content exactly as its digest covers it, and its link),
and a trailer with the count, the last hash and the SHA-256 of every line before it, signed
with Ed25519. Ed25519 rather than an HMAC: checking an HMAC takes the same secret that makes
one, so whoever could check an archive could also forge it; the public half of an Ed25519
key can be handed to the inspectors, who can then verify an archive but never make one. The
private key lives in the data folder, not in the database, so someone who can rewrite the
database cannot re-sign what they rewrote.

After archival the last archived ring becomes the chain's anchor (``AuditAnchor``), so the
chain left in the database still verifies, and the archive proves what came before it.
"""

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from qualityfund.domain import hashchain

from . import audit, chain
from .errors import RuleViolation
from .models import AuditAnchor, AuditLink, AuditRecord

RETENTION_DAYS = 180  # 等保2.0 第三级: audit records are kept at least six months
FORMAT = "qualityfund-audit-archive"
DELETE_BATCH = 2000


# --- the signing key -------------------------------------------------------------------------


def public_key_path(private: Path) -> Path:
    return private.with_suffix(".pub")


def signing_key() -> Ed25519PrivateKey:
    """The archive signing key, made once (readable by its owner only) with its public half."""
    path = Path(settings.AUDIT_SIGNING_KEY)
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return signing_key()
        with os.fdopen(descriptor, "wb") as out:
            out.write(key.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
        public_key_path(path).write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        return key
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def _public_key(path: Path | None) -> Ed25519PublicKey:
    path = path or public_key_path(Path(settings.AUDIT_SIGNING_KEY))
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise TypeError(f"{path} 不是 Ed25519 公钥")
    return key


def _line(value: dict) -> bytes:
    return hashchain.canonical(value) + b"\n"


# --- writing ---------------------------------------------------------------------------------


def earliest_allowed(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=RETENTION_DAYS)


def _rings(first: int, last: int):
    seq = first - 1
    while seq < last:
        links = list(AuditLink.objects.filter(seq__gt=seq, seq__lte=last)
                     .select_related("record__actor").order_by("seq")[:DELETE_BATCH])
        for link in links:
            record = link.record
            yield {"seq": link.seq, "prev": link.prev, "hash": link.hash,
                   "link_algorithm": link.algorithm,
                   "sealed_at": link.sealed_at.isoformat(timespec="microseconds"),
                   "id": record.pk, "digest": record.digest,
                   "actor_username": record.actor.username if record.actor else "",
                   "content": chain.content_of(record)}
            seq = link.seq


def _write(out: Path, before: date, start: tuple[int, str], last: int) -> tuple[int, str]:
    """Write and sign the archive of rings ``start+1``..``last``; its SHA-256."""
    body = hashlib.sha256()
    count, last_hash = 0, start[1]
    with open(out, "xb") as file:
        def write(value):
            data = _line(value)
            body.update(data)
            file.write(data)

        write({"format": FORMAT, "version": 1, "before": before.isoformat(),
               "made_at": timezone.now().isoformat(), "anchor_seq": start[0],
               "anchor_hash": start[1]})
        for ring in _rings(start[0] + 1, last):
            write(ring)
            count, last_hash = count + 1, ring["hash"]
        trailer = {"count": count, "last_seq": last, "last_hash": last_hash,
                   "body_sha256": body.hexdigest()}
        signature = signing_key().sign(hashchain.canonical(trailer))
        file.write(_line({"trailer": trailer,
                          "signature": base64.b64encode(signature).decode()}))
        file.flush()
        os.fsync(file.fileno())
    return count, hashlib.sha256(out.read_bytes()).hexdigest()


def _cut(before: date) -> tuple[tuple[int, str], int]:
    """Where the archived part starts (the current anchor) and its last ring: every ring up
    to the first one whose record is not older than ``before``."""
    start = AuditAnchor.objects.order_by("-seq").values_list("seq", "hash").first()
    start = start or (0, hashchain.GENESIS)
    cutoff = timezone.make_aware(datetime.combine(before, time.min))
    first_kept = (AuditLink.objects.filter(record__at__gte=cutoff).order_by("seq")
                  .values_list("seq", flat=True).first())
    last = first_kept - 1 if first_kept is not None else chain.head()[0]
    return start, last


def _allow_archival_deletes(allowed: bool) -> None:
    """The one path the database's trigger lets by, for this transaction only (and closed
    again at once, should the caller's transaction go on)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('qualityfund.audit_archive', %s, true)",
                           ["on" if allowed else "off"])


def _delete(start_seq: int, last: int) -> None:
    _allow_archival_deletes(True)
    seq = start_seq
    while seq < last:
        upper = min(seq + DELETE_BATCH, last)
        rings = AuditLink.objects.filter(seq__gt=seq, seq__lte=upper)
        ids = list(rings.values_list("record_id", flat=True))
        rings.delete()
        AuditRecord.objects.filter(pk__in=ids).delete()
        seq = upper
    _allow_archival_deletes(False)


def archive(before: date, out: Path) -> AuditAnchor:
    """Archive the records older than ``before`` to ``out``, then delete them."""
    if before > earliest_allowed():
        raise RuleViolation(f"归档截止日期须不晚于 {earliest_allowed():%Y-%m-%d}：审计记录至少"
                            f"保存 {RETENTION_DAYS} 天", field="before")
    if out.exists():
        raise RuleViolation(f"归档文件已存在：{out}", field="out")
    chain.seal(full=True)
    verdict = chain.verify()
    if not verdict.ok:
        raise RuleViolation(f"审计链未通过核验，不能归档：{verdict.problem}")
    start, last = _cut(before)
    if last <= start[0]:
        raise RuleViolation(f"没有早于 {before:%Y-%m-%d} 的可归档记录", field="before")
    count, file_digest = _write(out, before, start, last)
    problems = check(out).problems
    if problems:
        out.unlink()
        raise RuleViolation(f"归档文件写入后核验未通过，未删除任何记录：{problems[0]}")
    with transaction.atomic():
        chain.lock()
        last_hash = AuditLink.objects.filter(seq=last).values_list("hash", flat=True).get()
        _delete(start[0], last)
        anchor = AuditAnchor.objects.create(seq=last, hash=last_hash, before=before,
                                            count=count, file_name=out.name,
                                            file_digest=file_digest)
        audit.record(None, "audit.archive", anchor, before=before.isoformat(), count=count,
                     last_seq=last, file_digest=file_digest)
    return anchor


# --- checking --------------------------------------------------------------------------------


@dataclass
class ArchiveCheck:
    count: int = 0
    before: str = ""
    last_seq: int = 0
    last_hash: str = ""
    problems: list[str] = field(default_factory=list)


def _check_ring(ring: dict, prev: str, seq: int) -> str:
    if ring.get("seq") != seq + 1:
        return f"第 {seq + 1} 环缺失"
    content = ring["content"]
    if hashchain.content_digest(content["algorithm"], content) != ring["digest"]:
        return f"第 {ring['seq']} 环（审计记录 #{ring['id']}）内容与摘要不符"
    expected = hashchain.link_hash(ring["link_algorithm"], prev, ring["seq"], ring["id"],
                                   ring["digest"])
    if ring["prev"] != prev or ring["hash"] != expected:
        return f"第 {ring['seq']} 环（审计记录 #{ring['id']}）哈希不符"
    return ""


def check(path: Path, public_key: Path | None = None) -> ArchiveCheck:
    """Check an archive's signature (with the given public key, or this server's) and the
    chain inside it."""
    result = ArchiveCheck()
    lines = path.read_bytes().splitlines(keepends=True)
    if len(lines) < 2:
        result.problems.append("不是审计归档文件")
        return result
    try:
        header, *rings = [json.loads(line) for line in lines[:-1]]
        end = json.loads(lines[-1])
        trailer, signature = end["trailer"], base64.b64decode(end["signature"])
    except (ValueError, KeyError, TypeError):
        result.problems.append("不是审计归档文件")
        return result
    if header.get("format") != FORMAT:
        result.problems.append("不是审计归档文件")
        return result
    try:
        _public_key(public_key).verify(signature, hashchain.canonical(trailer))
    except InvalidSignature:
        result.problems.append("签名无效：文件尾不是该密钥签署的")
    except (OSError, ValueError, TypeError) as exc:
        result.problems.append(f"无法读取签名公钥：{exc}")
    if hashlib.sha256(b"".join(lines[:-1])).hexdigest() != trailer.get("body_sha256"):
        result.problems.append("文件内容与签名时不同")
    seq, prev = header["anchor_seq"], header["anchor_hash"]
    for ring in rings:
        try:
            problem = _check_ring(ring, prev, seq)
        except (KeyError, ValueError, TypeError) as exc:
            problem = f"第 {seq + 1} 环格式不对：{exc}"
        if problem:
            result.problems.append(problem)
            break
        seq, prev = ring["seq"], ring["hash"]
    if (len(rings), seq, prev) != (trailer.get("count"), trailer.get("last_seq"),
                                   trailer.get("last_hash")):
        result.problems.append("记录数或末环与文件尾不符")
    result.count, result.before = len(rings), header.get("before", "")
    result.last_seq, result.last_hash = seq, prev
    return result
