"""Periodic work of formal review (Celery beat in the scaled runtime; the command
``qualityfund abandon_overdue`` does the same from cron or by hand)."""

from celery import shared_task


@shared_task(name="review.abandon_overdue")
def abandon_overdue() -> list[int]:
    """视为放弃 the applications whose supplementation deadline has passed."""
    from .services import abandon_overdue as run

    return [application.pk for application in run()]
