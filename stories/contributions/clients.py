"""Who is sending, as far as abuse control needs to know: a keyed hash, never an address.

The client's IP address is read from the request, hashed at once with a key derived from
``SECRET_KEY`` and today's date (so keys cannot be linked across days, nor reversed by trying
every IPv4 address without the secret), and then forgotten. Rate limiting counts per key in
Django's cache; a pending contribution keeps the key until it is moderated.
"""

import ipaddress
import time

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from stories.contributions.conf import contribution_settings

KEY_SALT = "stories.contributions.client"


def client_address(request) -> str:
    """The client's address: the socket peer, or, behind ``trusted_proxies`` reverse proxies,
    the address the outermost of them saw (entries further left can be forged by the client).
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = contribution_settings().trusted_proxies
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        # One IPv6 client usually holds a whole /64: count the network, not the address.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _today() -> str:
    return timezone.now().date().isoformat()


def client_key(request) -> str:
    """A keyed hash of the client's address, rotated every day (UTC)."""
    day = _today()
    return salted_hmac(
        f"{KEY_SALT}:{day}", client_address(request), algorithm="sha256"
    ).hexdigest()[:32]


class RateLimit:
    """At most ``rate_limit`` submissions per client in each fixed window of ``rate_window``
    seconds, counted in the default cache (shared between processes only if that cache is)."""

    def __init__(self, key: str):
        conf = contribution_settings()
        self.limit = conf.rate_limit
        self.window = conf.rate_window
        window_number, elapsed = divmod(int(time.time()), self.window)
        self.cache_key = f"stories:contribution-rate:{key}:{window_number}"
        self.retry_after = self.window - elapsed

    @classmethod
    def for_request(cls, request) -> "RateLimit":
        return cls(client_key(request))

    def count(self) -> int:
        return cache.get(self.cache_key, 0)

    def exceeded(self) -> bool:
        return self.count() >= self.limit

    def hit(self) -> None:
        # add() is atomic where the cache is; incr() then counts without a lost update.
        cache.add(self.cache_key, 0, timeout=self.window)
        try:
            cache.incr(self.cache_key)
        except ValueError:  # evicted between add() and incr()
            cache.set(self.cache_key, 1, timeout=self.window)
