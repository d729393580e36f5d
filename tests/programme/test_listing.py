import re

from django.utils import translation

import pytest

from programme.models import Audience, EventKind
from tests.programme.conftest import CONTACT, in_days, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(event_index, vilnius, stockholm, hidden_venue):
    make_event(
        event_index,
        vilnius,
        slug="dance-soon",
        start=in_days(3),
        kind=EventKind.DANCE,
        language_codes="lt, en",
        age_min=12,
        organiser_contact=CONTACT,
    )
    make_event(
        event_index,
        stockholm,
        slug="school-visit",
        start=in_days(5, 10),
        kind=EventKind.SCHOOL_VISIT,
        audience=Audience.SCHOOLS,
        age_min=13,
        age_max=15,
    )
    make_event(
        event_index, vilnius, slug="concert-last-month", start=in_days(-30), kind=EventKind.MUSIC
    )
    make_event(event_index, vilnius, slug="draft-seminar", start=in_days(4), live=False)
    make_event(event_index, hidden_venue, slug="secret-seminar", start=in_days(6))
    return event_index


def slugs_in(response) -> list[str]:
    return re.findall(r'<h2 class="event-card__title"><a href="[^"]*/([^/"]+)/">', response.text)


def test_upcoming_by_default_and_past_in_the_archive(client, programme):
    upcoming = client.get(programme.url)
    assert upcoming.status_code == 200
    assert slugs_in(upcoming) == ["dance-soon", "school-visit"]
    archive = client.get(programme.url + "archive/")
    assert archive.status_code == 200
    assert slugs_in(archive) == ["concert-last-month"]


def test_drafts_and_unannounced_venues_are_not_listed(client, programme):
    text = client.get(programme.url).text + client.get(programme.url + "archive/").text
    assert "draft-seminar" not in text
    assert "secret-seminar" not in text and "Secret venue" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=dance", ["dance-soon"]),
        ("kind=school_visit", ["school-visit"]),
        ("venue=stockholm", ["school-visit"]),
        ("audience=schools", ["school-visit"]),
        ("age=12", ["dance-soon"]),
        ("age=14", ["dance-soon", "school-visit"]),
        ("language=lt", ["dance-soon"]),
        ("language=sv", ["school-visit"]),
        ("kind=&venue=&audience=&age=&language=", ["dance-soon", "school-visit"]),
    ],
)
def test_filters(client, programme, query, expected):
    assert slugs_in(client.get(f"{programme.url}?{query}")) == expected


def test_date_filters_use_the_venue_day(client, programme):
    day = in_days(5, 10).date().isoformat()
    assert slugs_in(client.get(f"{programme.url}?from_date={day}&to_date={day}")) == [
        "school-visit"
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=circus", "There is no kind of event called “circus”."),
        ("venue=..%2F..%2Fetc", "No announced venue is called “../../etc”."),
        ("venue=unannounced", "No announced venue is called “unannounced”."),
        ("audience=%3Cscript%3E", "There is no audience called “&lt;script&gt;”."),
        ("age=-4", "Ensure this value is greater than or equal to 0."),
        ("age=old", "Enter an age as a whole number, e.g. 14."),
        ("language=xx", "No event is held in the language “xx”."),
        ("from_date=2027-13-45", "Enter the date as YYYY-MM-DD, e.g. 2027-05-01."),
        ("from_date=2027-05-02&to_date=2027-05-01", "The end of the period cannot be before"),
        ("from_date=0001-01-01", "Choose a date between 1900-01-01 and 2199-12-31."),
        ("to_date=9999-12-31", "Choose a date between 1900-01-01 and 2199-12-31."),
    ],
)
def test_hostile_filters_give_a_clear_message_not_an_error(client, programme, query, message):
    with translation.override("en"):
        response = client.get(f"/en{programme.url}?{query}", follow=True)
    assert response.status_code == 200
    assert message in response.text
    assert 'role="alert"' in response.text
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_a_bad_filter_keeps_the_good_ones(client, programme):
    response = client.get(f"{programme.url}?kind=circus&venue=stockholm")
    assert slugs_in(response) == ["school-visit"]


@pytest.mark.parametrize("page", ["999999", "abc", "-1", "1%00"])
def test_hostile_page_numbers(client, programme, page):
    assert client.get(f"{programme.url}?page={page}").status_code == 200


def test_times_are_shown_in_the_venue_time_zone(client, programme):
    text = client.get(programme.url).text
    assert re.search(r'<time datetime="[^"]+T19:00:00\+0[23]:00">[^<]*19:00</time>', text)
    assert "Europe/Vilnius" in text


def test_the_listing_links_each_announced_venue_feed(client, programme):
    text = client.get(programme.url).text
    assert 'href="/programme/calendar/vilnius.ics"' in text
    assert 'href="/programme/calendar/stockholm.ics"' in text
    assert "unannounced.ics" not in text


def test_event_page_shows_the_public_facts_only(client, programme):
    event = programme.get_children().get(slug="dance-soon").specific
    response = client.get(event.url)
    assert response.status_code == 200
    assert "Test organiser" in response.text
    assert "19:00" in response.text
    assert "private.organiser" not in response.text and "+46 70" not in response.text


def test_event_at_an_unannounced_venue_is_not_served(client, programme):
    event = programme.get_children().get(slug="secret-seminar").specific
    assert client.get(event.url).status_code == 404


def test_sitemap_lists_public_events_and_the_archive_only(client, programme):
    text = client.get("/sitemap.xml").text
    assert "/dance-soon/" in text
    assert "/programme-test/archive/" in text
    assert "secret-seminar" not in text and "draft-seminar" not in text


def test_no_organiser_contact_details_anywhere_public(client, programme):
    for path in (
        programme.url,
        programme.url + "archive/",
        "/sitemap.xml",
        "/programme/calendar/vilnius.ics",
        programme.url + "dance-soon/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"private.organiser" not in response.content, path
        assert b"+46 70" not in response.content, path
