from django.conf import settings


def site_chrome(request):
    """What every public page's frame needs: the quick-exit target and the languages."""
    return {"QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
