from django.utils.functional import lazy

from exhibition.context_processors import first_live_page_url


def programme_link(request):
    """The programme's listing for the main navigation, or '' while there is none."""
    from programme.models import EventIndexPage

    return {"PROGRAMME_URL": lazy(first_live_page_url, str)(EventIndexPage, request)}
