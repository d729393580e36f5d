import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from programme.models import EventKind, EventPage
from tests.programme.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Validation messages are compared in English (the site's default is Swedish)."""
    with translation.override("en"):
        yield


START = datetime.datetime(2027, 5, 1, 19, 0, tzinfo=ZoneInfo("Europe/Vilnius"))


def build(venue, **fields):
    values = {
        "title": "An event",
        "slug": "an-event",
        "kind": EventKind.SEMINAR,
        "venue": venue,
        "start": START,
        "end": START + datetime.timedelta(hours=2),
        "organiser_name": "Test organiser",
        "language_codes": "lt, en",
        **fields,
    }
    return EventPage(**values)


def check(page) -> None:
    # Unsaved pages have no place in the tree yet.
    page.full_clean(exclude=["path", "depth", "numchild"])


def errors_of(page) -> dict:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check(page)
    return {key: [str(m) for m in messages] for key, messages in caught.value.message_dict.items()}


def test_a_valid_event_passes(vilnius):
    event = build(vilnius)
    check(event)
    assert event.languages == ["lt", "en"]


@pytest.mark.parametrize("end", [START, START - datetime.timedelta(minutes=1)])
def test_end_must_come_after_start(vilnius, end):
    assert errors_of(build(vilnius, end=end))["end"] == ["The event must end after it starts."]


def test_a_course_needs_credits_and_only_a_course_gives_them(vilnius):
    assert "credits" in errors_of(build(vilnius, kind=EventKind.COURSE))
    check(build(vilnius, kind=EventKind.COURSE, credits=7.5))
    assert errors_of(build(vilnius, kind=EventKind.MUSIC, credits=3))["credits"] == [
        "Only a university course gives credits."
    ]


def test_every_kind_of_the_issue_exists():
    assert set(EventKind.values) == {
        "course",
        "seminar",
        "conference",
        "dance",
        "theatre",
        "music",
        "school_visit",
    }


def test_unknown_kind_is_refused(vilnius):
    assert "kind" in errors_of(build(vilnius, kind="circus"))


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "not a url", "data:text/html,hi"]
)
def test_booking_link_must_be_a_web_address(vilnius, url):
    assert "booking_url" in errors_of(build(vilnius, booking_url=url))


def test_age_range_and_languages_are_checked(vilnius):
    errors = errors_of(build(vilnius, age_min=16, age_max=12, language_codes="lithuanian!"))
    assert errors["age_max"] == ["The oldest age cannot be below the youngest."]
    assert "language_codes" in errors


def test_times_are_stored_aware_and_shown_in_the_venue_time_zone(event_index, vilnius):
    event = make_event(event_index, vilnius, slug="evening", start=START)
    event.refresh_from_db()
    assert event.start == datetime.datetime(2027, 5, 1, 16, 0, tzinfo=datetime.UTC)
    assert event.local_start.hour == 19
    assert str(event.local_start.tzinfo) == "Europe/Vilnius"


def test_editors_type_the_local_time_at_the_venue(event_index, vilnius, settings):
    """The editor's own time zone (Stockholm) does not shift what they type for Vilnius."""
    from django.utils import timezone

    event = make_event(event_index, vilnius, slug="typed", start=START)
    form_class = EventPage.get_edit_handler().get_form_class()
    form = form_class(instance=event, for_user=None)
    with timezone.override("Europe/Stockholm"):
        assert form.initial["start"] == datetime.datetime(2027, 5, 1, 19, 0)
        form.cleaned_data = {
            "venue": vilnius,
            "start": timezone.make_aware(datetime.datetime(2027, 5, 2, 18, 30)),
        }
        form._errors = {}
        # The form's clean() turns the typed wall-clock time into the venue's time zone.
        cleaned = form.clean()
    assert cleaned["start"] == datetime.datetime(
        2027, 5, 2, 18, 30, tzinfo=ZoneInfo("Europe/Vilnius")
    )
