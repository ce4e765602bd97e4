"""The audit chain: every record linked once, in one chain that verifies; the database refuses
to change it; and whatever someone with the database's keys changes anyway is named."""

import itertools

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction

from qualityfund.core.common import audit, chain
from qualityfund.core.common.models import AuditLink, AuditRecord
from qualityfund.domain import hashchain

from .support import bypassing_the_guard, sql, write, write_old


def _refused(statement, params=None):
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        sql(statement, params)


def test_records_are_linked_once_into_a_chain_that_verifies(db):
    records = write(5, note="质量品牌", score=85.5, whole=3.0, nested={"b": [1, (2, 3)]})
    assert chain.seal() == 5 and chain.seal() == 0
    links = list(AuditLink.objects.order_by("seq"))
    assert [link.record_id for link in links] == [r.pk for r in records]
    assert {link.algorithm for link in links} == {r.algorithm for r in records} == {"sm3"}
    assert links[0].prev == hashchain.GENESIS
    assert all(b.prev == a.hash for a, b in itertools.pairwise(links))
    verdict = chain.verify()
    assert verdict.ok and verdict.checked == 5 and verdict.head_hash == links[-1].hash


def test_writers_never_read_the_chain(db, django_assert_num_queries):
    """A record is one INSERT: no lock, no read of the chain's head."""
    with django_assert_num_queries(1) as captured:
        audit.record(None, "test.write")
    assert captured.captured_queries[0]["sql"].startswith("INSERT")


def test_the_database_refuses_to_change_the_trail(db):
    record = write(1)[0]
    chain.seal()
    _refused("UPDATE common_auditrecord SET action = 'forged' WHERE id = %s", [record.pk])
    _refused("UPDATE common_auditlink SET hash = 'forged'")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(data={"forged": True})
    assert AuditRecord.objects.get(pk=record.pk).action == "test.step"


def test_postgresql_refuses_to_delete_from_the_trail(db):
    records = write(3)
    chain.seal()
    if connection.vendor == "postgresql":
        _refused("DELETE FROM common_auditlink WHERE record_id = %s", [records[1].pk])
        _refused("DELETE FROM common_auditrecord")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditRecord.objects.all().delete()
        assert AuditRecord.objects.count() == 3
    # with the triggers off (or on SQLite, which has no DELETE trigger), the hole is named
    with bypassing_the_guard():
        sql("DELETE FROM common_auditlink WHERE record_id = %s", [records[1].pk])
        sql("DELETE FROM common_auditrecord WHERE id = %s", [records[1].pk])
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == 2
    assert "缺失" in verdict.problem


def test_a_changed_record_is_named(db):
    records = write(4)
    chain.seal()
    with bypassing_the_guard():
        sql("""UPDATE common_auditrecord SET data = '{"step": 99}' WHERE id = %s""",
            [records[2].pk])
    verdict = chain.verify()
    assert (verdict.ok, verdict.broken_seq, verdict.broken_record) == (False, 3, records[2].pk)
    assert f"审计记录 #{records[2].pk}" in verdict.problem and "已被改动" in verdict.problem


def test_a_record_rewritten_with_a_fresh_digest_breaks_its_link(db):
    records = write(4)
    chain.seal()
    forged = AuditRecord.objects.get(pk=records[1].pk)
    forged.data = {"step": "forged"}
    chain.stamp(forged)
    with bypassing_the_guard():
        sql("UPDATE common_auditrecord SET data = %s, digest = %s WHERE id = %s",
            ['{"step": "forged"}', forged.digest, forged.pk])
    verdict = chain.verify()
    assert (verdict.broken_seq, verdict.broken_record) == (2, records[1].pk)
    assert "本环哈希不符" in verdict.problem


def test_a_chain_rewritten_to_its_end_is_caught_by_the_last_verification(db):
    write(5)
    assert chain.run_verification().ok
    # rewrite ring 4 and re-hash every ring after it: consistent in itself
    with bypassing_the_guard():
        sql("""UPDATE common_auditrecord SET data = '{"step": "forged"}'
               WHERE id = (SELECT record_id FROM common_auditlink WHERE seq = 4)""")
        prev = AuditLink.objects.get(seq=3).hash
        for link in AuditLink.objects.filter(seq__gte=4).select_related("record"):
            record = chain.stamp(link.record)
            ring = hashchain.link_hash(link.algorithm, prev, link.seq, record.pk, record.digest)
            sql("UPDATE common_auditrecord SET digest = %s WHERE id = %s",
                [record.digest, record.pk])
            sql("UPDATE common_auditlink SET prev = %s, hash = %s WHERE seq = %s",
                [prev, ring, link.seq])
            prev = ring
    result = chain.run_verification()
    assert not result.ok and result.broken_seq == 5 and "重写" in result.problem


def test_a_tail_cut_off_is_caught_by_the_last_verification(db):
    records = write(3)
    assert chain.run_verification().ok
    with bypassing_the_guard():
        sql("DELETE FROM common_auditlink WHERE seq = 3")
        sql("DELETE FROM common_auditrecord WHERE id = %s", [records[2].pk])
    result = chain.run_verification()
    assert not result.ok and result.broken_seq == 3 and "截去" in result.problem


def test_a_commit_asks_the_background_worker_to_seal(db, settings,
                                                    django_capture_on_commit_callbacks):
    settings.TASKS_MODE = "inline"
    cache.delete(chain.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        first = audit.record(None, "test.committed")
    assert AuditLink.objects.filter(record=first).exists()
    # while a run is pending, a commit queues no other: the pending run will see it
    cache.add(chain.PENDING, True)
    with django_capture_on_commit_callbacks(execute=True):
        second = audit.record(None, "test.committed")
    assert not AuditLink.objects.filter(record=second).exists()
    assert chain.seal_pending() == 1 and cache.get(chain.PENDING) is None


def test_a_long_transaction_is_linked_by_the_full_run(db):
    old = write_old(1, days=1)[0]  # committed long after it was written
    assert chain.seal() == 0
    assert chain.seal(full=True) == 1
    assert AuditLink.objects.get().record == old


def test_a_chain_written_partly_where_openssl_lacks_sm3_still_verifies(db, monkeypatch):
    """Each record and ring names its algorithm: a server without SM3 writes SHA-256, and the
    chain verifies across both."""
    write(2)
    chain.seal()
    monkeypatch.setattr(hashchain, "preferred_algorithm", lambda: "sha256")
    write(2)
    chain.seal()
    assert list(AuditRecord.objects.order_by("id").values_list("algorithm", flat=True)) == [
        "sm3", "sm3", "sha256", "sha256"]
    assert set(AuditLink.objects.values_list("algorithm", flat=True)) == {"sm3", "sha256"}
    assert chain.verify().ok
