import datetime
from decimal import Decimal

from wagtail.models import Locale

import factory

from collection.factories import ObjectRecordFactory
from exhibition.models import Placement, PlacementText, Room, RoomText, Venue


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


class RoomFactory(factory.django.DjangoModelFactory):
    """A 5 × 10 m room with a Swedish and an English name."""

    class Meta:
        model = Room
        skip_postgeneration_save = True

    venue = factory.SubFactory(VenueFactory)
    slug = factory.Sequence(lambda n: f"room-{n}")
    visit_order = factory.Sequence(lambda n: n + 1)
    area_m2 = Decimal("50.0")
    shape = "0,0 5,0 5,10 0,10"

    @factory.post_generation
    def names(obj, create, extracted, **kwargs):
        if create:
            for code, name in (
                extracted or {"sv": f"Rum {obj.slug}", "en": f"Room {obj.slug}"}
            ).items():
                RoomText.objects.create(
                    room=obj, locale=Locale.objects.get(language_code=code), name=name
                )


class PlacementFactory(factory.django.DjangoModelFactory):
    """An object in a case, with an object label in Swedish and English."""

    class Meta:
        model = Placement
        skip_postgeneration_save = True

    room = factory.SubFactory(RoomFactory)
    object = factory.SubFactory(ObjectRecordFactory)
    kind = Placement.Kind.CASE
    position = 1
    visit_order = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def labels(obj, create, extracted, **kwargs):
        if create:
            default = {
                "sv": f"Etikett för {obj.object.inventory_number}.",
                "en": f"Label for {obj.object.inventory_number}.",
            }
            for code, text in (default if extracted is None else extracted).items():
                PlacementText.objects.create(
                    placement=obj,
                    locale=Locale.objects.get(language_code=code),
                    kind=PlacementText.Kind.OBJECT_LABEL,
                    text=text,
                )
