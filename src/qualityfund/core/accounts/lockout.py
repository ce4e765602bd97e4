"""Lock-out with two limits (django-axes handler).

``AXES_LOCKOUT_PARAMETERS`` counts failures per (username, address) and per address. Axes
compares the larger count with one limit; here each has its own: ``AXES_FAILURE_LIMIT``
failures lock one username from one address, ``AXES_ADDRESS_FAILURE_LIMIT`` failures lock the
address for every username (one address spraying many accounts). The address's count is not
wiped by one successful log-in from it, or an attacker could reset it with an account of
their own. The address is ``core.common.net.client_address`` (AXES_CLIENT_IP_CALLABLE).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AddressAwareHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The pair's failures, or the pair's limit once the address reached its own."""
        pair, address = (_failures(q) for q in self.get_user_attempts(request, credentials))
        if address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A success clears this username's failures from this address only."""
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address).delete()
        return count
