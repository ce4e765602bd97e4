"""Two-factor log-in with a time-based one-time password (django-otp's TOTP devices).

Any user may enrol an authenticator app; once confirmed, log-in asks for its 6-digit code.
``STAFF_REQUIRE_2FA`` makes it compulsory for bureau staff (recommended in production).
"""

from django.db import transaction
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityfund.core.common import audit

DEVICE_NAME = "身份验证器"


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


@transaction.atomic
def start_enrolment(user) -> TOTPDevice:
    """A fresh unconfirmed device; an earlier unconfirmed one is discarded."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


@transaction.atomic
def confirm_enrolment(user, token: str) -> TOTPDevice | None:
    """Confirm the pending device with a code from the app; replaces any earlier device."""
    device = pending_device(user)
    if device is None or not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(user, "account.enable_2fa", user)
    return device


@transaction.atomic
def disable(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(user, "account.disable_2fa", user)


def verify(user, token: str):
    """The device that accepts ``token`` (throttled by django-otp), or None."""
    return match_token(user, token.strip())
