from django.db.backends.sqlite3 import base

from ..tracking import RemovesFilesOnRollback


class DatabaseWrapper(RemovesFilesOnRollback, base.DatabaseWrapper):
    """SQLite, with the files of a rolled-back transaction removed."""
