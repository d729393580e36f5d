from exhibition.context_processors import page_url_once


def programme_link(request):
    """The programme's listing for the main navigation, or '' while there is none."""
    from programme.models import EventIndexPage

    return {"PROGRAMME_URL": page_url_once(EventIndexPage, request)}
