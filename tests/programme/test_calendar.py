import datetime
from zoneinfo import ZoneInfo

from wagtail.models import PageViewRestriction

import icalendar
import pytest

from programme.models import EventKind
from tests.programme.conftest import CONTACT, make_event

pytestmark = pytest.mark.django_db

EVENING = datetime.datetime(2027, 5, 1, 19, 0, tzinfo=ZoneInfo("Europe/Vilnius"))


@pytest.fixture
def feed_events(event_index, vilnius, stockholm):
    evening = make_event(
        event_index,
        vilnius,
        slug="evening",
        start=EVENING,
        kind=EventKind.THEATRE,
        organiser_contact=CONTACT,
        description="<p>A play about debt.</p>",
    )
    evening.save_revision().publish()
    make_event(event_index, vilnius, slug="draft", start=EVENING, live=False)
    make_event(event_index, stockholm, slug="elsewhere", start=EVENING)
    restricted = make_event(event_index, vilnius, slug="members-only", start=EVENING)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    return evening


def fetch(client, slug="vilnius"):
    response = client.get(f"/programme/calendar/{slug}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_feed_holds_the_venue_live_public_events_only(client, feed_events):
    calendar = icalendar.Calendar.from_ical(fetch(client))
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Event evening"]
    assert str(events[0]["LOCATION"]) == "Test museum Vilnius, Vilnius"
    assert str(events[0]["URL"]).startswith("http://testserver/")
    assert str(events[0]["DESCRIPTION"]) == "A play about debt."


def test_an_evening_in_vilnius_is_19_00_vilnius_time(client, feed_events):
    body = fetch(client)
    assert b"DTSTART;TZID=Europe/Vilnius:20270501T190000" in body
    assert b"DTEND;TZID=Europe/Vilnius:20270501T210000" in body
    calendar = icalendar.Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Vilnius"]
    event = calendar.walk("VEVENT")[0]
    start = event["DTSTART"].dt
    assert start == datetime.datetime(2027, 5, 1, 16, 0, tzinfo=datetime.UTC)
    assert start.hour == 19 and start.utcoffset() == datetime.timedelta(hours=3)
    assert event["DTSTAMP"].to_ical().endswith(b"Z")


def test_uid_is_stable_across_edits(client, feed_events):
    before = icalendar.Calendar.from_ical(fetch(client)).walk("VEVENT")[0]["UID"]
    feed_events.title = "Renamed"
    feed_events.save_revision().publish()
    after = icalendar.Calendar.from_ical(fetch(client)).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in after] == ["Renamed"]
    assert after[0]["UID"] == before
    assert str(before) == f"{feed_events.translation_key}@programme.trafficking-exhibition"


def test_feed_has_no_personal_contact_data(client, feed_events):
    body = fetch(client).decode()
    assert "private.organiser" not in body and "+46 70" not in body


@pytest.mark.parametrize("slug", ["unannounced", "no-such-venue"])
def test_unknown_or_unannounced_venue_is_404(client, hidden_venue, event_index, slug):
    make_event(event_index, hidden_venue, slug="secret", start=EVENING)
    assert client.get(f"/programme/calendar/{slug}.ics").status_code == 404


def test_feed_refuses_writes(client, vilnius):
    assert client.post("/programme/calendar/vilnius.ics").status_code == 405
