import datetime
from decimal import Decimal

from exhibition.models import Venue

# The home museum is the project's own; the touring venues are fictional.
VENUES = [
    {
        "slug": "goteborg",
        "institution": "Världskulturmuseet",
        "city": "Göteborg",
        "country": "SE",
        "language_codes": "sv, en",
        "opens_on": datetime.date(2027, 3, 5),
        "closes_on": datetime.date(2027, 10, 31),
        "time_zone": "Europe/Stockholm",
        "floor_area_m2": Decimal("250.0"),
        "is_home_museum": True,
        "announced": True,
    },
    {
        "slug": "demo-lulea",
        "institution": "Exempelmuseet (fictional demo venue)",
        "city": "Luleå",
        "country": "SE",
        "language_codes": "sv, en, se",
        "opens_on": datetime.date(2027, 12, 3),
        "closes_on": datetime.date(2028, 3, 26),
        "time_zone": "Europe/Stockholm",
        "floor_area_m2": Decimal("180.0"),
        "is_home_museum": False,
        "announced": True,
    },
    {
        "slug": "demo-berlin",
        "institution": "Museum am Beispielplatz (fictional demo venue)",
        "city": "Berlin",
        "country": "DE",
        "language_codes": "de, en",
        "opens_on": datetime.date(2028, 5, 5),
        "closes_on": datetime.date(2028, 9, 24),
        "time_zone": "Europe/Berlin",
        "floor_area_m2": Decimal("300.0"),
        "is_home_museum": False,
        "announced": False,
    },
]


def load(log) -> None:
    created = 0
    for data in VENUES:
        fields = {key: value for key, value in data.items() if key != "slug"}
        venue = Venue.objects.filter(slug=data["slug"]).first()
        if venue is None:
            venue = Venue(slug=data["slug"], **fields)
            venue.full_clean()
            venue.save()
            created += 1
        elif any(getattr(venue, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(venue, key, value)
            venue.full_clean()
            venue.save()
    log(f"venues: {len(VENUES)} ({created} new)")
