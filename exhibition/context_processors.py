from django.conf import settings
from django.utils.functional import lazy

from wagtail.models import Locale, Page


def first_live_page_url(page_type, request) -> str:
    """The URL of the first live, public page of ``page_type`` in the active language (or in
    the default one), or ''. Evaluated only when a template uses it."""
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
        "EXHIBITION_URL": lazy(first_live_page_url, str)(ExhibitionPage, request),
    }
