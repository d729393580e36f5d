import pytest

from exhibition.demo import collection, rooms, venues
from exhibition.models import Placement, PlacementText, Room, Venue
from exhibition.models.rooms import polygon_area
from visibility.channels import PRINT, WEB

pytestmark = pytest.mark.django_db


def load_layout_demo() -> list[str]:
    """The loaders the layout needs (the full load_demo also builds the search index)."""
    log = []
    for loader in (venues.load, collection.load, rooms.load):
        loader(log.append)
    return log


def test_demo_rooms_fill_the_home_museum_and_place_forty_objects():
    log = load_layout_demo()
    assert "rooms: 4 rooms, 250.0 m² at goteborg, 44 placed objects" in log
    home = Venue.objects.get(is_home_museum=True)
    rooms = Room.objects.filter(venue=home)
    assert sum(room.area_m2 for room in rooms) == home.floor_area_m2 == 250
    assert sum(polygon_area(room.points) for room in rooms) == 250
    placements = Placement.objects.filter(room__venue=home)
    assert placements.count() >= 40
    assert placements.visible_in(PRINT(home)).count() >= 40
    assert placements.visible_in(WEB).count() >= 40
    for code in ("sv", "en"):
        labels = PlacementText.objects.filter(
            placement__in=placements, kind="object", locale__language_code=code
        )
        assert labels.count() == placements.count()
        assert all("demo" in label.text.lower() for label in labels)
    for label in PlacementText.objects.all():
        label.full_clean()  # within the word limits


def test_the_room_loader_is_idempotent():
    load_layout_demo()
    before = list(PlacementText.objects.order_by("pk").values_list("pk", "text"))
    placements = list(Placement.objects.order_by("pk").values("pk", "room", "kind", "position"))
    load_layout_demo()
    assert list(PlacementText.objects.order_by("pk").values_list("pk", "text")) == before
    assert (
        list(Placement.objects.order_by("pk").values("pk", "room", "kind", "position"))
        == placements
    )
