"""Rate limits of the venue API: per client address (before the token is even looked at, so
guessing tokens is slow too) and per token, in fixed windows counted in Django's default cache.

The count lives in the cache, so with several workers the cache must be shared between them
(Redis, Memcached, the database cache); a per-process cache multiplies the limit by the number
of processes. ``VENUE_API_RATE_LIMIT`` requests per ``VENUE_API_RATE_WINDOW`` seconds.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from stories.contributions.clients import client_address


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__("rate limited")
        self.retry_after = retry_after


def hit(scope: str, key: str) -> None:
    """Count one request for ``key``; raise :class:`RateLimited` past the limit."""
    limit = settings.VENUE_API_RATE_LIMIT
    window = settings.VENUE_API_RATE_WINDOW
    window_number, elapsed = divmod(int(time.time()), window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"venue_api:rate:{scope}:{digest}:{window_number}"
    # add() is atomic where the cache is; incr() then counts without a lost update.
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add() and incr()
        cache.set(cache_key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=max(1, window - elapsed))


def hit_address(request) -> None:
    hit("ip", client_address(request))


def hit_token(token) -> None:
    hit("token", str(token.pk))
