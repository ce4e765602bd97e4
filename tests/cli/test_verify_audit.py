"""``qualityfund verify_audit``: exit 0 on a whole chain; on a broken one, exit 1 naming the
first broken record."""

from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command

from qualityfund.core.common.models import AuditLink, AuditVerification
from tests.core.common.support import bypassing_the_guard, sql, write


def _main(capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["qualityfund", "verify_audit"]).execute()
        raise SystemExit(0)
    captured = capsys.readouterr()
    return exited.value.code, captured.out + captured.err


def test_a_whole_chain_verifies_and_unsealed_records_are_sealed_first(db, capsys):
    write(4)
    assert AuditLink.objects.count() == 0
    code, output = _main(capsys)
    assert code == 0 and "审计链完整：核验 4 条记录" in output
    assert AuditLink.objects.count() == 4
    assert AuditVerification.objects.get().ok is True


def test_a_broken_chain_exits_non_zero_naming_the_record(db, capsys):
    records = write(3)
    call_command("verify_audit", stdout=StringIO())
    with bypassing_the_guard():
        sql("""UPDATE common_auditrecord SET action = 'forged' WHERE id = %s""",
            [records[1].pk])
    code, output = _main(capsys)
    assert code == 1
    assert f"第 2 环（审计记录 #{records[1].pk}）" in output and "已被改动" in output
    latest = AuditVerification.objects.first()
    assert (latest.ok, latest.broken_record) == (False, records[1].pk)
