"""Where the request being served comes from, for the audit records written while serving it.

The middleware notes the client's address (as the trusted reverse proxy reports it, see
:mod:`.net`) and its user agent for the length of one request; records written outside a
request (commands, background work) leave both blank.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from .net import client_address

USER_AGENT_LENGTH = 255


@dataclass(frozen=True)
class Source:
    address: str = ""
    user_agent: str = ""


OUTSIDE = Source()  # commands and background work
_current: ContextVar[Source | None] = ContextVar("audit_source", default=None)


def current() -> Source:
    return _current.get() or OUTSIDE


class AuditSourceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(Source(
            address=client_address(request)[:45],
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
