class BackupError(Exception):
    """A backup could not be made, or a folder cannot be restored; the message says why."""
