"""``Authorization: Token <key>`` with the platform's own expiring, hashed tokens
(``core.accounts.tokens``)."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from qualityfund.core.accounts import tokens


class ExpiringTokenAuthentication(TokenAuthentication):
    """A dead token answers 401 with why; a live token that is not enough (a password-only
    staff token on a two-factor server, an initial password still unchanged) answers 403."""

    def authenticate_credentials(self, key):
        try:
            token = tokens.resolve(key)
        except tokens.TokenRefused as refused:
            if refused.status == 403:
                raise exceptions.PermissionDenied(refused.message) from None
            raise exceptions.AuthenticationFailed(refused.message) from None
        return token.user, token
