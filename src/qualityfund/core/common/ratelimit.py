"""A fixed-window counter in Django's cache (Redis in the scaled runtime, so every process
counts together): how often one client may do something, e.g. file an objection."""

import time
from dataclasses import dataclass

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/h"`` → (20, 3600); the period is s, m, h or d (or a word starting so)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


def hit(scope: str, key: str, rate: str) -> Verdict:
    """Count one event of ``scope`` for ``key``; allowed while the window's count is within
    the rate. ``add`` then ``incr`` is atomic on Redis and on the local-memory cache."""
    limit, window = parse_rate(rate)
    now = time.time()
    start = int(now // window) * window
    cache_key = f"ratelimit:{scope}:{key}:{start}"
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window)
        count = 1
    return Verdict(allowed=count <= limit, retry_after=max(1, int(start + window - now)))
