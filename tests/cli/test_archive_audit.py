"""``qualityfund archive_audit`` and ``verify_audit_archive``: records past 180 days go to a
signed file before they leave the database; the chain left behind still verifies; a forged
or altered archive is refused; and no other path deletes anything."""

import base64
import json
from datetime import timedelta
from io import StringIO

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from qualityfund.core.common import chain
from qualityfund.core.common.models import AuditAnchor, AuditLink, AuditRecord
from qualityfund.domain import hashchain
from tests.core.common.support import bypassing_the_guard, sql, write, write_old


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY = tmp_path / "keys" / "audit-signing.key"
    return settings.AUDIT_SIGNING_KEY


def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def _run(name, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def trail(db):
    """Five records of 400 days ago, three of 200 days ago, two of today; all sealed."""
    old, older = write_old(5, days=400), write_old(3, days=200)
    recent = write(2)
    chain.seal(full=True)
    return old, older, recent


def test_records_younger_than_180_days_are_never_archived(trail, tmp_path):
    out = tmp_path / "audit.jsonl"
    with pytest.raises(CommandError, match="180"):
        _run("archive_audit", "--before", _days_ago(179), "--out", str(out))
    assert not out.exists() and AuditRecord.objects.count() == 10


def test_archive_signs_then_deletes_and_the_chain_still_verifies(trail, tmp_path,
                                                                 signing_key):
    old, older, recent = trail
    out = tmp_path / "audit-2024.jsonl"
    printed = _run("archive_audit", "--before", _days_ago(300), "--out", str(out))
    assert "已归档 5 条" in printed
    assert "归档文件核验通过：5 条记录" in _run("verify_audit_archive", str(out))
    assert not AuditRecord.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AuditRecord.objects.filter(pk__in=[r.pk for r in older + recent]).count() == 5
    anchor = AuditAnchor.objects.get()
    assert (anchor.seq, anchor.count) == (5, 5)
    assert AuditRecord.objects.filter(action="audit.archive").exists()
    assert "审计链完整" in _run("verify_audit")
    # the next archive carries on from the first one's last ring
    second = tmp_path / "audit-2025.jsonl"
    _run("archive_audit", "--before", _days_ago(190), "--out", str(second))
    assert "3 条记录" in _run("verify_audit_archive", str(second))
    assert second.read_text().splitlines()[0].count(anchor.hash) == 1
    assert "审计链完整" in _run("verify_audit")


def test_after_archival_an_ordinary_delete_is_still_refused(trail, tmp_path):
    _, older, recent = trail
    _run("archive_audit", "--before", _days_ago(300), "--out", str(tmp_path / "a.jsonl"))
    if connection.vendor == "postgresql":
        for statement in ("DELETE FROM common_auditlink", "DELETE FROM common_auditrecord",
                          "UPDATE common_auditanchor SET hash = 'x'",
                          "DELETE FROM common_auditanchor"):
            with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
                sql(statement)
        # even with the archival setting, nothing younger than 180 days goes
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
            sql("SET LOCAL qualityfund.audit_archive = 'on'")
            sql("DELETE FROM common_auditrecord WHERE id = %s", [recent[0].pk])
    assert AuditRecord.objects.filter(pk__in=[r.pk for r in older + recent]).count() == 5


def test_an_altered_or_foreign_archive_is_refused(trail, tmp_path):
    out = tmp_path / "a.jsonl"
    _run("archive_audit", "--before", _days_ago(300), "--out", str(out))
    lines = out.read_text().splitlines(keepends=True)
    altered = tmp_path / "altered.jsonl"
    altered.write_text("".join([lines[0], lines[1].replace('"step":0', '"step":7'),
                                *lines[2:]]))
    with pytest.raises(CommandError, match="文件内容与签名时不同"):
        _run("verify_audit_archive", str(altered))
    # signed with somebody else's key: the bureau's public key does not verify it
    other = Ed25519PrivateKey.generate()
    end = json.loads(lines[-1])
    end["signature"] = base64.b64encode(other.sign(hashchain.canonical(end["trailer"]))).decode()
    forged = tmp_path / "forged.jsonl"
    forged.write_text("".join(lines[:-1]) + json.dumps(end) + "\n")
    with pytest.raises(CommandError, match="签名无效"):
        _run("verify_audit_archive", str(forged))
    # the inspector checks with the public key they were handed
    public = tmp_path / "other.pub"
    public.write_bytes(other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    assert "核验通过" in _run("verify_audit_archive", str(forged), "--public-key", str(public))
    with pytest.raises(CommandError, match="签名无效"):
        _run("verify_audit_archive", str(out), "--public-key", str(public))


def test_a_broken_chain_is_not_archived(trail, tmp_path):
    old = trail[0]
    with bypassing_the_guard():
        sql("""UPDATE common_auditrecord SET data = '{"step": 9}' WHERE id = %s""", [old[1].pk])
    out = tmp_path / "a.jsonl"
    with pytest.raises(CommandError, match=f"审计记录 #{old[1].pk}"):
        _run("archive_audit", "--before", _days_ago(300), "--out", str(out))
    assert not out.exists() and AuditLink.objects.count() == 10
