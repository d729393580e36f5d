"""Public views of the programme that are not Wagtail pages: the calendar feed per venue."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wagtail.models import Locale

from exhibition.models import Venue
from programme.calendar import build_calendar
from programme.models import EventPage
from visibility.channels import WEB


@require_safe
def venue_calendar(request, venue_slug: str):
    """The iCalendar feed of one announced venue: its live, public events in this language."""
    venue = get_object_or_404(Venue.objects.visible_in(WEB), slug=venue_slug)
    events = (
        EventPage.objects.visible_in(WEB)
        .filter(venue=venue, locale=Locale.get_active())
        .select_related("venue")
        .order_by("start", "pk")
    )
    body = build_calendar(
        venue,
        events,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        name=_("Programme at %(venue)s") % {"venue": venue.institution},
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-{venue.slug}.ics"'
    return response
