"""A consistent, checksummed copy of the platform — every table and every stored file — and
its restoration into an empty database and an empty store (``qualityfund backup`` /
``qualityfund restore``).

A backup folder holds ``manifest.json``, the rows of each table in ``database/`` (JSON
Lines, one file per table, every value as stored: ids, timestamps, hashes) and the stored
files under ``files/``. The manifest lists the SHA-256 of every file of the folder; restore
checks them all before it touches anything.
"""

from .errors import BackupError
from .process import backup, restore

__all__ = ["BackupError", "backup", "restore"]
