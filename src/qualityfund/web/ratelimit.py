"""Public forms limited per client address: a POST over ``RATE_LIMITS[scope]`` gets a Chinese
429 page instead of being handled (registration and objections can be flooded by anyone)."""

from functools import wraps

from django.conf import settings
from django.shortcuts import render

from qualityfund.core.common import ratelimit
from qualityfund.core.common.net import client_address


def limit_posts(scope: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                verdict = ratelimit.hit(scope, client_address(request),
                                        settings.RATE_LIMITS[scope])
                if not verdict.allowed:
                    minutes = -(-verdict.retry_after // 60)
                    response = render(request, "web/ratelimited.html", {"minutes": minutes},
                                      status=429)
                    response["Retry-After"] = str(verdict.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
