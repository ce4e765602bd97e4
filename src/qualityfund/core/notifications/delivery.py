"""Sending stored notices through the enabled channels, one message per distinct address."""

from django.db import transaction

from .channels import enabled_channels
from .models import Notification


def deliver(notification_ids: list[int], channels=None) -> dict[str, int]:
    """Send the notices (all copies of one event) once per distinct address and channel."""
    notices = list(Notification.objects.filter(pk__in=notification_ids)
                   .select_related("recipient__organisation"))
    if not notices:
        return {}
    sent = {}
    for channel in channels if channels is not None else enabled_channels():
        addresses = []
        for notice in notices:
            if channel.name in notice.delivered:
                continue
            address = channel.address(notice.recipient)
            if address and address not in addresses:
                addresses.append(address)
        sent[channel.name] = channel.send(addresses, notices[0]) if addresses else 0
        with transaction.atomic():
            for notice in notices:
                notice.delivered = {**notice.delivered, channel.name: sent[channel.name] > 0}
                notice.save(update_fields=["delivered"])
    return sent
