"""The fixed-window counter, on the local-memory cache and on Redis (the scaled runtime, where
several processes count together)."""

import uuid

import pytest

from qualityfund.core.common import ratelimit


@pytest.mark.parametrize(("rate", "parsed"), [("10/h", (10, 3600)), ("60/min", (60, 60)),
                                              ("3/s", (3, 1)), ("100/day", (100, 86400))])
def test_rates_read_like_drfs(rate, parsed):
    assert ratelimit.parse_rate(rate) == parsed


def test_the_limit_holds_per_scope_and_key():
    verdicts = [ratelimit.hit("objection", "203.0.113.9", "3/h") for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert 0 < verdicts[-1].retry_after <= 3600
    assert ratelimit.hit("objection", "198.51.100.8", "3/h").allowed
    assert ratelimit.hit("register", "203.0.113.9", "3/h").allowed


def test_the_count_lives_in_redis_where_every_process_sees_it(settings):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/13", "KEY_PREFIX": f"qf-test-{uuid.uuid4()}"}}
    from django.core.cache import caches

    for _ in range(2):
        assert ratelimit.hit("objection", "203.0.113.9", "3/h").allowed
    caches.close_all()  # a new connection, as another process has
    assert ratelimit.hit("objection", "203.0.113.9", "3/h").allowed
    assert not ratelimit.hit("objection", "203.0.113.9", "3/h").allowed
