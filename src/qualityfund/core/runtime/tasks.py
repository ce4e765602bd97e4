"""Periodic upkeep of the runtime (in ``CELERY_BEAT_SCHEDULE``, so both runtimes run it)."""

from celery import shared_task


@shared_task(name="runtime.sweep_orphan_files")
def sweep_orphan_files() -> list[str]:
    """Delete the stored files a crash left behind without a row."""
    from .files import sweep

    return sweep()


@shared_task(name="runtime.prune_finished_jobs")
def prune_finished_jobs() -> int:
    """Delete the jobs of the embedded runtime done a month ago."""
    from .jobs import prune

    return prune()
