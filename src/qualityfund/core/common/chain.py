"""The tamper-evident audit chain: stamping, sealing and verifying.

Why a sealer rather than a chain written by each writer: a record that named its predecessor
at insert time would make every transaction that audits something read and lock the head of
the chain, so that hundreds of submissions at a deadline would queue behind one lock, each
holding it until its transaction commits. Instead:

- a writer only INSERTs its record, stamped with the digest of its own content
  (:func:`stamp`); it never reads or locks anything of the chain;
- one sealer at a time (a PostgreSQL advisory lock; on SQLite every write transaction is
  exclusive already) links the committed records it has not linked yet, in the order it finds
  them (:func:`seal`). It runs in the background after each commit that wrote a record (at
  most one run pending), every minute by Celery beat, and in full before every verification;
- :func:`verify` walks the links from the last archival anchor and names the first ring that
  does not hold.

Audit records, links and anchors are insert-only, in the database itself on PostgreSQL
(migration ``0002_audit_chain``).
"""

from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from qualityfund.domain import hashchain

from .models import AuditAnchor, AuditLink, AuditRecord, AuditVerification

SEAL_BATCH = 1000
# A sealer run after a commit looks at the records of the last hour only (an index range);
# a record whose transaction stayed open longer is linked by the full run before verification.
RECENT = timedelta(hours=1)
SEAL_LOCK = 0x51465F41  # the advisory lock key of the one sealer
PENDING = "qualityfund:audit-seal-pending"
VERIFY_BATCH = 2000


def content_of(record) -> dict:
    """What a record's digest covers: everything it says, and the algorithm it says it in."""
    return {
        "at": record.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": record.actor_id, "action": record.action,
        "object_type": record.object_type, "object_id": record.object_id,
        "data": record.data, "address": record.address, "user_agent": record.user_agent,
        "algorithm": record.algorithm,
    }


def stamp(record: AuditRecord) -> AuditRecord:
    """Give a record about to be inserted its algorithm and content digest."""
    record.algorithm = hashchain.preferred_algorithm()
    record.digest = hashchain.content_digest(record.algorithm, content_of(record))
    return record


# --- sealing --------------------------------------------------------------------------------


def lock() -> None:
    """One sealer (or archiver) at a time; writers never take this."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])


def head() -> tuple[int, str]:
    """The last ring: its sequence number and hash (the archival anchor when none is left)."""
    last = AuditLink.objects.order_by("-seq").values_list("seq", "hash").first()
    if last:
        return last
    anchor = AuditAnchor.objects.order_by("-seq").values_list("seq", "hash").first()
    return anchor or (0, hashchain.GENESIS)


def seal(*, full: bool = False) -> int:
    """Link the committed records not linked yet; how many were linked. ``full`` looks at
    every record, not only the last hour's."""
    sealed = 0
    algorithm = hashchain.preferred_algorithm()
    while True:
        with transaction.atomic():
            lock()
            seq, prev = head()
            pending = AuditRecord.objects.filter(link__isnull=True)
            if not full:
                pending = pending.filter(at__gte=timezone.now() - RECENT)
            batch = list(pending.order_by("at", "id").values_list("id", "digest")[:SEAL_BATCH])
            links = []
            for record_id, record_digest in batch:
                seq += 1
                ring = hashchain.link_hash(algorithm, prev, seq, record_id, record_digest)
                links.append(AuditLink(seq=seq, record_id=record_id, algorithm=algorithm,
                                       prev=prev, hash=ring))
                prev = ring
            AuditLink.objects.bulk_create(links)
        sealed += len(links)
        if len(batch) < SEAL_BATCH:
            return sealed


def seal_after_commit() -> None:
    """Ask the background worker to seal once this transaction has committed; while one run
    is pending, it will see this record too and no other is queued."""
    if settings.TASKS_MODE == "deferred":
        return  # the test suite's idle worker: tests seal when they mean to
    transaction.on_commit(_request_seal)


