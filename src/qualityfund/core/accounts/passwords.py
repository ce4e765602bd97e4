"""Passwords: the rule every new one meets, when a user must change theirs, and the services
that set one.

A password someone else chose (an expert's initial password, an account an administrator
made, a colleague added by an applicant) is known to two people; its owner changes it at
first log-in before anything else works. Every change ends the user's other sessions
(Django's session hash) and every API token (``ApiToken.password_check``).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.domain import passwords

from .models import User

# No look-alikes (0/O, 1/l/I): an issued password is read out or copied by hand.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"


class ComplexityValidator:
    """AUTH_PASSWORD_VALIDATORS entry: ``domain.passwords``' length and character classes."""

    def __init__(self, min_length: int = passwords.MIN_LENGTH,
                 min_classes: int = passwords.MIN_CLASSES):
        self.min_length, self.min_classes = min_length, min_classes

    def validate(self, password: str, user=None) -> None:
        message = passwords.problem(password, min_length=self.min_length,
                                    min_classes=self.min_classes)
        if message:
            raise ValidationError(message, code="password_too_simple")

    def get_help_text(self) -> str:
        return passwords.rule_text(self.min_length, self.min_classes)


def generate() -> str:
    """Three groups of four characters joined by hyphens (about 70 bits), meeting the rule."""
    while True:
        candidate = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4))
                             for _ in range(3))
        if passwords.problem(candidate) is None:
            return candidate


def change_required(user) -> str | None:
    """Why ``user`` must change the password before anything else, or None."""
    if user.password_must_change:
        return "您的密码是他人为您设置的初始密码，请先修改密码，然后再使用平台"
    days = settings.STAFF_PASSWORD_MAX_AGE_DAYS
    if (days and user.is_bureau_staff
            and user.password_changed_at < timezone.now() - timedelta(days=days)):
        return f"您的密码已使用超过{days}天，请修改密码后再使用平台"
    return None


def store(user: User, raw: str, *, must_change: bool) -> User:
    """Set the password and when it was set; callers validate and audit."""
    user.set_password(raw)
    user.password_changed_at = timezone.now()
    user.password_must_change = must_change
    if user.pk is None:
        user.save()
    else:
        user.save(update_fields=["password", "password_changed_at", "password_must_change"])
        user.api_tokens.all().delete()
    return user


def _validate(raw: str, user: User, field: str) -> None:
    try:
        validate_password(raw, user)
    except ValidationError as exc:
        raise RuleViolation("新密码不符合要求：" + "；".join(exc.messages), field=field) from exc


@transaction.atomic
def change_password(user: User, current: str, new: str) -> User:
    """The user's own change: the current password, then a new one that meets the rule."""
    if not user.check_password(current):
        raise RuleViolation("当前密码不正确", field="old_password")
    if new == current:
        raise RuleViolation("新密码不能与当前密码相同", field="new_password1")
    _validate(new, user, "new_password1")
    store(user, new, must_change=False)
    audit.record(user, "account.password.change", user)
    return user


@transaction.atomic
def issue_password(user: User, *, by, password: str | None = None) -> str:
    """An initial password for ``user``, chosen by ``by`` (or generated); its owner must change
    it at first log-in. Returned so that it is shown once."""
    require(by, "accounts.issue_password", user)
    if password is None:
        password = generate()
    else:
        _validate(password, user, "password1")
    store(user, password, must_change=True)
    audit.record(by, "account.password.issue", user, username=user.username)
    return password
