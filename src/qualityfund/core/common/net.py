"""Who is asking: the client's address as the bureau's own reverse proxy reports it.

Behind the README's proxy every request comes from the proxy's address, and the real client
is named in ``X-Forwarded-For``. That header is only believed when the request came from a
proxy listed in ``TRUSTED_PROXIES``; a client that sends it straight to the server cannot
choose the address that lock-out, rate limits and the audit trail see.
"""

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """``REMOTE_ADDR``, or, when that is a trusted proxy, the right-most address of
    ``X-Forwarded-For`` that is not itself a trusted proxy (the proxies append on the right,
    so whatever a client wrote on the left is never taken)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not _is_trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _is_trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote
    return remote
