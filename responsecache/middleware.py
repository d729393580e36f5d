"""A whole-response cache for anonymous visitors, invalidated by the content generation.

Public pages (narrative pages, object pages, room pages, listings) are the same for every
anonymous visitor on a given day, so the rendered response is kept in Django's cache under a
key made of the content generation, the date, the language and the URL. A write to public
content raises the generation (``receivers``): the next request misses and renders anew. The
date in the key makes consent and loan periods that end at midnight take effect at once; a
time-out bounds anything that changes by the clock within a day (an event moving to the
archive).

What is never cached: anything but GET/HEAD; requests with a session, a messages cookie or an
Authorization header (staff, previews, the venue API); responses that set a cookie, vary on
Cookie, are not 200, are streamed, or say ``private``/``no-cache``/``no-store`` (consent-gated
recordings, the quick-exit page). The middleware sits outside the session, CSRF and message
middleware, so it sees the cookies and Vary headers they add.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, has_vary_header

from responsecache.models import current_generation

HIT_HEADER = "X-Response-Cache"


def _settings():
    return {
        "enabled": getattr(settings, "RESPONSE_CACHE", True),
        "alias": getattr(settings, "RESPONSE_CACHE_ALIAS", "default"),
        "timeout": getattr(settings, "RESPONSE_CACHE_TIMEOUT", 300),
        "skip": tuple(getattr(settings, "RESPONSE_CACHE_SKIP_PREFIXES", ())),
        "max_bytes": getattr(settings, "RESPONSE_CACHE_MAX_BYTES", 1_000_000),
    }


class ResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        config = _settings()
        if not config["enabled"] or not self.request_is_cacheable(request, config):
            return self.get_response(request)
        cache = caches[config["alias"]]
        key = self.cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached[HIT_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if request.method == "GET" and self.response_is_cacheable(request, response, config):
            cache.set(key, response, config["timeout"])
            response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def request_is_cacheable(request, config) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        return not request.path_info.startswith(config["skip"])

    @staticmethod
    def response_is_cacheable(request, response, config) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if has_vary_header(response, "Cookie") or has_vary_header(response, "Authorization"):
            return False
        directives = {
            part.split("=", 1)[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if directives & {"private", "no-cache", "no-store"}:
            return False
        return len(response.content) <= config["max_bytes"]

    @staticmethod
    def cache_key(request) -> str:
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        parts = [
            str(current_generation()),
            timezone.localdate().isoformat(),
            language,
            request.META.get("HTTP_HOST", ""),
            request.get_full_path(),
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"responsecache:{digest}"
