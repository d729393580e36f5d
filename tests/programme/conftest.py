import datetime
from zoneinfo import ZoneInfo

import pytest

from exhibition.factories import VenueFactory
from programme.models import Audience, EventIndexPage, EventKind, EventPage

VILNIUS = ZoneInfo("Europe/Vilnius")
CONTACT = "private.organiser@example.invalid, +46 70 000 00 00"


def make_event(index, venue, *, slug, start, hours=2, kind=EventKind.SEMINAR, live=True, **fields):
    """An event under ``index``; ``start`` is an aware datetime."""
    values = {
        "title": f"Event {slug}",
        "organiser_name": "Test organiser",
        "language_codes": "sv",
        "audience": Audience.EVERYONE,
        **fields,
    }
    event = EventPage(
        slug=slug,
        kind=kind,
        venue=venue,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        live=live,
        **values,
    )
    index.add_child(instance=event)
    return event


@pytest.fixture
def event_index(home_page) -> EventIndexPage:
    index = EventIndexPage(title="Programme", slug="programme-test")
    home_page.add_child(instance=index)
    return index


@pytest.fixture
def vilnius(db):
    return VenueFactory(
        slug="vilnius",
        institution="Test museum Vilnius",
        city="Vilnius",
        country="LT",
        language_codes="lt, en",
        time_zone="Europe/Vilnius",
    )


@pytest.fixture
def stockholm(db):
    return VenueFactory(slug="stockholm", institution="Test museum Stockholm")


@pytest.fixture
def hidden_venue(db):
    return VenueFactory(slug="unannounced", institution="Secret venue", announced=False)


def in_days(days: int, hour: int = 19, zone=VILNIUS) -> datetime.datetime:
    day = datetime.date.today() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
