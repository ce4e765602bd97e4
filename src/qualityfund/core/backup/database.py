"""The rows of every table, written from one snapshot and inserted back unchanged.

The snapshot: on PostgreSQL one REPEATABLE READ, READ ONLY transaction, so every table is
read as of the same instant while the platform keeps running; on SQLite a page copy of the
file made with SQLite's online backup API (writers wait only for the copy), read at leisure.

Rows go back with their ids and every value as stored (``save_base(raw=True)`` with
``force_insert``: no ``save()`` override, no ``auto_now``, no UPDATE), in the order of their
ids, so records that hash their predecessors (the audit trail) come back as they were.
"""

import datetime
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder

from .errors import BackupError

# Tables that ``migrate`` fills by itself; restore replaces their rows with the backup's.
FILLED_BY_MIGRATE = ("contenttypes.contenttype", "auth.permission")


def tables(using: str) -> list[type[models.Model]]:
    """Every table of the platform in ``using``, auto-created many-to-many tables included."""
    found = [m for m in apps.get_models(include_auto_created=True)
             if m._meta.managed and not m._meta.proxy and not m._meta.swapped
             and router.allow_migrate_model(using, m)]
    return sorted(found, key=lambda m: m._meta.label_lower)


def migrations(using: str) -> list[list[str]]:
    return sorted([app, name] for app, name in
                  MigrationRecorder(connections[using]).applied_migrations())


@contextmanager
def _extra_connection(alias: str, like, name: str):
    """A connection like ``like`` to another database file, under ``alias`` while it lasts."""
    connections[alias] = like.__class__({**like.settings_dict, "NAME": name}, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


@contextmanager
def snapshot(using: str):
    """A database alias whose every read sees the same instant of ``using``."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("备份须在事务之外进行")
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield using
        return
    if connection.vendor != "sqlite":
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    with tempfile.TemporaryDirectory(prefix="qualityfund-backup-") as folder:
        copy = Path(folder) / "snapshot.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        target.close()
        with (_extra_connection(f"{using}-snapshot", connection, str(copy)) as alias,
              transaction.atomic(using=alias)):
            yield alias


class _Encoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds, which would
    change every timestamp (and any hash computed over one)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _local_fields(model) -> list[str]:
    """The columns of the model's own table (many-to-many rows are in their own tables)."""
    return [f.name for f in model._meta.local_fields if f.serialize]


def dump(model, using: str, path: Path) -> int:
    """Write every row of ``model``'s table, in the order of ids; returns how many."""
    written = 0

    def rows():
        nonlocal written
        for row in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
            written += 1
            yield row

    with path.open("w", encoding="utf-8") as stream:
        serializers.serialize("jsonl", rows(), stream=stream, fields=_local_fields(model),
                              cls=_Encoder)
    return written


def not_empty(using: str) -> list[str]:
    """The tables of ``using`` that hold rows ``migrate`` did not put there."""
    return [m._meta.label_lower for m in tables(using)
            if m._meta.label_lower not in FILLED_BY_MIGRATE
            and m._base_manager.using(using).exists()]


def clear_filled_by_migrate(using: str) -> None:
    for label in reversed(FILLED_BY_MIGRATE):
        apps.get_model(label)._base_manager.using(using).all().delete()


def load(path: Path, using: str) -> int:
    """Insert the rows of one table file as they were; returns how many."""
    loaded = 0
    with path.open(encoding="utf-8") as stream:
        for row in serializers.deserialize("jsonl", stream, using=using):
            row.save(using=using, force_insert=True)
            loaded += 1
    return loaded


def reset_sequences(using: str, restored: list) -> None:
    """Let new rows continue after the restored ids (PostgreSQL's sequences do not follow
    inserted ids by themselves; SQLite's do)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

