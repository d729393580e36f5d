from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale
from wagtail.users.models import UserProfile

import pytest

from exhibition.factories import PlacementFactory, RoomFactory, VenueFactory
from exhibition.models import LABEL_WORD_LIMITS, PlacementText, Room
from exhibition.models.rooms import point_in_polygon, polygon_area, validate_shape

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the Swedish catalogue translates them)."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("curator", password="pw")  # noqa: S106
    # The admin speaks the curator's language; the assertions below read the English text.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


class TestShapes:
    def test_a_rectangle_and_an_l_shape_are_valid(self):
        validate_shape("0,0 5,0 5,10 0,10")
        validate_shape("0,0 10,0 10,4 4,4 4,10 0,10")
        assert polygon_area([(0, 0), (10, 0), (10, 4), (4, 4), (4, 10), (0, 10)]) == 64

    @pytest.mark.parametrize(
        ("shape", "code"),
        [
            ("0,0 5,0", "too_few"),
            ("0,0 5,0 x,3", "invalid_point"),
            ("0,0 5,5 5,0 0,5", "self_intersecting"),
            ("0,0 5,0 10,0", "no_area"),
            ("0,0 5,0 5,5 5,0", "repeated_corner"),
            ("0,0 5000,0 5000,5", "out_of_range"),
            ("-1,0 5,0 5,5", "out_of_range"),
        ],
    )
    def test_bad_shapes_are_refused(self, shape, code):
        with pytest.raises(ValidationError) as error:
            validate_shape(shape)
        assert error.value.code == code

    def test_the_shape_must_agree_with_the_area(self):
        room = RoomFactory.build(venue=VenueFactory(), area_m2=Decimal("80"))
        with pytest.raises(ValidationError, match="encloses 50"):
            room.full_clean()
        room.area_m2 = Decimal("51")  # within the tolerance for walls and rounding
        room.full_clean()

    def test_point_in_polygon_counts_the_walls(self):
        l_shape = [(0, 0), (10, 0), (10, 4), (4, 4), (4, 10), (0, 10)]
        assert point_in_polygon((2, 8), l_shape)
        assert point_in_polygon((10, 2), l_shape)  # on a wall
        assert not point_in_polygon((8, 8), l_shape)  # in the missing corner

    def test_a_placement_outside_its_room_is_refused(self):
        placement = PlacementFactory()
        placement.x_m, placement.y_m = Decimal("7"), Decimal("2")
        with pytest.raises(ValidationError, match="outside"):
            placement.full_clean()
        placement.x_m = Decimal("4.5")
        placement.full_clean()
        placement.y_m = None
        with pytest.raises(ValidationError, match="both"):
            placement.full_clean()

    def test_an_object_is_placed_once_per_venue(self):
        placement = PlacementFactory()
        other_room = RoomFactory(venue=placement.room.venue)
        again = PlacementFactory.build(room=other_room, object=placement.object)
        with pytest.raises(ValidationError, match="already placed"):
            again.full_clean()


class TestWordLimits:
    def _text(self, kind, words):
        placement = PlacementFactory(labels={})
        return PlacementText(
            placement=placement,
            locale=Locale.objects.get(language_code="sv"),
            kind=kind,
            text=" ".join(["ord"] * words),
        )

    @pytest.mark.parametrize(("kind", "limit"), [("object", 60), ("case", 100), ("wall", 150)])
    def test_each_kind_has_its_limit(self, kind, limit):
        assert LABEL_WORD_LIMITS[kind] == limit
        self._text(kind, limit).full_clean()
        with pytest.raises(
            ValidationError, match=f"at most {limit} words; this one has {limit + 1}"
        ):
            self._text(kind, limit + 1).full_clean()

    def test_the_admin_form_refuses_a_long_object_label(self, admin_client):
        placement = PlacementFactory(labels={})
        url = reverse("wagtailsnippets_exhibition_placement:edit", args=[placement.pk])
        sv = Locale.objects.get(language_code="sv")
        data = {
            "room": placement.room_id,
            "object": placement.object_id,
            "kind": "case",
            "position": 1,
            "visit_order": 1,
            "texts-TOTAL_FORMS": 1,
            "texts-INITIAL_FORMS": 0,
            "texts-MIN_NUM_FORMS": 0,
            "texts-MAX_NUM_FORMS": 1000,
            "texts-0-locale": sv.pk,
            "texts-0-kind": "object",
            "texts-0-text": " ".join(["ord"] * 61),
            "texts-0-ORDER": 1,
            "texts-0-DELETE": "",
            "texts-0-id": "",
        }
        response = admin_client.post(url, data)
        assert response.status_code == 200  # the form comes back with the error
        assert "at most 60 words; this one has 61" in response.text
        assert not placement.texts.filter(text__startswith="ord ord").exists()
        data["texts-0-text"] = " ".join(["ord"] * 60)
        response = admin_client.post(url, data)
        assert response.status_code == 302
        assert placement.texts.get().word_count == 60
        listing = admin_client.get(reverse("wagtailsnippets_exhibition_placement:list"))
        assert "sv object label: 60" in listing.text


class TestAreaWarning:
    def _room_data(self, venue, slug, area, shape):
        sv = Locale.objects.get(language_code="sv")
        return {
            "venue": venue.pk,
            "slug": slug,
            "visit_order": 3,
            "area_m2": area,
            "shape": shape,
            "texts-TOTAL_FORMS": 1,
            "texts-INITIAL_FORMS": 0,
            "texts-MIN_NUM_FORMS": 1,
            "texts-MAX_NUM_FORMS": 1000,
            "texts-0-locale": sv.pk,
            "texts-0-name": "Nytt rum",
            "texts-0-ORDER": 1,
            "texts-0-DELETE": "",
            "texts-0-id": "",
        }

    def test_no_warning_while_the_rooms_fit(self, admin_client):
        venue = VenueFactory(floor_area_m2=Decimal("100"))
        RoomFactory(venue=venue)  # 50 m²
        response = admin_client.post(
            reverse("wagtailsnippets_exhibition_room:add"),
            self._room_data(venue, "fits", "50", "5,0 10,0 10,10 5,10"),
            follow=True,
        )
        assert Room.objects.filter(venue=venue).count() == 2
        assert "more than the" not in response.text

    def test_saving_a_room_that_overfills_the_venue_warns(self, admin_client):
        venue = VenueFactory(floor_area_m2=Decimal("100"))
        RoomFactory(venue=venue)
        response = admin_client.post(
            reverse("wagtailsnippets_exhibition_room:add"),
            self._room_data(venue, "too-big", "60", "5,0 11,0 11,10 5,10"),
            follow=True,
        )
        room = Room.objects.get(slug="too-big")  # saved: a warning, not a refusal
        assert "add up to 110.0 m², more than the 100.0 m²" in response.text
        assert "10.0 m² too much" in response.text
        # Opening the room again keeps warning, and so does the overview page.
        edit = admin_client.get(reverse("wagtailsnippets_exhibition_room:edit", args=[room.pk]))
        assert "more than the 100.0 m²" in edit.text
        overview = admin_client.get(reverse("exhibition_layout"))
        assert "more than the 100.0 m²" in overview.text
