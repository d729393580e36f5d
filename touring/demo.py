"""Demo touring data (fictional, idempotent): the tour of the three demo venues, a small
layout at the Luleå demo venue whose loans do not all reach it, and a fictional contact.

DEMO-L-002 names Göteborg alone and DEMO-L-003 ends before Luleå closes, so one object of
each placed in Luleå shows up in the loan coverage report and is left out of its package.
The Luleå venue also speaks Northern Sami (se), for which no label is written: its package's
build report names every missing text. It has a local addition: a fictional partner
organisation's voice with one testimony, which only Luleå's kiosks and package show.
"""

from decimal import Decimal

from wagtail.models import Locale

from collection.models import LoanAgreement, ObjectRecord
from exhibition.demo.collection import _upsert
from exhibition.models import Placement, PlacementText, Room, RoomText, Venue
from stories.demo.content import BASIS
from stories.models import Consent, ConsentScope, Testimony, TestimonyText, Voice
from touring.models import Tour, TourStop, VenueContact

TOUR = ("trafficking-on-tour-demo", "Trafficking on tour (demo)")
STOPS = ["goteborg", "demo-lulea", "demo-berlin"]
TOURING_VENUE = "demo-lulea"
ROOM = ("demo-sal", "Utställningssalen", "The exhibition hall", "60.0", "0,0 10,0 10,6 0,6")
OWN_OBJECTS = 6
CONTACT = {
    "name": "Kim Exempelsson (fictional demo contact)",
    "role": "Registrar",
    "email": "registrar@exempelmuseet.invalid",
    "phone": "+46 920 555 01 01",
}


def _tour(venues: dict) -> None:
    tour, _new = _upsert(Tour, {"slug": TOUR[0]}, {"name": TOUR[1]})
    for order, slug in enumerate(STOPS):
        if slug in venues:
            _upsert(TourStop, {"tour": tour, "venue": venues[slug]}, {"sort_order": order})


def _layout(venue: Venue) -> int:
    locales = {code: Locale.objects.get(language_code=code) for code in ("sv", "en")}
    slug, sv_name, en_name, area, shape = ROOM
    room, _new = _upsert(
        Room,
        {"venue": venue, "slug": slug},
        {"visit_order": 1, "area_m2": Decimal(area), "shape": shape},
    )
    for code, name in (("sv", sv_name), ("en", en_name)):
        _upsert(RoomText, {"room": room, "locale": locales[code]}, {"name": name})
    home_placements = list(
        Placement.objects.filter(room__venue__is_home_museum=True, object__lender__isnull=True)
        .prefetch_related("texts__locale")
        .order_by("object__inventory_number")[:OWN_OBJECTS]
    )
    chosen = [p.object for p in home_placements]
    # The objects voices speak about travel too, so the kiosk can lead from them to voices.
    spoken_about = ObjectRecord.objects.filter(
        testimony_links__isnull=False, placements__room__venue__is_home_museum=True
    ).distinct()
    chosen += [obj for obj in spoken_about.order_by("inventory_number") if obj not in chosen]
    for number in ("DEMO-L-002", "DEMO-L-003"):
        loaned = (
            ObjectRecord.objects.filter(loans__number=number).order_by("inventory_number").first()
        )
        if loaned and loaned not in chosen:
            chosen.append(loaned)
    texts_of = {
        p.object_id: [t for t in p.texts.all() if t.kind == PlacementText.Kind.OBJECT_LABEL]
        for p in Placement.objects.filter(
            room__venue__is_home_museum=True, object__in=chosen
        ).prefetch_related("texts__locale")
    }
    for order, obj in enumerate(chosen, start=1):
        placement, _new = _upsert(
            Placement,
            {"room": room, "object": obj},
            {"kind": "case", "position": order, "visit_order": order},
        )
        for text in texts_of.get(obj.pk, []):
            _upsert(
                PlacementText,
                {"placement": placement, "locale": text.locale, "kind": text.kind},
                {"text": text.text},
            )
    return len(chosen)


LOCAL_VOICE = "Kaisa (fiktiv lokal partnerröst, demo)"
LOCAL_TESTIMONY = {
    "slug": "demo-lokal-partner-lulea",
    "title": "Vi möter dem som kommer norrut (fiktivt demovittnesmål)",
    "body": (
        "Fiktiv demotext, ingen verklig person. En lokal partnerorganisation berättar hur den "
        "möter människor som lockats norrut med löften om säsongsarbete."
    ),
}


def _local_voice(venue: Venue) -> None:
    """A local partner voice of the Luleå venue, consenting to the show and touring in Sweden."""
    voice, created = Voice.objects.get_or_create(
        display_name=LOCAL_VOICE,
        defaults={
            "role": Voice.Role.NGO_WORKER,
            "organisation": "Lokal partnerorganisation (demo)",
            "country": "SE",
            "language_codes": "sv",
            "is_fictional_demo": True,
            "local_venue": venue,
        },
    )
    if created or not voice.consents.exists():
        scope = ConsentScope.parse(channels={"exhibition", "touring"}, countries="SE")
        Consent.grant(voice=voice, scope=scope, by=None, basis=BASIS)
    if Testimony.objects.filter(slug=LOCAL_TESTIMONY["slug"]).exists():
        return
    testimony = Testimony(slug=LOCAL_TESTIMONY["slug"], voice=voice, live=True)
    testimony.texts.add(
        TestimonyText(
            locale=Locale.objects.get(language_code="sv"),
            title=LOCAL_TESTIMONY["title"],
            body=LOCAL_TESTIMONY["body"],
        )
    )
    testimony.save()
    testimony.save_revision().publish()


def load(log) -> None:
    venues = {venue.slug: venue for venue in Venue.objects.filter(slug__in=STOPS)}
    _tour(venues)
    venue = venues.get(TOURING_VENUE)
    if venue is None:
        log("touring: no demo venue to lay out")
        return
    placed = _layout(venue)
    _local_voice(venue)
    _upsert(
        VenueContact,
        {"venue": venue, "name": CONTACT["name"]},
        {key: value for key, value in CONTACT.items() if key != "name"},
    )
    not_travelling = LoanAgreement.objects.filter(number="DEMO-L-002").exclude(venues=venue)
    log(
        f"touring: tour of {len(venues)} venues, {placed} objects placed at {venue.slug}"
        f" ({not_travelling.count()} loan may not travel there)"
    )
