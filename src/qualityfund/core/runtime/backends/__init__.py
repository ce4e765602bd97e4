"""Database engines: Django's own, with :class:`.tracking.RemovesFilesOnRollback` added."""
