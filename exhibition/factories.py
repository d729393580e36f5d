import datetime
from decimal import Decimal

import factory

from exhibition.models import Venue


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    institution = factory.Sequence(lambda n: f"Test museum {n}")
    slug = factory.Sequence(lambda n: f"venue-{n}")
    city = "Göteborg"
    country = "SE"
    language_codes = "sv, en"
    opens_on = datetime.date(2027, 3, 1)
    closes_on = datetime.date(2027, 9, 30)
    time_zone = "Europe/Stockholm"
    floor_area_m2 = Decimal("250.0")
    announced = True
