"""The iCalendar (RFC 5545) feed of one venue's programme, built with ``icalendar``.

Times carry the venue's time zone (``DTSTART;TZID=Europe/Vilnius:…`` with its VTIMEZONE);
DTSTAMP is in UTC. Each event's UID is its translation key, which never changes, so calendar
programs update an event instead of adding it twice. Only the public allow-list
(:class:`programme.public.PublicEvent`) is written: never the organiser's contact details.
"""

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines

import icalendar

from programme.public import to_public_event

PRODID = "-//Trafficking exhibition//Programme//EN"


def event_uid(event) -> str:
    return f"{event.translation_key}@programme.trafficking-exhibition"


def build_calendar(venue, events, *, base_url: str, name: str) -> bytes:
    """The feed of ``events`` (already selected through ``visible_in``) at ``venue``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", venue.time_zone)
    for page in events:
        event = to_public_event(page)
        entry = icalendar.Event()
        entry.add("uid", event_uid(page))
        # When this version was published; RFC 5545 also allows the time the feed was made.
        entry.add("dtstamp", page.last_published_at or timezone.now())
        entry.add("dtstart", event.start)
        entry.add("dtend", event.end)
        entry.add("summary", event.title)
        entry.add("categories", [event.kind_label])
        entry.add("location", f"{event.venue.institution}, {event.venue.city}")
        if event.url:
            entry.add("url", event.url if "://" in event.url else base_url + event.url)
        description = event.summary or normalize_newlines(strip_tags(event.description)).strip()
        if description:
            entry.add("description", description)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
