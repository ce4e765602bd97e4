"""Background jobs kept in the database: the embedded runtime's queue.

A job row is written in the transaction of the work that asks for it, so it exists exactly
when that work was committed. A process claims it with one conditional UPDATE (so two
processes never both start it), runs it under a lease that it renews while it works, and
records the outcome. A job whose lease ran out belonged to a process that died (``kill -9``,
a power cut): whichever process looks next claims it again. Each job runs at most
``max_attempts`` times; then it is ``failed``, with its error, for the administrator to see,
and the task's ``on_failure`` records the failure where the user looks (a material's check).
"""

import logging
import os
import socket
import traceback
import uuid
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from qualityfund.celery import app

from .models import Job

logger = logging.getLogger(__name__)

OPEN = (Job.State.QUEUED, Job.State.RUNNING)
KEEP_DONE = timedelta(days=30)  # failed jobs stay until the administrator has looked
_PROCESS = uuid.uuid4().hex[:8]


class WorkerLost(Exception):
    """The process running a job died before the job finished."""


def owner() -> str:
    """This process, as named in the jobs it runs (the pid changes in a forked child)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_PROCESS}"


def _lease() -> timedelta:
    return timedelta(seconds=settings.TASKS_LEASE_SECONDS)


@cache
def _registry():
    """Celery's task registry, with every app's ``tasks`` module imported."""
    autodiscover_modules("tasks")
    return app.tasks


def task_named(name: str):
    """The Celery task registered as ``name`` (KeyError when there is none)."""
    return _registry()[name]


def persist(task, args=(), kwargs=None, *, periodic: str = "") -> Job:
    """Write a job for ``task`` (a Celery task) in the current transaction."""
    return Job.objects.create(
        task=task.name, args=list(args), kwargs=kwargs or {}, periodic=periodic,
        max_attempts=settings.TASKS_MAX_ATTEMPTS, run_after=timezone.now())


def _claimable(now) -> Q:
    return (Q(state=Job.State.QUEUED, run_after__lte=now)
            | Q(state=Job.State.RUNNING, lease_expires_at__lt=now))


def due(limit: int = 50) -> list[int]:
    """Jobs waiting to run now, or abandoned by a process that died, oldest first."""
    now = timezone.now()
    return list(Job.objects.filter(_claimable(now)).order_by("run_after", "id")
                .values_list("pk", flat=True)[:limit])


def claim(job_id: int) -> Job | None:
    """Take the job for this process, or None when it is not (or no longer) to be run."""
    now = timezone.now()
    taken = Job.objects.filter(_claimable(now), pk=job_id).update(
        state=Job.State.RUNNING, attempts=F("attempts") + 1, owner=owner(), started_at=now,
        lease_expires_at=now + _lease())
    return Job.objects.get(pk=job_id) if taken else None


def renew_leases() -> int:
    """Keep the jobs this process is running from being taken as abandoned."""
    return Job.objects.filter(state=Job.State.RUNNING, owner=owner()).update(
        lease_expires_at=timezone.now() + _lease())


def _record(job: Job, **fields) -> bool:
    """Write the outcome, unless the job was meanwhile taken by another process."""
    return bool(Job.objects.filter(pk=job.pk, owner=job.owner, state=Job.State.RUNNING)
                .update(lease_expires_at=None, **fields))


def _give_up(job: Job, task, error: BaseException, text: str) -> Job:
    logger.error("后台任务 #%s（%s）第%s次执行失败，不再重试：%s",
                 job.pk, job.task, job.attempts, error)
    if _record(job, state=Job.State.FAILED, finished_at=timezone.now(), last_error=text):
        try:
            task.on_failure(error, str(job.pk), job.args, job.kwargs, None)
        except Exception:
            logger.exception("后台任务 #%s 的失败处理出错", job.pk)
    return job


def run(job_id: int) -> Job | None:
    """Claim job ``job_id`` and run it once: done, queued again after a delay, or failed."""
    job = claim(job_id)
    if job is None:
        return None
    task = _registry().get(job.task)
    if task is None:
        _record(job, state=Job.State.FAILED, finished_at=timezone.now(),
                last_error=f"未知任务：{job.task}")
        return job
    if job.attempts > job.max_attempts:
        lost = WorkerLost(f"执行进程在第{job.max_attempts}次执行中终止")
        return _give_up(job, task, lost, str(lost))
    try:
        task(*job.args, **job.kwargs)
    except Exception as error:  # noqa: BLE001 - whatever the task raised is its outcome
        text = traceback.format_exc()[-4000:]
        if job.attempts >= job.max_attempts:
            return _give_up(job, task, error, text)
        delay = settings.TASKS_RETRY_SECONDS * 2 ** (job.attempts - 1)
        logger.warning("后台任务 #%s（%s）第%s次执行失败，%s秒后重试：%s",
                       job.pk, job.task, job.attempts, delay, error)
        _record(job, state=Job.State.QUEUED, last_error=text,
                run_after=timezone.now() + timedelta(seconds=delay))
        return job
    _record(job, state=Job.State.DONE, finished_at=timezone.now(), last_error="")
    return job


def open_arguments(task) -> set:
    """The first argument of every queued or running job of ``task``."""
    return {args[0] for args in Job.objects.filter(task=task.name, state__in=OPEN)
            .values_list("args", flat=True) if args}


def prune(now=None) -> int:
    """Delete the jobs done more than :data:`KEEP_DONE` ago; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_DONE
    deleted, _ = Job.objects.filter(state=Job.State.DONE, finished_at__lt=cutoff).delete()
    return deleted
