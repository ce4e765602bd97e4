"""Writing stored files so that none outlives a transaction that did not commit.

Services save a ``FileField``'s content with :func:`save`: the file is written at once (its
name and size are known, as the row needs them) and deleted again if the transaction rolls
back (see :mod:`.backends.tracking`). What only a crash leaves behind — a file written, the
process killed before the commit — :func:`sweep` deletes once it is an hour old and no row
names it.
"""

import logging
from collections.abc import Iterator
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Folders of uploads, each kept by a row that names it (every version of a material is a
# row of its own). Other folders hold files kept by their own rules: previews are a cache,
# and a 申请表 produced again on 补正 replaces the name in its row but keeps the old file.
SWEPT_FOLDERS = ("materials", "funding")
ORPHAN_AGE = timedelta(hours=1)


def save(field_file, name: str, content) -> None:
    """``field_file.save(name, content, save=False)``, undone if the transaction rolls back."""
    field_file.save(name, content, save=False)
    transaction.get_connection().file_written(field_file.storage, field_file.name)


def walk(storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``folder``, through the storage API (local disk
    or object storage alike)."""
    folders, names = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    for name in sorted(names):
        yield prefix + name
    for sub in sorted(folders):
        yield from walk(storage, prefix + sub)


def referenced(using: str = "default") -> set[str]:
    """Every stored file name a row of the platform holds."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(model._base_manager.using(using).exclude(**{field.attname: ""})
                             .values_list(field.attname, flat=True))
    return names


def sweep(now=None) -> list[str]:
    """Delete the files of :data:`SWEPT_FOLDERS` that no row names, older than an hour."""
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    kept = referenced()
    removed = []
    for folder in SWEPT_FOLDERS:
        try:
            names = [n for n in walk(default_storage, folder) if n not in kept]
        except FileNotFoundError:  # nothing was ever stored there
            continue
        for name in names:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                removed.append(name)
    if removed:
        logger.warning("已删除 %s 个未被任何记录引用的文件：%s", len(removed), "、".join(removed))
    return removed
