"""Making a backup folder and restoring one."""

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from qualityfund.core.runtime.files import referenced

from . import database, manifest, store
from .errors import BackupError


def backup(folder: Path, *, using: str = "default", storage=None) -> dict:
    """Write the backup of database ``using`` and of ``storage`` into an empty ``folder``."""
    storage = storage or default_storage
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"备份目录 {folder} 不是空的，请指定新的目录")
    (folder / "database").mkdir(parents=True, exist_ok=True)
    tables = []
    with database.snapshot(using) as alias:
        for model in database.tables(alias):
            label = model._meta.label_lower
            relative = f"database/{label}.jsonl"
            rows = database.dump(model, alias, folder / relative)
            tables.append({"model": label, "file": relative, "rows": rows})
        named = referenced(alias)
        applied = database.migrations(alias)
        vendor = connections[alias].vendor
    # Stored files are never rewritten in place, so every file the snapshot names is
    # already in the store; files written since are copied too, harmlessly.
    stored = store.copy_out(storage, folder / "files")
    missing = sorted(named - set(stored))
    manifest.write(folder, {
        "created_at": timezone.now().isoformat(), "database": vendor, "migrations": applied,
        "tables": tables, "files": stored, "missing_files": missing})
    return {"tables": len(tables), "rows": sum(t["rows"] for t in tables),
            "files": len(stored), "missing_files": missing}


def _check_target(content: dict, using: str, storage) -> None:
    applied = database.migrations(using)
    if applied != content["migrations"]:
        absent = [f"{a}.{n}" for a, n in content["migrations"] if [a, n] not in applied]
        extra = [f"{a}.{n}" for a, n in applied if [a, n] not in content["migrations"]]
        raise BackupError(
            "目标数据库的迁移与备份不一致" + (f"；尚未执行：{'、'.join(absent)}" if absent else "")
            + (f"；备份中没有：{'、'.join(extra)}" if extra else "")
            + "。请先运行 qualityfund migrate，并使用与备份时相同版本的程序恢复")
    occupied = database.not_empty(using)
    if occupied:
        raise BackupError(f"目标数据库不是空的（{'、'.join(occupied)}中已有数据），"
                          "恢复只能写入刚执行过 migrate 的空数据库")
    if store.names(storage):
        raise BackupError("目标文件存储不是空的，恢复只能写入空的文件存储")


def restore(folder: Path, *, using: str = "default", storage=None) -> dict:
    """Restore the backup in ``folder`` into the empty database ``using`` and the empty
    ``storage``, after checking every file of the folder against the manifest."""
    storage = storage or default_storage
    content = manifest.verified(folder)
    for relative in ([t["file"] for t in content["tables"]]
                     + [f"files/{name}" for name in content["files"]]):
        if relative not in content["entries"]:
            raise BackupError(f"备份清单不完整：{relative} 没有校验和")
    _check_target(content, using, storage)
    known = {m._meta.label_lower: m for m in database.tables(using)}
    unknown = [t["model"] for t in content["tables"] if t["model"] not in known]
    if unknown:
        raise BackupError(f"备份中有本程序没有的数据表：{'、'.join(unknown)}")
    try:
        with transaction.atomic(using=using):
            database.clear_filled_by_migrate(using)
            for table in content["tables"]:
                try:
                    rows = database.load(folder / table["file"], using)
                except DeserializationError as exc:
                    raise BackupError(f"无法读取 {table['file']}：{exc}") from exc
                if rows != table["rows"]:
                    raise BackupError(f"{table['file']} 应有 {table['rows']} 行，实际 {rows} 行")
            database.reset_sequences(using, [known[t["model"]] for t in content["tables"]])
            store.copy_in(storage, folder / "files", content["files"], connections[using])
    except DatabaseError as exc:
        raise BackupError(f"恢复失败，数据库未作任何改动：{exc}") from exc
    ContentType.objects.clear_cache()
    return {"tables": len(content["tables"]),
            "rows": sum(t["rows"] for t in content["tables"]), "files": len(content["files"])}
