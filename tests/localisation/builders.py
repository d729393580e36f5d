"""A small tour for the localisation tests: a Swedish home venue and a Lithuanian-English
venue, each with a room and labelled placements, and testimonies of several visibilities.
Everything here is fictional test data."""

import datetime

from wagtail.models import Locale

from exhibition.factories import PlacementFactory, RoomFactory, VenueFactory
from exhibition.models import PlacementText
from stories.factories import TestimonyFactory, VoiceFactory, grant
from stories.models import TestimonyText


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def build_tour():
    """Two venues: ``home`` (sv, en) and ``vilnius`` (lt, en; Lithuania has no locale)."""
    home = VenueFactory(
        slug="home",
        institution="Testmuseet",
        is_home_museum=True,
        language_codes="sv, en",
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 9, 30),
    )
    vilnius = VenueFactory(
        slug="vilnius",
        institution="Test venue Vilnius (fictional)",
        city="Vilnius",
        country="LT",
        language_codes="lt, en",
        time_zone="Europe/Vilnius",
        opens_on=datetime.date(2027, 11, 1),
        closes_on=datetime.date(2028, 3, 31),
    )
    home_room = RoomFactory(venue=home, slug="entry", names={"sv": "Entré", "en": "Entrance"})
    # Only the Swedish name: English is missing at Vilnius.
    vilnius_room = RoomFactory(venue=vilnius, slug="hall", names={"sv": "Hallen"})
    home_placement = PlacementFactory(room=home_room)
    # A Swedish object label and wall text; only the object label is in English.
    vilnius_placement = PlacementFactory(
        room=vilnius_room, labels={"sv": "En skål (test).", "en": "A bowl (test)."}
    )
    PlacementText.objects.create(
        placement=vilnius_placement,
        locale=locale("sv"),
        kind=PlacementText.Kind.WALL_TEXT,
        text="Väggtext om resan (test).",
    )
    everywhere = VoiceFactory(display_name="Test voice A (fictional)")
    grant(everywhere)
    only_sweden = VoiceFactory(display_name="Test voice B (fictional)")
    grant(only_sweden, channels={"web", "exhibition", "touring"}, countries="SE")
    shown = TestimonyFactory(voice=everywhere, title="Resan (test)")
    TestimonyText.objects.filter(testimony=shown).update(
        body="<p>Vi åkte norrut (test).</p>", easy_read_summary="Vi åkte (test)."
    )
    not_in_lithuania = TestimonyFactory(voice=only_sweden, title="Hemma (test)")
    draft = TestimonyFactory(voice=everywhere, title="Utkast (test)", live=False)
    return {
        "home": home,
        "vilnius": vilnius,
        "home_room": home_room,
        "vilnius_room": vilnius_room,
        "home_placement": home_placement,
        "vilnius_placement": vilnius_placement,
        "shown": shown,
        "not_in_lithuania": not_in_lithuania,
        "draft": draft,
    }