def _request_seal() -> None:
    from .tasks import enqueue, seal_audit

    if cache.add(PENDING, True, timeout=60):
        enqueue(seal_audit)


def seal_pending() -> int:
    """The background run: clear the pending mark first, so a commit after this point asks
    for the next run, then seal."""
    cache.delete(PENDING)
    return seal()


# --- verifying ------------------------------------------------------------------------------


@dataclass
class Verdict:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    broken_record: int | None = None
    problem: str = ""


def _broken(verdict: Verdict, seq: int, record_id: int | None, problem: str) -> Verdict:
    verdict.ok, verdict.broken_seq, verdict.broken_record = False, seq, record_id
    verdict.problem = (f"第 {seq} 环（审计记录 #{record_id}）：{problem}" if record_id
                       else f"第 {seq} 环：{problem}")
    return verdict


def _ring_problem(link: AuditLink, prev: str) -> str:
    record = link.record
    try:
        if record.digest != hashchain.content_digest(record.algorithm, content_of(record)):
            return "记录内容与其摘要不符，记录已被改动"
        if link.prev != prev:
            return "与前一环不衔接，其前的记录或链已被改动"
        if link.hash != hashchain.link_hash(link.algorithm, link.prev, link.seq, record.pk,
                                            record.digest):
            return "本环哈希不符，摘要或链已被改动"
    except ValueError as exc:  # an algorithm nobody here wrote
        return str(exc)
    return ""


def verify() -> Verdict:
    """Walk the chain from the last anchor; stop at the first ring that does not hold."""
    start = AuditAnchor.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev = start or (0, hashchain.GENESIS)
    verdict = Verdict(ok=True, checked=0, head_seq=seq, head_hash=prev)
    while True:
        links = list(AuditLink.objects.filter(seq__gt=seq).select_related("record")
                     .order_by("seq")[:VERIFY_BATCH])
        for link in links:
            if link.seq != seq + 1:
                missing = AuditLink.objects.filter(seq=seq + 1).values_list(
                    "record_id", flat=True).first()
                return _broken(verdict, seq + 1, missing, "缺失，记录或链已被删除")
            problem = _ring_problem(link, prev)
            if problem:
                return _broken(verdict, link.seq, link.record_id, problem)
            seq, prev = link.seq, link.hash
            verdict.checked += 1
        if len(links) < VERIFY_BATCH:
            break
    verdict.head_seq, verdict.head_hash = seq, prev
    return _still_holds_last_head(verdict)


def _still_holds_last_head(verdict: Verdict) -> Verdict:
    """The head verified last time must still be there, with the same hash: a chain cut back
    or rewritten from some ring to its end is consistent in itself, but not with that."""
    last = (AuditVerification.objects.filter(ok=True, head_seq__isnull=False)
            .order_by("-finished_at").values_list("head_seq", "head_hash").first())
    anchored = AuditAnchor.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    if not last or last[0] <= anchored:
        return verdict
    seq, expected = last
    ring = AuditLink.objects.filter(seq=seq).values_list("record_id", "hash").first()
    if ring is None:
        return _broken(verdict, seq, None, "上次核验时的链头已不存在，链尾已被截去")
    if ring[1] != expected:
        return _broken(verdict, seq, ring[0], "与上次核验时的链头哈希不同，链已被重写")
    return verdict


def run_verification(verification: AuditVerification | None = None) -> AuditVerification:
    """Seal everything, verify, and keep the result for the auditor's page."""
    verification = verification or AuditVerification.objects.create()
    seal(full=True)
    verdict = verify()
    verification.ok, verification.checked = verdict.ok, verdict.checked
    verification.head_seq, verification.head_hash = verdict.head_seq, verdict.head_hash
    verification.broken_seq, verification.broken_record = (verdict.broken_seq,
                                                           verdict.broken_record)
    verification.problem, verification.finished_at = verdict.problem, timezone.now()
    verification.save()
    return verification


def latest_verification() -> AuditVerification | None:
    return AuditVerification.objects.select_related("requested_by").first()
