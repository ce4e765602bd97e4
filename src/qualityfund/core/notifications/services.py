"""Telling an applicant about every step that concerns their application.

The in-app notice is written in the caller's transaction; e-mail and SMS go out in the
background once it commits, so a slow mail server never holds up an officer.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.accounts.models import Role, User
from qualityfund.core.common.tasks import enqueue

from . import tasks
from .models import Notification


def notify_organisation(organisation_id: int, *, kind: str, title: str, body: str,
                        link: str = "", application=None) -> list[Notification]:
    """One notice per active applicant user of the organisation."""
    users = User.objects.filter(organisation_id=organisation_id, role=Role.APPLICANT,
                                is_active=True)
    notices = Notification.objects.bulk_create([
        Notification(recipient=user, application=application, kind=kind, title=title,
                     body=body, link=link) for user in users])
    if notices:
        enqueue(tasks.deliver_notifications, [n.pk for n in notices])
    return notices


def notify_applicants(application, *, kind: str, title: str, body: str,
                      link: str = "") -> list[Notification]:
    """One notice per active applicant user of the application's organisation."""
    return notify_organisation(application.organisation_id, kind=kind, title=title, body=body,
                               link=link, application=application)


def notify_about(application, *, kind: str, title: str, body: str,
                 link: str | None = None) -> list[Notification]:
    """A notice about one application, naming it, linking to its progress page."""
    name = application.project_name or application.number
    return notify_applicants(
        application, kind=kind, title=title,
        body=f"您单位的申请“{name}”（申报编号 {application.number}）：{body}",
        link=link if link is not None else reverse("web:application-progress",
                                                   args=[application.pk]))


@transaction.atomic
def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notices read, or all of them; returns how many changed."""
    notices = Notification.objects.filter(recipient=user).unread()
    if notification_id is not None:
        notices = notices.filter(pk=notification_id)
    return notices.update(read_at=timezone.now())
