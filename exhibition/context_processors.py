from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from wagtail.models import Locale, Page

from responsecache.models import current_generation


def page_url_once(page_type, request) -> SimpleLazyObject:
    """:func:`first_live_page_url`, looked up when a template first uses it and then kept
    for the rest of the request (a template may test it and print it: one lookup)."""
    return SimpleLazyObject(lambda: first_live_page_url(page_type, request))


# Found URLs by page type, language, host and content generation: any write to public
# content (a page published, moved or restricted) starts a new generation.
_found: dict[tuple, str] = {}
_FOUND_LIMIT = 512


def first_live_page_url(page_type, request) -> str:
    """The URL of the first live, public page of ``page_type`` in the active language (or in
    the default one), or ''. Remembered per process until public content next changes.

    Not inside a transaction: what it sees there may still be rolled back, and with it the
    generation it would be remembered under."""
    if transaction.get_connection().in_atomic_block:
        return _look_up(page_type, request)
    generation = getattr(request, "_content_generation", None)
    if generation is None:
        generation = request._content_generation = current_generation()
    key = (
        page_type._meta.label,
        translation.get_language(),
        request.scheme,
        request.get_host(),
        generation,
    )
    url = _found.get(key)
    if url is None:
        url = _look_up(page_type, request)
        if len(_found) >= _FOUND_LIMIT:
            _found.clear()
        _found[key] = url
    return url


def _look_up(page_type, request) -> str:
    pages = Page.objects.type(page_type).live().public().order_by("path")
    try:
        active = Locale.get_active()
    except Locale.DoesNotExist:
        active = None
    page = (pages.filter(locale=active).first() if active else None) or pages.first()
    return (page.get_url(request) or "") if page else ""


def site_chrome(request):
    """What every public page's frame needs: the quick-exit target and the way into the
    online exhibition (the home page until an exhibition page is published)."""
    from exhibition.models import ExhibitionPage

    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "EXHIBITION_URL": page_url_once(ExhibitionPage, request),
    }
