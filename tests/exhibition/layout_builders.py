"""A small show for the layout tests: one venue, two rooms, objects of every visibility."""

import datetime
from decimal import Decimal

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from exhibition.factories import PlacementFactory, RoomFactory, VenueFactory

ANONYMOUS_NAME = "Hemliga Långivaren (test)"


def build_show():
    venue = VenueFactory(
        slug="home",
        institution="Testmuseet",
        is_home_museum=True,
        floor_area_m2=Decimal("100"),
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 9, 30),
    )
    first = RoomFactory(
        venue=venue, slug="first", visit_order=1, names={"sv": "Första", "en": "First"}
    )
    second = RoomFactory(
        venue=venue,
        slug="second",
        visit_order=2,
        shape="5,0 10,0 10,10 5,10",
        names={"sv": "Andra", "en": "Second"},
    )
    own = PlacementFactory(
        room=first,
        object=ObjectRecordFactory(title="Egen skål"),
        labels={"sv": "En skål ur samlingen.", "en": "A bowl from the collection."},
    )
    draft = PlacementFactory(
        room=first,
        object=ObjectRecordFactory(title="Utkast", is_published=False),
        labels={"sv": "Opublicerad etikett.", "en": "Unpublished label."},
    )
    anonymous = LenderFactory(name=ANONYMOUS_NAME, kind="private", is_anonymous=True)
    lent = ObjectRecordFactory(title="Lånad mask", lender=anonymous)
    LoanAgreementFactory(lender=anonymous, loaned_objects=[lent])
    covered = PlacementFactory(
        room=second,
        object=lent,
        labels={"sv": "En lånad mask.", "en": "A borrowed mask."},
    )
    short_lender = LenderFactory(name="Kortlånemuseet")
    short = ObjectRecordFactory(title="Kort lån", lender=short_lender)
    # The loan ends before the venue closes, so it does not cover the venue.
    LoanAgreementFactory(
        lender=short_lender, loaned_objects=[short], ends_on=datetime.date(2027, 6, 30)
    )
    uncovered = PlacementFactory(
        room=second,
        object=short,
        labels={"sv": "Ett kort lån.", "en": "A short loan."},
    )
    return {
        "venue": venue,
        "rooms": (first, second),
        "own": own,
        "draft": draft,
        "covered": covered,
        "uncovered": uncovered,
    }
