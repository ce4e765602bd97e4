"""Stored files copied out of and back into the store, through Django's storage API (local
disk or S3-compatible object storage alike)."""

import shutil
from pathlib import Path

from django.core.files import File

from qualityfund.core.runtime.files import walk

from .errors import BackupError
from .manifest import CHUNK, inside


def names(storage) -> list[str]:
    try:
        return list(walk(storage))
    except FileNotFoundError:  # a local store nothing was ever written to
        return []


def copy_out(storage, folder: Path) -> list[str]:
    """Copy every stored file under ``folder``; returns their names in the store."""
    copied = names(storage)
    for name in copied:
        target = inside(folder, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
    return copied


def copy_in(storage, folder: Path, stored: list[str], connection) -> None:
    """Put the backup's files back under their names; removed again if the restore's
    transaction rolls back."""
    for name in stored:
        with inside(folder, name).open("rb") as source:
            saved = storage.save(name, File(source, name=name))
        connection.file_written(storage, saved)
        if saved != name:
            raise BackupError(f"文件存储未能按原名保存 {name}（保存为 {saved}）")

