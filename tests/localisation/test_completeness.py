import datetime

from wagtail.models import Locale

import pytest

from exhibition.models import RoomText
from localisation.completeness import (
    KIND_LABEL,
    KIND_OBJECT,
    KIND_PAGE,
    KIND_ROOM,
    KIND_TESTIMONY,
    NOTE_DRAFT,
    missing_for_venue,
)
from tests.localisation.builders import build_tour

pytestmark = pytest.mark.django_db

ON = datetime.date(2027, 12, 1)


@pytest.fixture
def tour(home_page):
    return build_tour()


def keys(report, language, kind=None):
    return {
        item.key
        for item in report.for_language(language).missing
        if kind is None or item.kind == kind
    }


def test_reports_each_language_of_the_venue(tour):
    report = missing_for_venue(tour["vilnius"], on=ON)
    assert [r.language for r in report.languages] == ["lt", "en"]
    assert report.for_language("lt").has_locale is False
    assert report.for_language("en").has_locale is True
    assert not report.is_complete


def test_language_without_locale_misses_everything(tour):
    lt = missing_for_venue(tour["vilnius"], on=ON).for_language("lt")
    room, placement, shown = tour["vilnius_room"], tour["vilnius_placement"], tour["shown"]
    report = missing_for_venue(tour["vilnius"], on=ON)
    assert keys(report, "lt", KIND_ROOM) == {f"room:{room.pk}"}
    assert keys(report, "lt", KIND_LABEL) == {
        f"label:{placement.pk}:object",
        f"label:{placement.pk}:wall",
    }
    assert keys(report, "lt", KIND_TESTIMONY) == {f"testimony:{shown.pk}"}
    assert lt.counts()[KIND_PAGE] == 1  # the home page, which has no Lithuanian locale


def test_room_and_label_translations_per_kind(tour):
    report = missing_for_venue(tour["vilnius"], on=ON)
    placement = tour["vilnius_placement"]
    # English: the room name and the wall text are missing, the object label is there.
    assert keys(report, "en", KIND_ROOM) == {f"room:{tour['vilnius_room'].pk}"}
    assert keys(report, "en", KIND_LABEL) == {f"label:{placement.pk}:wall"}
    # The placed object has only a Swedish title; the other venue's object is not listed.
    assert keys(report, "en", KIND_OBJECT) == {f"object:{placement.object_id}"}
    RoomText.objects.create(
        room=tour["vilnius_room"], locale=Locale.objects.get(language_code="en"), name="Hall"
    )
    assert keys(missing_for_venue(tour["vilnius"], on=ON), "en", KIND_ROOM) == set()


def test_only_testimonies_visible_at_the_venue(tour):
    report = missing_for_venue(tour["vilnius"], on=ON)
    testimonies = keys(report, "en", KIND_TESTIMONY)
    assert testimonies == {f"testimony:{tour['shown'].pk}"}
    # Consent for Sweden only, and a draft: neither is reported for Vilnius...
    assert f"testimony:{tour['not_in_lithuania'].pk}" not in testimonies
    assert f"testimony:{tour['draft'].pk}" not in testimonies
    # ...but the Sweden-only one is, at home.
    home = missing_for_venue(tour["home"], on=datetime.date(2027, 4, 1))
    assert f"testimony:{tour['not_in_lithuania'].pk}" in keys(home, "en", KIND_TESTIMONY)


def test_other_venues_items_are_not_reported(tour):
    report = missing_for_venue(tour["vilnius"], on=ON)
    all_keys = keys(report, "lt") | keys(report, "en")
    assert f"room:{tour['home_room'].pk}" not in all_keys
    assert not any(key.startswith(f"label:{tour['home_placement'].pk}:") for key in all_keys)


def test_items_name_the_fallback_and_an_edit_link(tour, settings):
    settings.LANGUAGE_FALLBACKS = {"lt": ["en"]}
    report = missing_for_venue(tour["vilnius"], on=ON)
    by_key = {item.key: item for item in report.for_language("lt").missing}
    placement = tour["vilnius_placement"]
    object_label = by_key[f"label:{placement.pk}:object"]
    assert object_label.fallback == "en"  # English exists for the object label
    wall = by_key[f"label:{placement.pk}:wall"]
    assert wall.fallback == "sv"  # no English: the default language is the last resort
    # Labels are named by their object's title, here only in Swedish.
    assert wall.title.startswith(placement.object.texts.get().title)
    assert wall.title_language == "sv"
    room = by_key[f"room:{tour['vilnius_room'].pk}"]
    assert room.title == "Hallen"
    assert room.edit_url.endswith(f"/{tour['vilnius_room'].pk}/")
    assert "/admin/" in room.edit_url


def test_pages_missing_translations(tour, home_page, english_home):
    report = missing_for_venue(tour["home"], on=datetime.date(2027, 4, 1))
    assert keys(report, "en", KIND_PAGE) == set()
    english_home.unpublish()
    report = missing_for_venue(tour["home"], on=datetime.date(2027, 4, 1))
    item = next(i for i in report.for_language("en").missing if i.kind == KIND_PAGE)
    assert item.object_id == home_page.pk
    assert item.note == NOTE_DRAFT
    assert item.fallback == "sv"


def test_as_dict_is_json_ready(tour):
    import json

    data = json.loads(json.dumps(missing_for_venue(tour["vilnius"], on=ON).as_dict()))
    assert data["venue"] == "vilnius"
    assert data["languages"][0]["counts"][KIND_ROOM] == 1
