"""The API's rate limits, keyed on the client's real address.

DRF's own throttles take whatever ``X-Forwarded-For`` says when ``NUM_PROXIES`` is unset, so a
client could pick a new address per request; these ask ``core.common.net.client_address``,
which believes the header only from ``TRUSTED_PROXIES``. The rates are read at each request
(REST_FRAMEWORK's DEFAULT_THROTTLE_RATES), so a changed setting applies without a restart of
the class; the counts live in Django's cache (Redis in the scaled runtime).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from qualityfund.core.common.net import client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_address(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(ClientAddressMixin, AnonRateThrottle):
    """Requests without a signed-in user, per client address."""


class SignedInThrottle(ClientAddressMixin, UserRateThrottle):
    """Requests of a signed-in user, per user."""
