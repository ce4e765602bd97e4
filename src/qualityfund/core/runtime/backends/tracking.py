"""A stored file follows the fate of the transaction that wrote it.

A service writes a file (an upload, the 申请表, the minutes) inside its transaction and then
may still fail a rule; the rows roll back, and without this the file would stay in the store
with nothing pointing to it. :func:`qualityfund.core.runtime.files.save` tells the
connection about each file it writes; when the transaction — or the savepoint the file was
written under — rolls back, the connection deletes the file, exactly as Django drops the
``on_commit`` callbacks registered there. A process that dies between writing a file and
committing leaves the file behind; :func:`qualityfund.core.runtime.files.sweep` finds those.
"""

import logging

logger = logging.getLogger(__name__)


class RemovesFilesOnRollback:
    """Mixed into a backend's ``DatabaseWrapper``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_written = []

    def file_written(self, storage, name: str) -> None:
        """Remember ``name`` (in ``storage``) until the current transaction ends."""
        if self.in_atomic_block:
            self.files_written.append((set(self.savepoint_ids), storage, name))

    def _remove_files(self, rolled_back) -> None:
        kept = []
        for sids, storage, name in self.files_written:
            if not rolled_back(sids):
                kept.append((sids, storage, name))
                continue
            try:
                storage.delete(name)
            except Exception:
                logger.exception("事务回滚后未能删除文件 %s", name)
        self.files_written = kept

    def commit(self):
        super().commit()
        self.files_written = []

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._remove_files(lambda sids: True)

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        self._remove_files(lambda sids: sid in sids)

    def close(self):
        if self.in_atomic_block:  # the server rolls back what was not committed
            self._remove_files(lambda sids: True)
        super().close()
