"""Two-factor log-in with a time-based one-time password (django-otp's TOTP devices).

Any user may enrol an authenticator app; once confirmed, log-in asks for its 6-digit code.
``STAFF_REQUIRE_2FA`` makes it compulsory for bureau staff (recommended in production).

A member of bureau staff enrols a first authenticator only with an enrolment code (绑定码)
that an administrator issued to them: someone who has learnt the password must not be able to
bind their own phone to the account. The code is shown once, stored as a password hash,
expires, is used once, and dies after ``ENROLMENT_CODE_TRIES`` wrong tries.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require

from . import tokens
from .models import EnrolmentCode, User

DEVICE_NAME = "身份验证器"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no look-alikes: 50 bits
CODE_LENGTH = 10
ENROLMENT_CODE_TRIES = 5


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def needs_enrolment_code(user, *, verified: bool) -> bool:
    """Bureau staff need one, unless this session was verified by their current
    authenticator (replacing it is then the same person's act)."""
    return user.is_bureau_staff and not verified


def _normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


@transaction.atomic
def issue_enrolment_code(user: User, *, by: User | None) -> str:
    """A new enrolment code for ``user``, replacing any unused one; returned to be shown once.
    ``by`` is the administrator (never the user), or None for the server's operator at the
    command line (how the first administrator gets one)."""
    if by is not None:
        require(by, "accounts.issue_enrolment_code", user)
    if not user.is_bureau_staff:
        raise RuleViolation(f"{user.username} 不是局内人员：绑定身份验证器无需绑定码",
                            field="user")
    user.enrolment_codes.filter(used_at__isnull=True).delete()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    entry = EnrolmentCode.objects.create(
        user=user, code_hash=make_password(code), issued_by=by,
        expires_at=timezone.now() + timedelta(hours=settings.ENROLMENT_CODE_HOURS))
    audit.record(by, "account.2fa.issue_enrolment_code", user, username=user.username,
                 expires_at=entry.expires_at.isoformat())
    return f"{code[:5]}-{code[5:]}"


def _redeem(user: User, code: str) -> None:
    """Use up the user's enrolment code, or raise RuleViolation. A wrong try is counted (and
    audited) in its own transaction, so that refusing the enrolment does not undo it."""
    with transaction.atomic():
        entry = (user.enrolment_codes.select_for_update()
                 .filter(used_at__isnull=True, expires_at__gt=timezone.now()).first())
        if entry is None:
            problem = (f"没有有效的绑定码：局内人员首次绑定身份验证器，须输入系统管理员签发的绑定码"
                       f"（一次有效，{settings.ENROLMENT_CODE_HOURS}小时内有效）")
        elif check_password(_normalise(code), entry.code_hash):
            entry.used_at = timezone.now()
            entry.save(update_fields=["used_at"])
            return
        else:
            entry.failures += 1
            left = ENROLMENT_CODE_TRIES - entry.failures
            if left <= 0:
                entry.used_at = timezone.now()
                problem = "绑定码输错次数过多，已作废，请联系系统管理员重新签发"
            else:
                problem = f"绑定码不正确（还可再试{left}次）"
            entry.save(update_fields=["failures", "used_at"])
            audit.record(user, "account.2fa.enrolment_code_refused", user,
                         failures=entry.failures)
    raise RuleViolation(problem, field="enrolment_code")


def start_enrolment(user: User, *, code: str = "", verified: bool = False) -> TOTPDevice:
    """A fresh unconfirmed device (an earlier unconfirmed one is discarded), after the
    enrolment code when one is needed."""
    if needs_enrolment_code(user, verified=verified):
        _redeem(user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        audit.record(user, "account.2fa.start", user)
    return device


def pending_device(user, device_id) -> TOTPDevice | None:
    """The unconfirmed device ``device_id`` of ``user``: the interface keeps the id in the
    session that started the enrolment, so that another session with the same password
    neither sees its secret nor confirms it."""
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()


@transaction.atomic
def confirm_enrolment(user, token: str, device_id) -> TOTPDevice | None:
    """Confirm the pending device with a code from the app; replaces any earlier device, and
    ends the API tokens that were issued on the password alone."""
    device = pending_device(user, device_id)
    if device is None or not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(user, "account.2fa.enable", user)
    tokens.revoke_all(user, reason="enable_2fa", password_only=True)
    return device


def required_for(user) -> bool:
    return settings.STAFF_REQUIRE_2FA and user.is_bureau_staff


@transaction.atomic
def disable(user) -> None:
    if required_for(user):
        raise RuleViolation("本平台要求局内人员启用两步验证，不能关闭")
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(user, "account.2fa.disable", user)


@transaction.atomic
def reset(user: User, *, by: User) -> None:
    """An administrator removes a lost authenticator; the user enrols again (staff with a new
    enrolment code)."""
    require(by, "accounts.reset_two_factor", user)
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(by, "account.2fa.reset", user, username=user.username)


def verify(user, token: str):
    """The device that accepts ``token`` (throttled by django-otp), or None."""
    return match_token(user, token.strip())
