import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

import pytest

from exhibition.factories import VenueFactory
from exhibition.models import Venue
from visibility.channels import PRINT, VENUE, WEB

pytestmark = pytest.mark.django_db


def assert_invalid(field, **overrides):
    venue = VenueFactory.build(**overrides)
    with pytest.raises(ValidationError) as error:
        venue.full_clean()
    assert field in error.value.message_dict, error.value.message_dict


def test_languages_are_kept_in_order():
    venue = VenueFactory.build(language_codes="de,  en ,sv")
    venue.full_clean()
    assert venue.languages == ["de", "en", "sv"]
    assert venue.language_codes == "de, en, sv"


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("country", {"country": "se"}),
        ("country", {"country": "SWE"}),
        ("time_zone", {"time_zone": "Europe/Gothenburg"}),
        ("language_codes", {"language_codes": "svenska"}),
        ("language_codes", {"language_codes": "sv, sv"}),
        ("language_codes", {"language_codes": " , "}),
        ("floor_area_m2", {"floor_area_m2": 0}),
        (
            "closes_on",
            {"opens_on": datetime.date(2027, 5, 1), "closes_on": datetime.date(2027, 4, 1)},
        ),
    ],
)
def test_bad_values_are_refused_with_a_field_error(field, overrides):
    assert_invalid(field, **overrides)


def test_database_also_refuses_closing_before_opening():
    with pytest.raises(IntegrityError), transaction.atomic():
        VenueFactory(opens_on=datetime.date(2027, 5, 1), closes_on=datetime.date(2027, 4, 1))


def test_only_one_home_museum():
    VenueFactory(is_home_museum=True)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="Only one venue can be the home museum"),
    ):
        VenueFactory.build(is_home_museum=True).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        VenueFactory(is_home_museum=True)


def test_is_open_on():
    venue = VenueFactory.build(
        opens_on=datetime.date(2027, 3, 1), closes_on=datetime.date(2027, 9, 30)
    )
    assert venue.is_open_on(datetime.date(2027, 3, 1))
    assert venue.is_open_on(datetime.date(2027, 9, 30))
    assert not venue.is_open_on(datetime.date(2027, 10, 1))
    assert not VenueFactory.build(opens_on=None).is_open_on(datetime.date(2027, 3, 1))


def test_visibility_per_channel():
    announced = VenueFactory(slug="announced")
    unannounced = VenueFactory(slug="secret", announced=False)
    assert list(Venue.objects.visible_in(WEB)) == [announced]
    assert list(Venue.objects.visible_in(VENUE(unannounced))) == [unannounced]
    assert list(Venue.objects.visible_in(PRINT(announced))) == [announced]


def test_tour_page_lists_only_announced_venues(client):
    VenueFactory(institution="Shown Museum")
    VenueFactory(institution="Unannounced Museum", announced=False)
    for path in ("/tour/", "/en/tour/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "Shown Museum" in response.text
        assert "Unannounced Museum" not in response.text


def test_venue_admin_lists_and_validates(admin_client):
    VenueFactory(institution="Listed Museum")
    listing = admin_client.get("/admin/snippets/exhibition/venue/")
    assert listing.status_code == 200
    assert "Listed Museum" in listing.text
    response = admin_client.post(
        "/admin/snippets/exhibition/venue/add/",
        {
            "institution": "Bad dates museum",
            "slug": "bad-dates",
            "city": "Malmö",
            "country": "SE",
            "language_codes": "sv",
            "opens_on": "2027-05-01",
            "closes_on": "2027-04-01",
            "time_zone": "Europe/Stockholm",
            "floor_area_m2": "100",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "kan inte stänga innan den öppnar" in response.text  # the admin speaks Swedish
    assert not Venue.objects.filter(slug="bad-dates").exists()
