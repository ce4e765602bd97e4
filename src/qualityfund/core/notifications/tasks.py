"""Background delivery of notices (inline, thread or Celery, like every task)."""

from celery import shared_task


@shared_task
def deliver_notifications(notification_ids: list[int]) -> dict:
    from .delivery import deliver

    return deliver(notification_ids)
