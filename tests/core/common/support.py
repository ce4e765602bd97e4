"""Writing audit records and tampering with them as someone with the database's keys would."""

import importlib
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from qualityfund.core.common import audit, chain
from qualityfund.core.common.models import AuditRecord

MIGRATION = importlib.import_module("qualityfund.core.common.migrations.0002_audit_chain")


def write(n: int, action: str = "test.step", **data) -> list[AuditRecord]:
    return [audit.record(None, action, **data, step=i) for i in range(n)]


def write_old(n: int, days: int) -> list[AuditRecord]:
    """Records as if written ``days`` ago, with their digest made then."""
    at = timezone.now() - timedelta(days=days)
    records = []
    for i in range(n):
        record = chain.stamp(AuditRecord(at=at + timedelta(seconds=i), action="test.old",
                                         data={"step": i}))
        record.save(force_insert=True)
        records.append(record)
    return records


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


@contextmanager
def bypassing_the_guard():
    """What a database superuser can do: switch the insert-only triggers off."""
    if connection.vendor == "postgresql":
        sql("SET LOCAL session_replication_role = replica")
        yield
        sql("SET LOCAL session_replication_role = origin")
        return
    for statement in MIGRATION.SQLITE_REVERSE:
        sql(statement)
    yield
    for statement in MIGRATION.SQLITE:
        sql(statement)
