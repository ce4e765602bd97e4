"""The periodic entries of ``CELERY_BEAT_SCHEDULE``, started without Celery.

One schedule serves both runtimes: Celery beat reads it when ``REDIS_URL`` is set; in the
embedded runtime every serving process ticks this scheduler. To start an entry a process
locks the entry's :class:`PeriodicRun` row, so however many server processes tick (say
``gunicorn -w 4``), one of them starts it, once per interval, and never while its previous
run is still queued or running. The run itself is a job, kept and retried like any other.
"""

from celery.schedules import maybe_schedule
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qualityfund.celery import app

from . import jobs
from .models import Job, PeriodicRun


def _is_due(run: PeriodicRun | None, entry: dict) -> bool:
    if run is None or run.last_run_at is None:
        return True
    return maybe_schedule(entry["schedule"], app=app).is_due(run.last_run_at).is_due


@transaction.atomic
def _start_if_due(name: str, entry: dict, task) -> Job | None:
    run, _ = PeriodicRun.objects.select_for_update().get_or_create(name=name)
    if not _is_due(run, entry):
        return None
    if Job.objects.filter(periodic=name, state__in=jobs.OPEN).exists():
        return None
    run.last_run_at = timezone.now()
    run.save(update_fields=["last_run_at"])
    return jobs.persist(task, entry.get("args", ()), entry.get("kwargs"), periodic=name)


def tick() -> list[Job]:
    """Queue the entries that are due; the caller runs the returned jobs."""
    runs = PeriodicRun.objects.in_bulk()
    started = (_start_if_due(name, entry, jobs.task_named(entry["task"]))
               for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
               if _is_due(runs.get(name), entry))  # looked at first without the lock
    return [job for job in started if job is not None]
