from django.db.backends.postgresql import base

from ..tracking import RemovesFilesOnRollback


class DatabaseWrapper(RemovesFilesOnRollback, base.DatabaseWrapper):
    """PostgreSQL, with the files of a rolled-back transaction removed."""
