"""``qualityfund verify_audit``: exit 0 on a whole chain; on a broken one, exit 1 naming the
first broken record (a ``CommandError``, which the console script turns into its exit code)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from qualityfund.core.common.models import AuditLink, AuditVerification
from tests.core.common.support import bypassing_the_guard, sql, write


def test_a_whole_chain_verifies_and_unsealed_records_are_sealed_first(db):
    write(4)
    assert AuditLink.objects.count() == 0
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "审计链完整：核验 4 条记录" in out.getvalue()
    assert AuditLink.objects.count() == 4
    assert AuditVerification.objects.get().ok is True


def test_a_broken_chain_exits_non_zero_naming_the_record(db):
    records = write(3)
    call_command("verify_audit", stdout=StringIO())
    with bypassing_the_guard():
        sql("""UPDATE common_auditrecord SET action = 'forged' WHERE id = %s""",
            [records[1].pk])
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit", stdout=StringIO())
    assert failed.value.returncode == 1
    assert f"第 2 环（审计记录 #{records[1].pk}）" in str(failed.value)
    assert "已被改动" in str(failed.value)
    latest = AuditVerification.objects.first()
    assert (latest.ok, latest.broken_record) == (False, records[1].pk)
