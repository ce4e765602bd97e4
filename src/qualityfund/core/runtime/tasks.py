"""Periodic upkeep of the runtime (in ``CELERY_BEAT_SCHEDULE``, so both runtimes run it)."""

from celery import shared_task


@shared_task(name="runtime.sweep_orphan_files")
def sweep_orphan_files() -> list[str]:
    """Delete the stored files a crash left behind without a row."""
    from .files import sweep

    return sweep()
