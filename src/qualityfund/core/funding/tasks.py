"""Background work of the funding app: running the checks of a whole year."""

from celery import shared_task
from django.contrib.auth import get_user_model

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State


@shared_task
def run_year_checks(guide_id: int, user_id: int) -> int:
    """Index every application of the guide's year, then check each reviewed one."""
    from qualityfund.core.guides.models import Guide

    from . import services

    guide = Guide.objects.get(pk=guide_id)
    user = get_user_model().objects.get(pk=user_id)
    services.index_year(guide.year)
    reviewed = Application.objects.filter(guide=guide, state=State.REVIEWED)
    for application in reviewed:
        services.run_checks(application, by=user)
    return len(reviewed)
