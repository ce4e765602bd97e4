"""API tokens: issued at log-in through the API, expiring, revocable, stored only as a hash.

A token is valid until it expires (``API_TOKEN_HOURS_STAFF`` for bureau staff,
``API_TOKEN_HOURS`` for everyone else), until its owner revokes it or logs out, and no longer
than the password it was issued with. With ``STAFF_REQUIRE_2FA`` a member of bureau staff's
token counts only if it was issued after the second factor, exactly as a page session does.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qualityfund.core.common import audit
from qualityfund.core.common.permissions import require

from . import passwords
from .models import ApiToken, User

# A used token's last_used_at is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


class TokenRefused(Exception):
    """The token names no valid access; ``message`` says why, in Chinese; ``status`` is the
    HTTP answer (401 unknown or dead, 403 known but not enough)."""

    def __init__(self, message: str, status: int = 401):
        super().__init__(message)
        self.message, self.status = message, status


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime(user: User) -> timedelta:
    hours = settings.API_TOKEN_HOURS_STAFF if user.is_bureau_staff else settings.API_TOKEN_HOURS
    return timedelta(hours=hours)


def active(user: User):
    """The user's tokens that still open the API (the account page lists them)."""
    check = user.get_session_auth_hash()
    return [t for t in user.api_tokens.filter(expires_at__gt=timezone.now())
            if hmac.compare_digest(t.password_check, check)]


@transaction.atomic
def issue(user: User, *, second_factor: bool, address: str = "",
          user_agent: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``, who has just given the password (and, when ``second_factor``,
    the authenticator's code); the key is returned once and never stored."""
    now = timezone.now()
    user.api_tokens.filter(Q(expires_at__lte=now)
                           | ~Q(password_check=user.get_session_auth_hash())).delete()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=_digest(key), prefix=key[:8],
        password_check=user.get_session_auth_hash(), second_factor=second_factor,
        expires_at=now + lifetime(user), address=address, user_agent=user_agent[:200])
    audit.record(user, "account.token.issue", user, token=token.prefix,
                 expires_at=token.expires_at.isoformat(), second_factor=second_factor,
                 address=address)
    return token, key


def resolve(key: str) -> ApiToken:
    """The token whose key is ``key``, if it still opens the API; else TokenRefused."""
    token = (ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
             if key else None)
    if token is None or not token.user.is_active:
        raise TokenRefused("令牌无效或已撤销，请重新获取令牌")
    user = token.user
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRefused("令牌已过期，请重新获取令牌")
    if not hmac.compare_digest(token.password_check, user.get_session_auth_hash()):
        raise TokenRefused("密码已修改，此前签发的令牌均已失效，请重新获取令牌")
    if settings.STAFF_REQUIRE_2FA and user.is_bureau_staff and not token.second_factor:
        raise TokenRefused("本平台要求局内人员使用两步验证：此令牌仅凭密码签发，"
                           "请用身份验证器动态码重新获取令牌", status=403)
    change = passwords.change_required(user)
    if change:
        raise TokenRefused(change, status=403)
    if token.last_used_at is None or token.last_used_at < now - TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def revoke(token: ApiToken, *, by) -> None:
    require(by, "accounts.revoke_token", token)
    token.delete()
    audit.record(by, "account.token.revoke", token.user, token=token.prefix)


@transaction.atomic
def revoke_all(user: User, *, reason: str, password_only: bool = False) -> int:
    """End every token of ``user`` (at log-out), or those issued on the password alone (when
    the user turns two-factor on); audited when there were any."""
    tokens = user.api_tokens.filter(second_factor=False) if password_only else user.api_tokens
    count, _ = tokens.all().delete()
    if count:
        audit.record(user, "account.token.revoke_all", user, count=count, reason=reason)
    return count
