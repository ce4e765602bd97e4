"""Delivery channels behind one interface: e-mail (Django's mail backend, console in the
embedded runtime) and SMS (a gateway chosen by the ``SMS_GATEWAY`` setting).

A channel gets the recipients' addresses and the message and reports what it sent.
"""

import logging
import re
import sys
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger("qualityfund.notifications")
MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


class Message(Protocol):
    title: str
    body: str
    link: str


class Channel(Protocol):
    name: str

    def address(self, user) -> str | None:
        """Where ``user`` receives this channel's messages, or None."""

    def send(self, addresses: list[str], message: Message) -> int:
        """Send to every address; return how many were sent."""


class SmsGateway(Protocol):
    def send_sms(self, phone: str, text: str) -> None: ...


class ConsoleSmsGateway:
    """The embedded runtime's SMS gateway: prints and logs the text instead of sending it."""

    def send_sms(self, phone: str, text: str) -> None:
        line = f"[短信] {phone}：{text}"
        log.info(line)
        print(line, file=sys.stdout, flush=True)


class EmailChannel:
    name = "email"

    def address(self, user) -> str | None:
        organisation = getattr(user, "organisation", None)
        return user.email or (organisation.contact_email if organisation else None) or None

    def send(self, addresses: list[str], message: Message) -> int:
        body = message.body
        if message.link:
            body += f"\n\n请登录质量品牌专项资金平台查看：{site_url(message.link)}"
        return send_mail(f"【质量品牌专项资金】{message.title}", body,
                         settings.DEFAULT_FROM_EMAIL, addresses)


class SmsChannel:
    name = "sms"

    def __init__(self, gateway: SmsGateway | None = None):
        self.gateway = gateway or sms_gateway()

    def address(self, user) -> str | None:
        organisation = getattr(user, "organisation", None)
        for phone in (user.phone, organisation.contact_phone if organisation else ""):
            phone = re.sub(r"[\s-]", "", phone or "")
            if MOBILE.match(phone):
                return phone
        return None

    def send(self, addresses: list[str], message: Message) -> int:
        text = f"【质量品牌专项资金】{message.title}。详情请登录平台查看。"
        for phone in addresses:
            self.gateway.send_sms(phone, text)
        return len(addresses)


def site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


@cache
def _gateway_class(path: str):
    return import_string(path)


def sms_gateway() -> SmsGateway:
    path = getattr(settings, "SMS_GATEWAY",
                   "qualityfund.core.notifications.channels.ConsoleSmsGateway")
    return _gateway_class(path)()


def enabled_channels() -> list[Channel]:
    names = getattr(settings, "NOTIFICATION_CHANNELS", ["email", "sms"])
    available = {"email": EmailChannel, "sms": SmsChannel}
    return [available[name]() for name in names]
