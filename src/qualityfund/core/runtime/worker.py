"""Running jobs inside this process (``QUALITYFUND_TASKS=thread``, the embedded runtime).

Jobs run on a small thread pool, so a request never waits for heavy work such as OCR. A
loop beside it renews the leases of this process's running jobs; in a serving process
(:func:`start`, called by ``qualityfund.wsgi`` under runserver and in every gunicorn worker)
it also takes up the jobs that are due — left by a process that died, waiting out a retry
delay, or queued by a command — and starts the periodic entries (:mod:`.scheduler`).
"""

import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from django.conf import settings
from django.db import close_old_connections

from . import jobs, scheduler

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_submitted: set[int] = set()
_loop_pid: int | None = None
_serving = False


@cache
def _executor(pid: int) -> ThreadPoolExecutor:
    """One pool per process: a forked child does not inherit its parent's threads."""
    return ThreadPoolExecutor(max_workers=settings.TASKS_THREADS,
                              thread_name_prefix="qualityfund-task")


def _run(job_id: int) -> None:
    try:
        jobs.run(job_id)
    except Exception:
        logger.exception("后台任务 #%s 未能执行", job_id)
    finally:
        with _lock:
            _submitted.discard(job_id)
        close_old_connections()


def submit(job_id: int) -> None:
    """Run job ``job_id`` on this process's pool, unless it is already waiting there."""
    _ensure_loop()
    with _lock:
        if job_id in _submitted:
            return
        _submitted.add(job_id)
    _executor(os.getpid()).submit(_run, job_id)


def _poll() -> None:
    jobs.renew_leases()
    if _serving:
        for job_id in jobs.due():
            submit(job_id)
        for job in scheduler.tick():
            submit(job.pk)


def _loop() -> None:
    while True:
        try:
            _poll()
        except Exception:
            logger.exception("后台任务轮询出错")
        finally:
            close_old_connections()
        time.sleep(settings.TASKS_POLL_SECONDS)


def _ensure_loop() -> None:
    global _loop_pid
    with _lock:
        if _loop_pid == os.getpid():
            return
        _loop_pid = os.getpid()
    threading.Thread(target=_loop, name="qualityfund-runtime", daemon=True).start()


def start() -> None:
    """Make this process a server of the embedded runtime's jobs and periodic entries."""
    global _serving
    if settings.TASKS_MODE != "thread":
        return
    _serving = True
    _ensure_loop()
