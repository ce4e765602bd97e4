"""One task interface for both runtimes.

``enqueue(task, *args)`` hands ``task`` (a Celery task) to the runtime's background worker
once the current transaction has committed, as a separate worker would see the data:

- ``celery`` (``REDIS_URL`` set): a Celery worker picks it up from Redis;
- ``thread`` (embedded default): a job row written in the caller's transaction, run on a
  small in-process thread pool so a request never waits for heavy work such as OCR, and
  resumed by the server after a crash (:mod:`qualityfund.core.runtime.jobs`);
- ``inline``: run at once, in the caller's thread;
- ``deferred`` (the test suite's default): kept in a queue until :func:`run_deferred` drains
  it, like a worker that has not yet picked the job up.
"""

from celery import shared_task
from django.conf import settings
from django.db import transaction

from qualityfund.core.runtime import jobs, worker

_deferred: list[tuple] = []


def run_deferred() -> int:
    """Run the queued jobs of the ``deferred`` mode in order; returns how many ran."""
    ran = 0
    while _deferred:
        task, args, kwargs = _deferred.pop(0)
        task.apply(args=args, kwargs=kwargs, throw=True)
        ran += 1
    return ran


def discard_deferred() -> None:
    _deferred.clear()


def enqueue(task, *args, **kwargs) -> None:
    mode = settings.TASKS_MODE
    if mode == "celery":
        transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
    elif mode == "thread":
        job = jobs.persist(task, args, kwargs)
        transaction.on_commit(lambda: worker.submit(job.pk))
    elif mode == "deferred":
        transaction.on_commit(lambda: _deferred.append((task, args, kwargs)))
    else:
        transaction.on_commit(lambda: task.apply(args=args, kwargs=kwargs, throw=True))


@shared_task(name="common.seal_audit")
def seal_audit() -> int:
    """Link the audit records committed since the last run into the chain."""
    from .chain import seal_pending

    return seal_pending()


@shared_task(name="common.verify_audit")
def verify_audit(verification_id: int | None = None) -> bool:
    """Seal everything and verify the whole chain; the result is kept for the audit page."""
    from .chain import run_verification
    from .models import AuditVerification

    verification = (AuditVerification.objects.get(pk=verification_id) if verification_id
                    else None)
    return run_verification(verification).ok
