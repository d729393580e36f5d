"""A small touring show for the package tests: one touring venue with objects of every kind
of visibility, a testimony that may travel and one that was withdrawn, and a confidential
contact whose marker must never reach a package."""

import datetime
import io
import zipfile
from decimal import Decimal

from django.core.files.images import ImageFile

from wagtail.models import Locale

from PIL import Image as PILImage

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import MuseumImage, ObjectImage, ObjectText
from exhibition.factories import PlacementFactory, RoomFactory, VenueFactory
from stories.models import TestimonyObject
from tests.stories.testimony_builders import everywhere, spoken_testimony
from touring.models import VenueContact

CONTACT_MARKER = "CONFIDENTIAL-CONTACT-7f3a"
INSURANCE_MARKER = "9876543.21"


def make_image(obj, size=(600, 400), colour=(120, 60, 30)) -> ObjectImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    image = MuseumImage.objects.create(
        title=f"Image of {obj.inventory_number}",
        file=ImageFile(buffer, name="object.png"),
        may_publish_online=False,
        rights_statement="http://creativecommons.org/licenses/by/4.0/",
    )
    return ObjectImage.objects.create(object=obj, image=image)


def add_english(obj, title: str) -> None:
    ObjectText.objects.create(
        object=obj, locale=Locale.objects.get(language_code="en"), title=title
    )


def build_touring_show(languages: str = "sv, en") -> dict:
    venue = VenueFactory(
        slug="tour-stop",
        institution="Turnémuseet (test)",
        country="SE",
        language_codes=languages,
        opens_on=datetime.date(2027, 11, 1),
        closes_on=datetime.date(2028, 2, 28),
        floor_area_m2=Decimal("100"),
    )
    VenueContact.objects.create(
        venue=venue,
        name=f"Contact {CONTACT_MARKER}",
        role="Registrar",
        email="contact-7f3a@venue.invalid",
        phone="+46 70 000 7f3a",
    )
    room = RoomFactory(
        venue=venue, slug="hall", visit_order=1, names={"sv": "Hallen", "en": "The hall"}
    )
    own = ObjectRecordFactory(title="Egen skål")
    add_english(own, "Own bowl")
    make_image(own)
    own_placement = PlacementFactory(
        room=room, object=own, labels={"sv": "En skål.", "en": "A bowl."}
    )
    unpublished = ObjectRecordFactory(title="HEMLIGT-UTKAST", is_published=False)
    PlacementFactory(room=room, object=unpublished, labels={"sv": "UTKAST-ETIKETT"})
    lender = LenderFactory(name="Långivaren (test)")
    covered = ObjectRecordFactory(title="Lånad mask", lender=lender)
    LoanAgreementFactory(
        lender=lender, loaned_objects=[covered], insurance_value=Decimal(INSURANCE_MARKER)
    )
    PlacementFactory(room=room, object=covered, labels={"sv": "En mask."})
    short_lender = LenderFactory(name="Kortlånemuseet (test)")
    uncovered = ObjectRecordFactory(title="KORT-LAN-FOREMAL", lender=short_lender)
    LoanAgreementFactory(
        lender=short_lender, loaned_objects=[uncovered], ends_on=datetime.date(2027, 12, 31)
    )
    PlacementFactory(room=room, object=uncovered, labels={"sv": "KORT-LAN-ETIKETT"})
    told = spoken_testimony(consent=everywhere(), display_name="Mirjam (test)")
    TestimonyObject.objects.create(testimony=told, object=own)
    withdrawn = spoken_testimony(
        consent=everywhere(), display_name="Ingrid (test)", slug="withdrawn-testimony"
    )
    TestimonyObject.objects.create(testimony=withdrawn, object=own)
    from stories.models import TestimonyText

    TestimonyText.objects.filter(testimony=withdrawn).update(title="TILLBAKADRAGEN-TITEL")
    withdrawn.voice.consents.get().withdraw(by=None, basis="Asked to be removed (test)")
    # Consent for the physical show in Sweden, but not for touring packages and kiosks.
    home_only = spoken_testimony(
        consent=everywhere(channels={"exhibition", "web"}),
        display_name="Nora (test)",
        slug="home-only-testimony",
    )
    TestimonyObject.objects.create(testimony=home_only, object=own)
    TestimonyText.objects.filter(testimony=home_only).update(title="BARA-HEMMA-TITEL")
    return {
        "venue": venue,
        "room": room,
        "own": own,
        "own_placement": own_placement,
        "unpublished": unpublished,
        "covered": covered,
        "uncovered": uncovered,
        "told": told,
        "withdrawn": withdrawn,
    }


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def archive_bytes(version) -> bytes:
    with version.archive.open("rb") as handle:
        return handle.read()
